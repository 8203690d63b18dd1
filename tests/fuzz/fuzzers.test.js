'use strict';
// The libFuzzer targets in make test: each replays its corpus once
// (regression), the borrowed lifecycle model finds the use-after-free in a
// bounded run, the shipped modes stay clean for a fixed number of executions,
// and a flagged lifecycle input converts into a case that reproduces on
// real Node.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, tmpdir, gcfuzz } = require('../integration/helpers.js');

const FUZZ = path.join(ROOT, 'build', 'fuzz');

function run(target, args) {
  return new Promise((resolve) => {
    const child = spawn(path.join(FUZZ, target), args, { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

for (const target of ['fuzz_case', 'fuzz_config', 'fuzz_stderr', 'fuzz_lifecycle']) {
  test(`${target} replays its corpus cleanly`, async () => {
    const corpus = path.join(ROOT, 'corpus', 'libfuzzer', target);
    const n = fs.readdirSync(corpus).length;
    assert.ok(n >= 5, `corpus has ${n} inputs`);
    const r = await run(target, ['-runs=0', corpus]);
    assert.strictEqual(r.code, 0, r.out.slice(-3000));
    assert.match(r.out, /INITED|DONE/);
  });
}

test('fuzz_lifecycle_borrowed: ASan reports the heap-use-after-free within 60 s', async () => {
  const dir = tmpdir('lc-borrowed');
  const r = await run('fuzz_lifecycle_borrowed', ['-seed=11', '-max_total_time=60', `-artifact_prefix=${dir}/`, dir]);
  assert.notStrictEqual(r.code, 0, 'the fuzzer must stop on the bug');
  assert.match(r.out, /ERROR: AddressSanitizer: heap-use-after-free/);
  assert.match(r.out, /in gf_borrowed_sum/);
  const crash = fs.readdirSync(dir).find((f) => f.startsWith('crash-'));
  assert.ok(crash, 'a crash artifact was written');

  // The flagged input, imported as a runner case, reproduces on real Node.
  const caseFile = path.join(dir, 'imported.json');
  const imp = await gcfuzz(['import', path.join(dir, crash), '-O', caseFile]);
  assert.strictEqual(imp.code, 0, imp.stderr);
  const c = JSON.parse(fs.readFileSync(caseFile, 'utf8'));
  assert.strictEqual(c.entry, 'sum_borrowed');
  const rep = await gcfuzz(['replay', '--config', 'config/ci.json', '--runs', '3', caseFile]);
  assert.strictEqual(rep.code, 1, rep.stderr);
  assert.ok(JSON.parse(rep.stdout).cases[0].reproduced >= 2);
});

test('fuzz_lifecycle (owning copy + refs): 200000 executions, no report', async () => {
  const dir = tmpdir('lc-shipped');
  const r = await run('fuzz_lifecycle', ['-seed=1', '-runs=200000', `-artifact_prefix=${dir}/`, dir]);
  assert.strictEqual(r.code, 0, r.out.slice(-3000));
  assert.match(r.out, /Done 200000 runs/);
  assert.doesNotMatch(r.out, /AddressSanitizer|runtime error/);
});

test('gcfuzz import refuses an input with no stale read', async () => {
  const dir = tmpdir('lc-none');
  const file = path.join(dir, 'benign');
  fs.writeFileSync(file, Buffer.from([0, 10, 1, 0, 1, 0, 0, 0])); // create; copy job
  const r = await gcfuzz(['import', file]);
  assert.strictEqual(r.code, 1);
  assert.match(r.stderr, /no stale read in 2 events/);
});

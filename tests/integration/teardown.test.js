'use strict';
// Environment teardown as the runner sees it (doc/detection.md,
// "Environment teardown"): what kills the worker once a case's Worker is
// being ended is the teardown's - its own bucket, ":teardown" in the
// signature; a hang at exit is a timeout of that kind; a clean teardown is
// no finding. Replayed in fresh processes, so each verdict is the case's.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, gcfuzz, tmpdir, writeConfig, records } = require('./helpers.js');

const TARGET = path.join(ROOT, 'tests', 'fixtures', 'teardown_target.js');

const fnv1a64 = (s) => {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(s)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
};

// A record of the bucket `signature` for case c: a run reproduces it only
// when it finds that very signature.
function record(c, signature) {
  return { gcfuzz_record: 1, hash: fnv1a64(signature), signature, kind: signature.split(':')[0], entry: c.entry, count: 1, case: c };
}

function replay(dir, records, over = {}) {
  const cfg = writeConfig(dir, 'soak', { target: TARGET, entry: '', entries: ['at_exit', 'stuck', 'clean'], target_frames: [], control: 'builtin', ...over });
  const files = records.map((r) => {
    const f = path.join(dir, `${r.case.id}.json`);
    fs.writeFileSync(f, JSON.stringify(r));
    return f;
  });
  return gcfuzz(['replay', '--config', cfg, '--runs', '2', ...files]);
}

test('a crash at teardown and a hang at exit are teardown findings; a clean teardown is none', { timeout: 60000 }, async () => {
  const dir = tmpdir('teardown');
  const hangDir = tmpdir('teardown-hang');
  const [r, h] = await Promise.all([
    replay(dir, [
      record({ id: 'crash', entry: 'at_exit', elems: 1, teardown: 2 }, 'signal:SIGSEGV:teardown:entry=at_exit'),
      record({ id: 'clean', entry: 'clean', elems: 1, concurrency: 3, teardown: 1, teardown_at: 1, gc: [{ op: 'gc' }] }, 'signal:SIGSEGV:teardown:entry=clean'),
    ]),
    replay(hangDir, [record({ id: 'hang', entry: 'stuck', elems: 1, teardown: 1 }, 'timeout:hang:teardown:entry=stuck')], { timeout_ms: 3000 }), // the hang's bound
  ]);
  const out = [JSON.parse(r.stdout), JSON.parse(h.stdout)];
  assert.deepStrictEqual(out.flatMap((o) => o.unreadable), [], r.stderr);
  const byId = Object.fromEntries(out.flatMap((o) => o.cases).map((c) => [c.id, c]));
  assert.deepStrictEqual([byId.crash.reproduced, byId.crash.other_failures], [2, 0], r.stderr);
  assert.deepStrictEqual([byId.hang.reproduced, byId.hang.other_failures], [2, 0], h.stderr);
  assert.deepStrictEqual([byId.clean.reproduced, byId.clean.other_failures], [0, 0], r.stderr);
});

test('warm runs of a teardown bucket warm up without the teardown, then reproduce it', { timeout: 60000 }, async () => {
  // A warm-up with the teardown died of it, so no warm run reached the case.
  const dir = tmpdir('teardown-warm');
  const rec = record({ id: 'warm', entry: 'at_exit', elems: 1, teardown: 2 }, 'signal:SIGSEGV:teardown:entry=at_exit');
  const r = await replay(dir, [{ ...rec, reproducibility: { runs: 2, reproduced: 2 }, reproducibility_warm: { runs: 2, reproduced: 2 } }]);
  const [c] = JSON.parse(r.stdout).cases;
  assert.deepStrictEqual([c.reproduced, c.warm], [4, { runs: 2, reproduced: 2 }], r.stderr);
});

// The demo's teardown control through the whole runner: a soak from one
// teardown seed (the mutation rate of the field is test_mutate's) finds
// it with a teardown signature naming the addon's frame; the fix replays
// clean on the control's own case. Held by the thread gate: deterministic.
test('soak finds sum_env_data as a teardown bucket; sum_env_data_fixed is clean on its case', { timeout: 120000 }, async () => {
  const dir = tmpdir('teardown-ctl');
  const seeds = path.join(dir, 'seeds');
  fs.mkdirSync(seeds);
  fs.writeFileSync(path.join(seeds, 'td.json'), JSON.stringify({ id: 'td', entry: 'sum_env_data', elems: 4, elem_len: 64, gate: 1, teardown: 1 }));
  const cfg = writeConfig(dir, 'ci', { seeds, env: { GCFUZZ_GATE_THREADS: 'gcfuzz-pool' }, confirm_runs: 0, feedback: false });
  const out = path.join(dir, 'out');
  const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--entry', 'sum_env_data', '--stop-on-crash', '--max-time', '60']);
  assert.strictEqual(r.code, 1, r.stderr);
  const [rec] = records(out);
  assert.match(rec.signature, /^asan:heap-use-after-free:READ:teardown:.*pool_thread_main.*:entry=sum_env_data$/, rec.signature);
  assert.ok(rec.case.teardown >= 1);
  // Its rate, measured by replay, is what the fix is judged by.
  const check = path.join(dir, 'check.json');
  fs.writeFileSync(check, JSON.stringify(rec));
  const again = await gcfuzz(['replay', '--config', cfg, '--runs', '2', check]);
  const aj = JSON.parse(again.stdout).cases[0];
  assert.deepStrictEqual([again.code, aj.reproduced], [1, 2], again.stderr);
  fs.writeFileSync(check, JSON.stringify({ ...rec, reproducibility: { runs: 2, reproduced: aj.reproduced } }));
  const fixed = await gcfuzz(['replay', '--config', cfg, '--runs', '2', '--entry', 'sum_env_data_fixed', check]);
  const fj = JSON.parse(fixed.stdout).cases[0];
  assert.deepStrictEqual([fixed.code, fj.status, fj.runs, fj.other_failures], [0, 'fixed', 2, 0], fixed.stderr);
});

test('a target that cannot run in a Worker is said once, and its teardown cases are no finding', { timeout: 60000 }, async () => {
  const dir = tmpdir('teardown-noworker');
  const cfg = writeConfig(dir, 'soak', { target: path.join(ROOT, 'tests', 'fixtures', 'no_worker_target.js'), entry: '', entries: ['e'], target_frames: [], control: 'builtin' });
  const files = [1, 2].map((teardown) => {
    const f = path.join(dir, `c${teardown}.json`);
    fs.writeFileSync(f, JSON.stringify({ id: `c${teardown}`, entry: 'e', elems: 1, teardown }));
    return f;
  });
  const r = await gcfuzz(['replay', '--config', cfg, '--runs', '2', ...files]);
  const cases = JSON.parse(r.stdout).cases;
  assert.deepStrictEqual(cases.map((c) => [c.reproduced, c.other_failures, c.harness_errors]), [[0, 0, 0], [0, 0, 0]], r.stderr);
  const said = r.stderr.split('\n').filter((l) => l.includes('cannot run in a worker_threads Worker'));
  assert.strictEqual(said.length, 1, r.stderr);
  assert.match(said[0], /^gcfuzz: the target cannot run in a worker_threads Worker: Error: Module did not self-register: its teardown cases are not run \(limits\.max_teardown 0/);
});

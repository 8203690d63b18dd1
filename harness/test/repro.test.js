'use strict';
// The standalone reproducer's generator (repro.js) and its run body
// (repro-run.js), without a real crash: a plain JS target whose entry
// fails the way a record says, or does not.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { generate, requiresOf, expectOf } = require('../repro.js');
const { classify } = require('../repro-run.js');

const HARNESS = path.join(__dirname, '..');

function scratch() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gcfuzz-repro-gen-'));
}

// A target that needs a harness module by absolute path (as hunt's
// generated targets need rt.js) and a helper of its own beside it.
function writeTarget(dir) {
  fs.writeFileSync(path.join(dir, 'helper.js'), 'module.exports = { add: (a, b) => a + b };\n');
  fs.writeFileSync(path.join(dir, 'target.js'), [
    "'use strict';",
    "const { add } = require('./helper.js');",
    `const { makeRng } = require(${JSON.stringify(path.join(HARNESS, 'prng.js'))});`,
    'module.exports = { entries: {',
    '  wrong: { input: (rng) => rng.u32() % 100, oracle: (xs) => xs.reduce(add, 0), call: async (xs) => xs.reduce(add, 1) },',
    '  right: { input: (rng) => rng.u32() % 100, oracle: (xs) => xs.reduce(add, 0), call: async (xs) => xs.reduce(add, 0) },',
    "  sync: { input: () => { throw new Error('no input'); }, call: async () => typeof makeRng },",
    '} };',
  ].join('\n'));
  return path.join(dir, 'target.js');
}

function writeRecord(dir, entry, extra = {}) {
  const file = path.join(dir, `${entry}.json`);
  fs.writeFileSync(file, JSON.stringify({
    gcfuzz_record: 1, hash: '0123456789abcdef', signature: `mismatch::entry=${entry}`, kind: 'mismatch', entry, count: 1,
    case: { id: 'c1', entry, elems: 3, elem_len: 0 }, reproducibility: { runs: 4, reproduced: 3 }, ...extra,
  }));
  return file;
}

function spec(dir, record, entry) {
  return { record, target: path.join(dir, 'target.js'), build: 'release', entry, node_args: [], args: [], env: [], threadpool_size: 4, timeout_ms: 20000, sanitizer: 'none', asan_options: '', version: 'test' };
}

function runScript(dir, text, args) {
  const file = path.join(dir, 'repro.js');
  fs.writeFileSync(file, text);
  return spawnSync(process.execPath, [file, ...args], { encoding: 'utf8' });
}

test('requiresOf finds literal requires only', () => {
  assert.deepStrictEqual(requiresOf("require('a'); require(\"./b.js\"); require(`c${x}`); notrequire('d')"), ['a', './b.js']);
});

test('the record failure and its bug\'s other manifestations are what counts', () => {
  const e = expectOf({ signature: 'signal:SIGSEGV:f:entry=x', same_bug_as: { signature: 'asan:heap-use-after-free:READ:f:entry=x' }, manifestations: [{ signature: 'mismatch::entry=x' }, 7] });
  assert.deepStrictEqual(e.map((x) => [x.kind, x.bug_type]), [['signal', 'SIGSEGV'], ['asan', 'heap-use-after-free'], ['mismatch', '']]);
});

test('a script inlines the harness and the target, needs neither at run time, and reproduces a wrong result', () => {
  const dir = scratch();
  writeTarget(dir);
  const text = generate(spec(dir, writeRecord(dir, 'wrong'), ''), path.join(dir, 'repro.js'));
  assert.ok(!text.includes(HARNESS + path.sep), 'no path into the harness');
  const r = runScript(dir, text, ['3']);
  assert.strictEqual(r.status, 1, r.stdout + r.stderr);
  // one more than the sum, every run (the same seed: the same inputs)
  const [sum] = r.stdout.match(/expected (\d+)/).slice(1).map(Number);
  const line = `FAILED as recorded: mismatch: call 0: got ${sum + 1}, expected ${sum}`;
  assert.deepStrictEqual(r.stdout.trim().split('\n'), [`run 1/3: ${line}`, `run 2/3: ${line}`, `run 3/3: ${line}`, 'reproduced 3/3; the record: 3/4 fresh']);
});

test('on another entry (the fixed twin) the same case is clean; the target\'s own error is no verdict', () => {
  const dir = scratch();
  writeTarget(dir);
  const rec = writeRecord(dir, 'wrong');
  const clean = runScript(dir, generate(spec(dir, rec, 'right'), null), ['2']);
  assert.strictEqual(clean.status, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /^run 1\/2: clean\nrun 2\/2: clean\nnot reproduced 0\/2;/);
  const own = runScript(dir, generate(spec(dir, rec, 'sync'), null), ['1']);
  assert.strictEqual(own.status, 2, own.stdout);
  assert.match(own.stdout, /run 1\/1: not run: the target's target_error input: no input/);
});

test('a record that is not one (checked against record-schema.json), or whose case breaks the case format, is refused naming the field', () => {
  const dir = scratch();
  writeTarget(dir);
  assert.throws(() => generate(spec(dir, writeRecord(dir, 'wrong', { signature: 3 }), ''), null), /not a gcfuzz crash record \(signature: must be a string of at most 511 bytes\)/);
  assert.throws(() => generate(spec(dir, writeRecord(dir, 'wrong', { count: 1e300 }), ''), null), /count: must be an integer in \[0, 2\^53\]/);
  // A broken case is dropped (and named on stderr): nothing left to reproduce.
  assert.throws(() => generate(spec(dir, writeRecord(dir, 'wrong', { case: { entry: 'wrong', elems: -1 } }), ''), null), /no case/);
});

test('a teardown case, which needs the harness\'s Worker, is refused with what to run instead', () => {
  const dir = scratch();
  writeTarget(dir);
  assert.throws(() => generate(spec(dir, writeRecord(dir, 'wrong', { case: { entry: 'wrong', elems: 1, teardown: 1 } }), ''), null), /a teardown case .*gcfuzz replay/);
});

test('a child run is classified as gcfuzz names it', () => {
  assert.deepStrictEqual(classify({ stderr: '==1==ERROR: AddressSanitizer: heap-use-after-free on address\nREAD of size 8', signal: 'SIGABRT' }, 1), { kind: 'asan', bug_type: 'heap-use-after-free', access: 'READ' });
  assert.deepStrictEqual(classify({ stderr: '', signal: 'SIGSEGV' }, 1), { kind: 'signal', bug_type: 'SIGSEGV' });
  assert.deepStrictEqual(classify({ error: { code: 'ETIMEDOUT' }, signal: 'SIGKILL' }, 500), { kind: 'timeout', bug_type: '500ms' });
  assert.strictEqual(classify({ stdout: 'GCFUZZ_REPRO_RESULT {"outcome":"ok"}\n', status: 0 }, 1), null);
  assert.deepStrictEqual(classify({ stdout: '', status: 3 }, 1), { kind: 'exit', bug_type: 'exit-3' });
});

test('an issue: needs GC from the control, the binding\'s fix hint first, hostile text made inert, no machine path', () => {
  const { issue, noMachinePath } = require('../issue.js');
  const dir = scratch();
  writeTarget(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'left-pad-native', version: '1.2.3', dependencies: { nan: '^2' } }));
  const rec = writeRecord(dir, 'wrong', {
    message: 'call 0: got 5, expected 4 \u001b[31m<script>`x`</script>', control: { runs: 3, failed: 0 },
    reproducibility: { runs: 5, reproduced: 2 }, reproducibility_warm: { runs: 5, reproduced: 4 },
    addon_build: path.join(dir, 'build', 'Release', 'x.node'), node_version: 'v20.1.0',
  });
  const md = issue({ ...spec(dir, rec, ''), build: path.join(dir, 'build', 'Release', 'x.node') });
  assert.ok(!md.includes(dir), 'no path of this machine');
  assert.match(md, /^# mismatch \(`wrong`\) in left-pad-native@1\.2\.3\n/);
  // Rendered, this reads: ...expected 4 \x1b[31m<script>`x`</script>
  assert.ok(md.includes('The call resolves with a wrong result (call 0: got 5, expected 4 \\\\x1b\\[31m\\<script\\>\\`x\\`\\</script\\>).'), md.split('\n')[2]);
  assert.ok(!md.includes('\u001b'), 'no raw ESC');
  assert.match(md, /## Does it need the GC\?\n\nyes: with every input kept referenced until its call settled, the case failed in 0 of 3 runs/);
  assert.match(md, /Reproduced in fresh processes: 2\/5, warm processes: 4\/5\./);
  assert.match(md, /- build: `x\.node`/);
  assert.match(md, /## How to fix it\n\n[^\n]+\n\n- nan: `SaveToPersistent/);
  assert.match(md, /run `node repro\.js 10 --build <your build>`/);
  assert.strictEqual(noMachinePath('/usr/bin/node+0xc71348'), 'node+0xc71348');
  assert.strictEqual(noMachinePath('/home/me/src/a.c:12'), 'a.c:12');
  assert.strictEqual(noMachinePath('../src/core.c:82'), '../src/core.c:82');
});

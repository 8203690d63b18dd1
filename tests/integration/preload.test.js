'use strict';
// libgcfuzz_crash.so (the release workers' crash reporter) in a program
// that handles its own faults (tests/fixtures/preload/handlers.c): what the
// program does is unchanged, and the crash it cannot recover from is still
// reported. 0.5.0 reported the mprotect fix-up as a SIGSEGV (it reset the
// handler after calling the program's), hung after a siglongjmp recovery
// (its one-report flag stayed set), let a signal() handler replace it, and
// reported no stack overflow of a thread (no alternate stack there).
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, tmpdir } = require('./helpers.js');

const PRELOAD = path.join(ROOT, 'build', 'libgcfuzz_crash.so');
let prog;

test.before(() => {
  prog = path.join(tmpdir('preload'), 'handlers');
  const cc = spawnSync(process.env.CC || 'cc', ['-O0', '-o', prog, path.join(ROOT, 'tests', 'fixtures', 'preload', 'handlers.c'), '-lpthread'], { encoding: 'utf8' });
  assert.strictEqual(cc.status, 0, cc.stderr);
});

// A hang is the failure a broken reporter causes: the bound only ends it.
const run = (mode, preload) => spawnSync(prog, [mode], { encoding: 'utf8', timeout: 30000, env: { ...process.env, ...(preload ? { LD_PRELOAD: PRELOAD } : {}) } });

test('a handler that fixes the fault and returns: no report, the program goes on (sigaction and signal())', () => {
  for (const mode of ['fixup', 'signal']) {
    const r = run(mode, true);
    assert.deepStrictEqual([r.status, r.signal, r.stdout], [0, null, 'recovered 42\n'], `${mode}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /gcfuzz-crash/, mode);
  }
});

test('recoveries by siglongjmp leave nothing set: the real crash after them is reported and kills', () => {
  const r = run('longjmp', true);
  assert.strictEqual(r.error, undefined, 'it did not hang');
  assert.strictEqual(r.signal, 'SIGSEGV', r.stderr);
  assert.strictEqual(r.stdout, 'recovered 0\nrecovered 1\n');
  assert.strictEqual((r.stderr.match(/==gcfuzz-crash== SIGSEGV/g) || []).length, 1, r.stderr);
});

test('a stack overflow in a thread is reported', () => {
  const r = run('overflow', true);
  assert.strictEqual(r.signal, 'SIGSEGV', r.stderr);
  assert.match(r.stderr, /==gcfuzz-crash== SIGSEGV\n(\s+#\d+ .*\n)+==gcfuzz-crash== end/);
  assert.match(r.stderr, /handlers\+0x[0-9a-f]+\) /, 'frames of the program');
});

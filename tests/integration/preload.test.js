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
const { ROOT, tmpdir, gcfuzz, writeConfig, records } = require('./helpers.js');

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

// The worker's key (#22) ends the report, and Node's JavaScript never sees
// it: neither process.env nor /proc/self/environ has it. Through gcfuzz's
// __worker wrapper (not Node: it passes the key on) the same.
test('the crash key ends the report and is hidden from JavaScript', () => {
  const js = "const fs = require('fs');" +
    "console.log(JSON.stringify([process.env.GCFUZZ_CRASH_KEY ?? null, fs.readFileSync('/proc/self/environ', 'latin1').includes('k3y')]));" +
    "process.kill(process.pid, 'SIGSEGV');";
  const env = { ...process.env, LD_PRELOAD: PRELOAD, GCFUZZ_CRASH_KEY: 'k3y0123' };
  const direct = ['node', ['-e', js]];
  const wrapped = [path.join(ROOT, 'build', 'gcfuzz'), ['__worker', String(process.pid), 'node', '-e', js]];
  for (const [file, args] of [direct, wrapped]) {
    const r = spawnSync(file, args, { encoding: 'utf8', timeout: 30000, env });
    assert.strictEqual(r.signal, 'SIGSEGV', r.stderr);
    assert.strictEqual(r.stdout, '[null,false]\n', file);
    assert.match(r.stderr, /==gcfuzz-crash== SIGSEGV\n(\s+#\d+ .*\n)+==gcfuzz-crash== end k3y0123\n$/);
  }
});

// The key is given only to workers our crash handler runs in (it wipes it
// before Node starts); an ASan worker, or one whose config preloads its
// own library, would have it in process.env, where the target could read
// it and forge a keyed report.
test('no worker\'s JavaScript sees the crash key: release (wiped), ASan and a config LD_PRELOAD (not given)', async () => {
  const dir = tmpdir('preload-key');
  const runs = [['release', {}], ['asan', { sanitizer: 'address' }], ['own', { env: { LD_PRELOAD: PRELOAD } }]];
  for (const [name, extra] of runs) {
    const cfg = writeConfig(dir, 'soak', {
      target: path.join(ROOT, 'tests/fixtures/key_probe.js'), entries: ['probe'], entry: 'probe', seeds: null,
      confirm_runs: 0, feedback: false, minimize_new: false, control: { entry: 'probe' }, ...extra,
    });
    const out = path.join(dir, name);
    const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '1', '--stop-on-crash', '--max-time', '30']);
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(records(out)[0].message, /key:none/, name);
  }
});

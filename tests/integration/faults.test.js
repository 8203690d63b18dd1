'use strict';
// Bad input and misbehaving workers: hangs, bad config, bad seed files, a
// harness that cannot start. The misbehaving harnesses themselves are in
// tests/hostile/ (hostile.test.js runs each).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, tmpdir, gcfuzz, writeConfig, readJson, records } = require('./helpers.js');

test('a worker that hangs is killed and recorded as timeout; the daemon goes on', async () => {
  const dir = tmpdir('hang');
  const seeds = path.join(dir, 'seeds');
  fs.mkdirSync(seeds);
  // The worker sleeps 5 s per case; the timeout is 300 ms. max_case_ms
  // lets the children keep the seed's delay (by default they are shrunk
  // under a quarter of the timeout): this is the kill, not the cap.
  fs.writeFileSync(path.join(seeds, 'slow.json'), JSON.stringify({ id: 'slow', entry: 'sum', elems: 1, elem_len: 1, delay_us: 5000000 }));
  const cfg = writeConfig(dir, 'soak', {
    seeds, timeout_ms: 300, confirm_runs: 1, max_case_ms: 3600000,
    limits: { max_delay_us: 10000000, max_elems: 4, max_elem_len: 4 },
  });
  const out = path.join(dir, 'out');
  const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '1', '--max-time', '3', '--seed', '1']);
  assert.strictEqual(r.code, 0, r.stderr);
  const timeouts = records(out).filter((x) => x.kind === 'timeout');
  assert.strictEqual(timeouts.length, 1, JSON.stringify(records(out).map((x) => x.signature)));
  assert.strictEqual(timeouts[0].signature, 'timeout:hang:entry=sum');
  assert.ok(timeouts[0].count >= 2, 'the replacement worker was fed and timed out again');
  const stats = readJson(path.join(out, 'stats.json'));
  assert.ok(stats.restarts >= 2);
  assert.ok(stats.timeouts >= 2);
});

test('config errors name the field and exit 2 before anything starts', async () => {
  const dir = tmpdir('badcfg');
  const cases = [
    [{ workers: -1 }, /workers: must be an integer in \[0, 256\]/],
    [{ timeout_ms: 'soon' }, /timeout_ms: must be an integer/],
    [{ limits: { max_elems: 1e9 } }, /limits\.max_elems: must be an integer/],
    [{ colour: 'blue' }, /colour: unknown field/],
    [{ sync_dirs: [''] }, /sync_dirs\[0\]: must be a non-empty string/],
    [{ sync_interval_ms: 5 }, /sync_interval_ms: must be an integer in \[100, 86400000\]/],
  ];
  for (const [override, re] of cases) {
    const cfg = writeConfig(dir, 'soak', override);
    const r = await gcfuzz(['soak', '--config', cfg, '--out', path.join(dir, 'never'), '--max-time', '1']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, re);
    assert.ok(r.stderr.includes(cfg), 'names the config file');
    assert.ok(!fs.existsSync(path.join(dir, 'never')), 'nothing started');
  }
  const missing = await gcfuzz(['soak', '--config', path.join(dir, 'nope.json'), '--out', dir]);
  assert.strictEqual(missing.code, 2);
  assert.match(missing.stderr, /nope\.json: No such file/);
  const usage = await gcfuzz(['soak', '--config', 'config/soak.json']);
  assert.strictEqual(usage.code, 2);
  assert.match(usage.stderr, /--out DIR is required/);
  const badOpt = await gcfuzz(['replay', '--workers', 'many', 'x.json']);
  assert.strictEqual(badOpt.code, 2);
  assert.match(badOpt.stderr, /--workers: must be a whole number/);
  for (const cmd of ['soak', 'ci', 'replay']) {
    const help = await gcfuzz([cmd, '--help']);
    assert.strictEqual(help.code, 0);
    assert.match(help.stdout, new RegExp(`usage: gcfuzz ${cmd}`));
  }
});

test('bad seed files are skipped with a line naming file and reason', async () => {
  const dir = tmpdir('badseeds');
  const seeds = path.join(dir, 'seeds');
  fs.mkdirSync(seeds);
  fs.writeFileSync(path.join(seeds, 'good.json'), JSON.stringify({ id: 'good', elems: 2, elem_len: 2 }));
  fs.writeFileSync(path.join(seeds, 'corrupt.json'), '{"id": "half');
  fs.writeFileSync(path.join(seeds, 'huge.json'), JSON.stringify({ elems: 100000000 }));
  const cfg = writeConfig(dir, 'soak', { seeds, feedback: false }); // corpus: the seeds alone
  const r = await gcfuzz(['soak', '--config', cfg, '--out', path.join(dir, 'out'), '--workers', '1', '--max-time', '1']);
  assert.strictEqual(r.code, 0, r.stderr);
  assert.match(r.stderr, /skipping .*corrupt\.json: not valid JSON/);
  assert.match(r.stderr, /skipping .*huge\.json: elems: must be an integer in \[0, 100000\], got 100000000/);
  assert.strictEqual(readJson(path.join(dir, 'out', 'stats.json')).corpus, 1);
});

test('a harness that cannot start is a clear fatal error, exit 2', async () => {
  const dir = tmpdir('nostart');
  const broken = path.join(dir, 'broken-harness.js');
  fs.writeFileSync(broken, "throw new Error('broken at load');\n");
  const cfg = writeConfig(dir, 'soak', { harness: broken, target: null });
  const r = await gcfuzz(['soak', '--config', cfg, '--out', path.join(dir, 'out'), '--workers', '1', '--max-time', '30']);
  assert.strictEqual(r.code, 2);
  assert.match(r.stderr, /workers exit before the harness is ready .*broken-harness\.js/);
});

test('a missing node, harness or target is named before anything starts, and OUT is not created', async () => {
  const dir = tmpdir('missing');
  const cases = [
    [{ harness: path.join(dir, 'missing-harness.js'), target: null }, /harness: .*missing-harness\.js: No such file/],
    [{ target: path.join(dir, 'missing-target.js') }, /target: .*missing-target\.js: No such file/],
    [{ node: '/nonexistent/node' }, /node: \/nonexistent\/node: No such file/],
    [{ node: 'no-such-node-binary' }, /node: 'no-such-node-binary' is not in PATH/],
  ];
  for (const [over, msg] of cases) {
    const out = path.join(dir, 'out');
    const r = await gcfuzz(['soak', '--config', writeConfig(dir, 'soak', over), '--out', out, '--max-time', '5']);
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, msg);
    assert.ok(!fs.existsSync(out), 'OUT not created');
  }
});
test('a --once harness that answers but never exits is killed after the exit grace: replay ends', { timeout: 60000 }, async () => {
  const dir = tmpdir('linger');
  const cfg = writeConfig(dir, 'soak', { harness: path.join(ROOT, 'tests/hostile/flag.js'), target: null });
  const file = path.join(dir, 'case.json');
  fs.writeFileSync(file, JSON.stringify({ id: 'linger', entry: 'sum', elems: 1 }));
  const r = await gcfuzz(['replay', '--config', cfg, '--runs', '3', '--workers', '2', file]);
  assert.strictEqual(r.code, 0, r.stderr); // answered ok each time: fixed, not hung
  assert.strictEqual(JSON.parse(r.stdout).cases[0].runs, 3);
});

test('a worker that dies after answering a case is blamed on that case, not on the next one it never started', async () => {
  // 8 runs that each stop at the first death: every record must name a
  // case with seed = 3 mod 7 (the runner often has the next case in flight
  // already when the harness dies: blaming it was wrong half the time).
  const dir = tmpdir('late');
  const cfg = writeConfig(dir, 'soak', { harness: path.join(ROOT, 'tests/hostile/late_crash.js'), target: null, confirm_runs: 0, feedback: false });
  const seeds = [];
  for (let i = 1; i <= 8; i++) {
    const out = path.join(dir, `out${i}`);
    const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '1', '--max-time', '20', '--seed', String(i), '--stop-on-crash']);
    assert.strictEqual(r.code, 1, r.stderr);
    seeds.push(records(out)[0].case.seed % 7);
  }
  assert.deepStrictEqual(seeds, Array(8).fill(3));
});

test('a FIFO named *.json among the seeds or records is skipped, not waited on', { timeout: 60000 }, async () => {
  const dir = tmpdir('fifo');
  const seeds = path.join(dir, 'seeds');
  fs.mkdirSync(seeds);
  fs.writeFileSync(path.join(seeds, 'good.json'), JSON.stringify({ id: 'good', elems: 2, elem_len: 2 }));
  require('node:child_process').execFileSync('mkfifo', [path.join(seeds, 'fifo.json')]);
  const out = path.join(dir, 'out');
  fs.mkdirSync(path.join(out, 'crashes'), { recursive: true });
  require('node:child_process').execFileSync('mkfifo', [path.join(out, 'crashes', '0000000000000000.json')]);
  const cfg = writeConfig(dir, 'soak', { seeds, feedback: false });
  const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '1', '--max-time', '1']);
  assert.match(r.stderr, /fifo\.json: not a regular file/);
  assert.strictEqual(r.code, 0, r.stderr);
});

test('replay of a directory reports a bad record and replays the others', async () => {
  const dir = tmpdir('replay-bad');
  const crashes = path.join(dir, 'crashes');
  fs.mkdirSync(crashes);
  fs.writeFileSync(path.join(crashes, 'a-bad.json'), '{"gcfuzz_record": 1, "case": {"elems": -1}}');
  fs.writeFileSync(path.join(crashes, 'b-good.json'), JSON.stringify({ id: 'good', entry: 'sum', elems: 2, elem_len: 2 }));
  const r = await gcfuzz(['replay', '--config', writeConfig(dir, 'soak', {}), '--runs', '1', dir]);
  assert.strictEqual(r.code, 2, r.stderr); // an input was unreadable
  assert.match(r.stderr, /a-bad\.json: .*elems/);
  const summary = JSON.parse(r.stdout);
  assert.strictEqual(summary.cases.length, 1);
  assert.strictEqual(summary.cases[0].status, 'clean');
  assert.strictEqual(summary.unreadable.length, 1);
  assert.match(summary.unreadable[0].file, /a-bad\.json$/);
});

test('after kill -9 of the daemon, its hung workers die too (they do not spin on forever)', { timeout: 60000 }, async () => {
  const dir = tmpdir('orphan');
  const pidfile = path.join(dir, 'worker.pid');
  const cfg = writeConfig(dir, 'soak', {
    harness: path.join(ROOT, 'tests/hostile/spin.js'), target: null, timeout_ms: 600000,
    env: { GCFUZZ_TEST_PIDFILE: pidfile },
  });
  const child = require('node:child_process').spawn(path.join(ROOT, 'build', 'gcfuzz'),
    ['soak', '--config', cfg, '--out', path.join(dir, 'out'), '--workers', '1'], { stdio: 'ignore' });
  // The worker announces itself by writing its pid file.
  await new Promise((resolve) => {
    const w = fs.watch(dir, () => { if (fs.existsSync(pidfile) && fs.readFileSync(pidfile, 'utf8')) { w.close(); resolve(); } });
    if (fs.existsSync(pidfile) && fs.readFileSync(pidfile, 'utf8')) { w.close(); resolve(); }
  });
  const worker = Number(fs.readFileSync(pidfile, 'utf8'));
  const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  assert.ok(alive(worker));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('exit', resolve));
  // The kernel delivers the worker's death signal at the daemon's exit; wait
  // for the worker to be gone (bounded by the test timeout).
  while (alive(worker)) await new Promise((r) => setTimeout(r, 50));
  assert.ok(!alive(worker));
});

test('gcfuzz --version prints one line and exits 0', async () => {
  const r = await gcfuzz(['--version']);
  assert.strictEqual(r.code, 0);
  assert.match(r.stdout, /^gcfuzz \d+\.\d+\.\d+\n$/);
});

test('whole-number options parse whole or are refused: --seed 1e3, --workers 1.9, --runs 2x', async () => {
  const dir = tmpdir('badnum');
  for (const [args, re] of [
    [['soak', '--seed', '1e3'], /--seed: must be a whole number in \[0, 18446744073709551615\], got '1e3'/],
    [['soak', '--workers', '1.9'], /--workers: must be a whole number in \[1, 256\], got '1\.9'/],
    [['replay', '--runs', '2x', 'x.json'], /--runs: must be a whole number in \[1, 100000\], got '2x'/],
    [['soak', '--seed', '-1'], /--seed: must be a whole number/],
    [['soak', '--seed', '18446744073709551616'], /--seed: must be a whole number/],
  ]) {
    const r = await gcfuzz([...args, '--out', path.join(dir, 'never'), '--max-time', '1']);
    assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.ok(!fs.existsSync(path.join(dir, 'never')), 'nothing started');
  }
});

test('a config that is not JSON is named with the line and column where it stops parsing', async () => {
  const dir = tmpdir('badjson');
  const cfg = path.join(dir, 'cfg.json');
  fs.writeFileSync(cfg, '{\n  "workers": 2,\n  "timeout_ms": 10 00\n}\n');
  const r = await gcfuzz(['soak', '--config', cfg, '--out', path.join(dir, 'never'), '--max-time', '1']);
  assert.strictEqual(r.code, 2);
  assert.match(r.stderr, /cfg\.json: not valid JSON: line 3, column 20/);
});

// A target whose own code fails (issue 20): its input() throws for inputs
// of more than 100 bytes (a helper that refuses them), or always - its
// oracle too, since a case of 0 elems calls no input() (a mutated one
// reset the count of failures in a row once the mutator's stream changed).
function failingTarget(dir, always) {
  const file = path.join(dir, always ? 'always.js' : 'sometimes.js');
  fs.writeFileSync(file, `module.exports = { entries: { f: {
    input: (rng, size) => { if (${always ? 'true' : 'size > 100'}) { const e = new RangeError('refused by the target helper'); e.code = 'ERR_HELPER'; throw e; } return rng.bytes(size); },
    oracle: ${always ? "() => { throw new RangeError('no oracle either'); }" : '(xs) => xs.length'},
    call: (xs) => Promise.resolve(xs.length) } } };\n`);
  return writeConfig(dir, 'soak', { target: file, entries: ['f'], entry: 'f', seeds: undefined, workers: 1, confirm_runs: 1,
    limits: { max_elems: 4, max_elem_len: 200, max_concurrency: 2 },
    control: { target: path.join(ROOT, 'addon', 'target.js'), build: 'release', entry: 'sum_borrowed' } });
}

test('the target\'s own errors are counted and shown, never a bucket; only they for 32 cases in a row stop the soak (exit 2)', async () => {
  const dir = tmpdir('targeterr');
  const out = path.join(dir, 'some');
  const some = await gcfuzz(['soak', '--config', failingTarget(dir, false), '--out', out, '--max-time', '2', '--seed', '1']);
  assert.strictEqual(some.code, 0, some.stderr);
  assert.strictEqual(records(out).length, 0, 'no bucket for the target\'s own error');
  const stats = readJson(path.join(out, 'stats.json'));
  assert.ok(stats.target_errors >= 1 && stats.execs > stats.target_errors, JSON.stringify(stats));
  assert.match(some.stderr, /the target's own code failed in case \S+ \(not a finding; 1 so far\): input: RangeError ERR_HELPER: refused by the target helper \(at /);
  assert.doesNotMatch(some.stderr, /NEW /);
  const all = await gcfuzz(['soak', '--config', failingTarget(dir, true), '--out', path.join(dir, 'all'), '--max-time', '20', '--seed', '1']);
  assert.strictEqual(all.code, 2, all.stderr);
  assert.match(all.stderr, /the target's own code failed in 32 cases in a row, so nothing of the addon was tested/);
  // replay of a case the target cannot build: no run reached it, so never "fixed"
  const c = path.join(dir, 'case.json');
  fs.writeFileSync(c, JSON.stringify({ id: 'r', entry: 'f', elems: 2, elem_len: 150 }));
  const rep = await gcfuzz(['replay', '--config', failingTarget(dir, false), '--runs', '2', c]);
  assert.notStrictEqual(JSON.parse(rep.stdout).cases[0].verdict, 'fixed', rep.stdout);
});

test('a soak whose workers never get ready within --max-time exits 2 instead of a clean "0 execs"', async () => {
  const dir = tmpdir('slowready');
  const file = path.join(dir, 'slow.js');
  // loading takes 3 s (a package that builds a table at require time, say)
  fs.writeFileSync(file, `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
module.exports = { entries: { f: { input: () => 0, call: () => Promise.resolve(0) } } };\n`);
  const cfg = writeConfig(dir, 'soak', { target: file, entries: ['f'], entry: 'f', seeds: undefined, workers: 1,
    control: { target: path.join(ROOT, 'addon', 'target.js'), build: 'release', entry: 'sum_borrowed' } });
  const r = await gcfuzz(['soak', '--config', cfg, '--out', path.join(dir, 'o'), '--max-time', '1']);
  assert.strictEqual(r.code, 2, r.stderr);
  assert.match(r.stderr, /no worker became ready within --max-time 1 s, so no case ran/);
});

test('a target whose setup throws is named with the error and where it was thrown', async () => {
  const dir = tmpdir('setupthrows');
  const file = path.join(dir, 'broken_setup.js');
  fs.writeFileSync(file, `module.exports = {
  setup() { throw new Error('cannot open the database'); },
  entries: { f: { input: () => 0, call: () => Promise.resolve(0) } } };\n`);
  const cfg = writeConfig(dir, 'soak', { target: file, entries: ['f'], entry: 'f', seeds: undefined, workers: 1,
    control: { target: path.join(ROOT, 'addon', 'target.js'), build: 'release', entry: 'sum_borrowed' } });
  const r = await gcfuzz(['soak', '--config', cfg, '--out', path.join(dir, 'o'), '--max-time', '20']);
  assert.strictEqual(r.code, 2, r.stderr);
  assert.match(r.stderr, /setup failed: Error: cannot open the database \(at Object\.setup \(.*broken_setup\.js:2:\d+\)\)/);
});

// The daemon started with stdin, stdout or stderr closed (`nohup gcfuzz …
// <&-`, some service managers) runs and stops in order: before, an orderly
// stop ended in a libuv assertion (exit 134), the runner's own pipes having
// taken fds 0-2. (A unit test once; it runs real soaks, so it lives here.)
test('started with fd 0, 1, 2 or all three closed, a soak runs and stops in order', async () => {
  const dir = tmpdir('closed-fds');
  const helper = path.join(dir, 'closefds');
  const { spawnSync, spawn } = require('node:child_process');
  const cc = spawnSync(process.env.CC || 'cc', ['-o', helper, path.join(ROOT, 'tests', 'fixtures', 'closefds', 'closefds.c')], { encoding: 'utf8' });
  assert.strictEqual(cc.status, 0, cc.stderr);
  const codes = await Promise.all([1, 2, 4, 7].map((mask) => new Promise((resolve) => {
    const child = spawn(helper, [String(mask), path.join(ROOT, 'build', 'gcfuzz'), 'soak', '--config', path.join(ROOT, 'config', 'soak.json'),
      '--out', path.join(dir, `out${mask}`), '--max-time', '2', '--workers', '1', '--seed', '1'], { stdio: 'ignore' });
    child.on('close', (code, signal) => resolve({ mask, code, signal }));
  })));
  for (const c of codes) assert.deepStrictEqual([c.code, c.signal], [0, null], `fd mask ${c.mask}`);
  for (const mask of [1, 2, 4, 7]) assert.ok(readJson(path.join(dir, `out${mask}`, 'stats.json')).execs > 0, `mask ${mask}: cases ran`);
});

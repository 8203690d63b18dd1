'use strict';
// The target SDK on a second addon with another API shape (tests/fixtures/
// bufaddon: an async sum of a Buffer's bytes, no delay knob), built with
// node-gyp offline by `make fixtures` (make test does it first). The library is not Elem-specific: the borrowed
// flavour is found through the window gate alone; the fixed one stays clean.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, tmpdir, gcfuzz, readJson, records, soakUntil, soakUntilConfirmed, sarifValidator } = require('./helpers.js');
const { runHarness, asanEnv } = require('../../addon/test/helpers.js');

// DIR/NAME: a release-build config (no minimizing, no feedback) with
// overrides, whose seeds are the one case `seed`.
function seededConfig(dir, name, seed, overrides) {
  const seeds = path.join(dir, 'seeds');
  fs.mkdirSync(seeds);
  fs.writeFileSync(path.join(seeds, 's.json'), JSON.stringify(seed));
  const cfg = path.join(dir, name);
  fs.writeFileSync(cfg, JSON.stringify({ build: 'release', seeds, minimize_new: false, feedback: false, ...overrides }));
  return cfg;
}

const BUF = path.join(ROOT, 'tests', 'fixtures', 'bufaddon');
const TARGET = path.join(BUF, 'target.js');
// A full GC frees the unreachable Buffers; the gate keeps the addon's reads
// behind it. Without the gate the reads win the race (0/10 measured).
const GATED = { entry: 'sum_bytes_borrowed', elems: 16, elem_len: 4096, gate: 1, gc: [{ op: 'gc', type: 'full' }, { op: 'immediate' }] };

test.before(() => {
  assert.ok(fs.existsSync(path.join(BUF, 'build', 'Release', 'bufsum_asan.node')), 'run make fixtures first');
});

test('the borrowed Buffer is found through the gate: ASan UAF in >= 9 of 10 one-shot runs', async () => {
  let hits = 0;
  for (let i = 0; i < 10; i++) {
    const r = await runHarness(['--build', 'asan', '--once'], [{ ...GATED, id: `g${i}`, seed: i }], asanEnv(), TARGET);
    if (/heap-use-after-free/.test(r.stderr) && /job_execute/.test(r.stderr)) hits++;
  }
  assert.ok(hits >= 9, `detected in ${hits}/10`);
});

test('the fixed flavour stays exact and clean over 100 gated cases in one worker', async () => {
  const cases = Array.from({ length: 100 }, (_, i) => ({ ...GATED, entry: 'sum_bytes', id: `f${i}`, seed: i, len_mix: i % 2, shared: i % 3, dups: i % 4 }));
  const r = await runHarness(['--build', 'asan'], cases, asanEnv(), TARGET);
  assert.strictEqual(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /AddressSanitizer/);
  const results = r.events.filter((e) => e.event === 'result');
  assert.strictEqual(results.length, 100);
  for (const x of results) assert.deepStrictEqual([x.outcome, x.checked], ['ok', 1], JSON.stringify(x));
});

test('a target with a missing function is refused before any case, naming the field', async () => {
  const dir = tmpdir('badtarget');
  const bad = path.join(dir, 'bad.js');
  fs.writeFileSync(bad, "module.exports = { entries: { f: { input: () => 1 } } };\n");
  const r = await runHarness([], [], process.env, bad);
  assert.strictEqual(r.code, 2);
  assert.match(r.stderr, /target .*bad\.js: entries\.f\.call: is required/);
});

// A user's config: the target under test has no known bug, so the positive
// control is the demo addon's, through the same harness library and node;
// the build is a .node path, so ASan comes from `sanitizer`, not a name.
function userConfig(dir, extra = {}) {
  const file = path.join(dir, 'bufsum.json');
  fs.writeFileSync(file, JSON.stringify({
    target: TARGET, build: path.join(BUF, 'build', 'Release', 'bufsum_asan.node'), sanitizer: 'address',
    entries: ['sum_bytes', 'sum_bytes_borrowed'], entry: 'sum_bytes', seeds: path.join(BUF, 'seeds'),
    target_frames: ['bufsum'], confirm_runs: 2, workers: 2,
    limits: { max_elems: 64, max_elem_len: 8192 },
    control: { target: path.join(ROOT, 'addon', 'target.js'), build: 'asan', entry: 'sum_borrowed', max_s: 30 },
    ...extra,
  }));
  return file;
}

test('ci on a user target: control on the demo addon detected, the fixed entry clean (exit 0), the borrowed one found (exit 1)', async () => {
  const dir = tmpdir('sdk-ci');
  const cfg = userConfig(dir);
  // Two nights side by side. The control's time comes out of the budget:
  // 20 s leaves room for a loaded machine (1.1-1.7 s measured quiet). The
  // buggy night runs in --pr mode, which stops at its first new bucket: an
  // event, where a 10 s budget raced the control and the first find.
  const [clean, buggy] = await Promise.all([
    gcfuzz(['ci', '--config', cfg, '--out', path.join(dir, 'clean'), '--max-time', '20', '--seed', '1']),
    gcfuzz(['ci', '--config', cfg, '--out', path.join(dir, 'buggy'), '--entry', 'sum_bytes_borrowed', '--pr', '--max-time', '120', '--seed', '1']),
  ]);
  assert.strictEqual(clean.code, 0, clean.stderr);
  assert.strictEqual(readJson(path.join(dir, 'clean', 'summary.json')).control.detected, true);
  assert.strictEqual(records(path.join(dir, 'clean')).length, 0);
  assert.strictEqual(buggy.code, 1, buggy.stderr);
  const uaf = records(path.join(dir, 'buggy')).find((x) => x.kind === 'asan');
  assert.ok(uaf, 'an ASan bucket');
  assert.strictEqual(uaf.bug_type, 'heap-use-after-free');
  assert.match(uaf.signature, /job_execute/);
  // Its standalone reproducer (#20): the build a .node path, ASan from the
  // config's sanitizer; the fixed entry through the same script is clean.
  // The record's own case is whichever mutation crashed first (without the
  // gate it reproduces 0/10: the first test), so the record is given the
  // gated case, which fails in >= 9 of 10 one-shot runs: 2 or more hits of
  // 3 then miss with chance < 0.03 at p = 0.9.
  const file = path.join(dir, 'gated-record.json');
  const gated = { ...readJson(path.join(dir, 'buggy', 'crashes', `${uaf.hash}.json`)), case: { ...GATED, id: 'gated', seed: 0 } };
  delete gated.minimized_case;
  fs.writeFileSync(file, JSON.stringify(gated));
  const script = path.join(dir, 'repro.js');
  const fixed = path.join(dir, 'repro-fixed.js');
  assert.strictEqual((await gcfuzz(['repro', '--config', cfg, file, '-o', script])).code, 0);
  assert.strictEqual((await gcfuzz(['repro', '--config', cfg, '--entry', 'sum_bytes', file, '-o', fixed])).code, 0);
  const [bug, ok] = [spawnSync(process.execPath, [script, '3'], { encoding: 'utf8' }), spawnSync(process.execPath, [fixed, '2'], { encoding: 'utf8' })];
  const hits = (bug.stdout.match(/FAILED as recorded: asan heap-use-after-free/g) || []).length;
  assert.ok(hits >= 2, bug.stdout + bug.stderr);
  assert.strictEqual(bug.status, 1);
  assert.match(bug.stdout, /^ASan build: each run is LD_PRELOAD=\S*libasan\S* /m);
  assert.strictEqual(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^not reproduced 0\/2/m);
  // Its issue: the .node path of this machine reduced to its name.
  const md = await gcfuzz(['report', '--issue', uaf.hash, '--config', cfg, path.join(dir, 'buggy')]);
  assert.strictEqual(md.code, 0, md.stderr);
  assert.ok(!md.stdout.includes(BUF) && !md.stdout.includes(dir), 'no path of this machine');
  assert.match(md.stdout, /- build: `bufsum_asan\.node` \(AddressSanitizer\)/);
  assert.match(md.stdout, /run `node repro\.js 10 --build <your build>`/);
});

test('an ASan .node path without sanitizer "address" cannot start: the config decides', async () => {
  const dir = tmpdir('sdk-nosan');
  const cfg = userConfig(dir, { sanitizer: 'none', control: { entry: 'sum_bytes_borrowed', max_s: 5 } });
  const r = await gcfuzz(['soak', '--config', cfg, '--out', path.join(dir, 'out'), '--max-time', '5']);
  assert.strictEqual(r.code, 2);
  assert.match(r.stderr, /ASan runtime does not come first/);
});

test('a config that sends an entry the target lacks stops with exit 2 instead of counting rejected cases as clean execs', async () => {
  const dir = tmpdir('sdk-mismatch');
  const cfg = userConfig(dir, { entries: ['sum_bytes', 'no_such_entry'], entry: 'no_such_entry' });
  const r = await gcfuzz(['soak', '--config', cfg, '--out', path.join(dir, 'out'), '--max-time', '20']);
  assert.strictEqual(r.code, 2, r.stderr);
  // said once, at the first ready line, with what the target has (it took
  // 32 identical rejection lines before)
  assert.match(r.stderr, /entry 'no_such_entry' of the config is not an entry of the target \(it has: sum_bytes, sum_bytes_borrowed, crash\)/);
  assert.ok((r.stderr.match(/harness rejected/g) || []).length <= 1, r.stderr);
});

// As written: no path filled in, the config named relative to another
// working directory (setup's build was relative to it, and require() failed).
test('the doc/target.md example works as written: its target and config, run gcfuzz ci clean (exit 0)', async () => {
  const page = fs.readFileSync(path.join(ROOT, 'doc', 'target.md'), 'utf8');
  const section = page.slice(page.indexOf('## A complete example'));
  const js = section.match(/```js\n([\s\S]*?)```/)[1];
  const json = section.match(/```json\n([\s\S]*?)```/)[1];
  assert.ok(js.split('\n').length + json.split('\n').length <= 40, 'the example is at most 40 lines');
  const dir = tmpdir('sdk-readme');
  fs.writeFileSync(path.join(dir, 'target.js'), js);
  const cfg = JSON.parse(json);
  fs.mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
  fs.copyFileSync(path.join(BUF, 'build', 'Release', 'bufsum_asan.node'), path.join(dir, cfg.build));
  fs.writeFileSync(path.join(dir, 'config.json'), json);
  const out = path.join(dir, 'out');
  const r = await gcfuzz(['ci', '--config', path.relative(ROOT, path.join(dir, 'config.json')), '--out', out, '--max-time', '4', '--seed', '2', '--workers', '2']);
  assert.strictEqual(r.code, 0, r.stderr);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.strictEqual(summary.control.detected, true);
  assert.ok(summary.target.execs > 0, 'cases ran');
});

// Node installs its own SIGSEGV handler over ASan's: a segfault in an ASan
// worker died with no report and no frames (signal:SIGSEGV:entry=crash).
// ASan now keeps the signal (allow_user_segv_handler=0), and V8's wasm trap
// handler, which needed it, is replaced by explicit bounds checks: a wasm
// out-of-bounds access in an ASan worker stays a caught JS trap.
test('an ASan worker\'s segfault is an ASan SEGV report with frames; a wasm trap in an ASan worker is no crash', { timeout: 60000 }, async () => {
  const dir = tmpdir('sdk-asan-segv');
  const wasm = path.join(dir, 'wasm.js');
  // (module (memory 1) (func (export "load") (result i32) i32.const 70000 i32.load))
  fs.writeFileSync(wasm, `const bytes = new Uint8Array([0,0x61,0x73,0x6d,1,0,0,0,1,5,1,0x60,0,1,0x7f,3,2,1,0,5,3,1,0,1,7,8,1,4,0x6c,0x6f,0x61,0x64,0,0,0x0a,0x0b,1,9,0,0x41,0xf0,0xa2,0x04,0x28,2,0,0x0b]);
const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
module.exports = { entries: { oob: { input: () => 0, oracle: () => 'trap', call: () => { try { inst.exports.load(); return Promise.resolve('none'); } catch (e) { return Promise.resolve('trap'); } } } } };\n`);
  const config = (target, entry, extra = {}) => {
    const file = path.join(dir, `${entry}.json`);
    fs.writeFileSync(file, JSON.stringify({
      target, build: path.join(BUF, 'build', 'Release', 'bufsum_asan.node'), sanitizer: 'address', entries: [entry], entry,
      seeds: null, confirm_runs: 0, feedback: false, target_frames: ['bufsum'], control: { entry }, ...extra,
    }));
    return file;
  };
  const r = await gcfuzz(['soak', '--config', config(TARGET, 'crash'), '--out', path.join(dir, 'segv'), '--workers', '1', '--stop-on-crash', '--max-time', '20']);
  assert.strictEqual(r.code, 1, r.stderr);
  const rec = records(path.join(dir, 'segv'))[0];
  assert.deepStrictEqual([rec.kind, rec.bug_type], ['asan', 'SEGV'], rec.signature);
  assert.match(rec.signature, /^asan:SEGV:poke_null>crash_execute:entry=crash$/);
  const w = await gcfuzz(['soak', '--config', config(wasm, 'oob'), '--out', path.join(dir, 'wasm'), '--workers', '1', '--max-time', '1.5']);
  assert.strictEqual(w.code, 0, w.stderr);
  assert.strictEqual(records(path.join(dir, 'wasm')).length, 0, 'a wasm trap is no crash');
  assert.ok(readJson(path.join(dir, 'wasm', 'stats.json')).execs > 0);
});

// A release build has no ASan report: the preloaded handler writes the
// crashing thread's frames, and the daemon names them from the addon's ELF
// symbols. poke_null is static (only .symtab has it, dladdr cannot name
// it). The same bug gives the same signature run after run; without the
// handler (native_frames: false) the bucket is the bare signal.
test('a release build crash gets native frames: a static function names the bucket, stably', { timeout: 60000 }, async () => {
  const dir = tmpdir('sdk-native');
  const config = (extra) => {
    const file = path.join(dir, `native-${Object.keys(extra).length}.json`);
    fs.writeFileSync(file, JSON.stringify({
      target: TARGET, build: path.join(BUF, 'build', 'Release', 'bufsum.node'), entries: ['crash'], entry: 'crash',
      seeds: null, confirm_runs: 0, feedback: false, control: { entry: 'crash' }, ...extra,
    }));
    return file;
  };
  const soak = async (cfg, out) => {
    const r = await gcfuzz(['soak', '--config', cfg, '--out', path.join(dir, out), '--workers', '1', '--stop-on-crash', '--max-time', '20']);
    assert.strictEqual(r.code, 1, r.stderr);
    return records(path.join(dir, out))[0];
  };
  const first = await soak(config({}), 'a');
  assert.strictEqual(first.signature, 'signal:SIGSEGV:poke_null:entry=crash');
  // a case that crashed instead of answering ran: execs are never fewer than crashes
  const stats = readJson(path.join(dir, 'a', 'stats.json'));
  assert.ok(stats.crashes >= 1 && stats.execs >= stats.crashes, JSON.stringify(stats));
  const top = first.frames.find((f) => f.target);
  assert.deepStrictEqual([top.function, top.target], ['poke_null', true]);
  assert.match(top.location, /bufsum\.node\+0x[0-9a-f]+$/);
  assert.match(first.stderr_tail, /==gcfuzz-crash== SIGSEGV\n/);
  assert.strictEqual((await soak(config({}), 'b')).signature, first.signature, 'the same bucket again');
  assert.strictEqual((await soak(config({ native_frames: false }), 'c')).signature, 'signal:SIGSEGV:entry=crash');
});

// One bug, two faces (gf_bugs.h): faces.js fails, with its inputs dropped,
// first as a wrong result and then as a located SIGSEGV (poke_null), and
// never with `keep`. Both buckets open; confirmation runs the wrong
// result's control (the case with keep: clean), so the two are recorded as
// one bug, and replaying the SIGSEGV record - whose case gives a wrong
// result first in a fresh process - says reproduced. logic_and_uaf also
// sums wrong with keep: its control fails and its wrong result stays a bug
// of its own.
test('a wrong result and a segfault of one use-after-free are one bug; a wrong result with inputs kept is another', { timeout: 60000 }, async () => {
  const dir = tmpdir('sdk-faces');
  const cfg = seededConfig(dir, 'faces.json', { id: 's', entry: 'two_faces', elems: 2, elem_len: 16, concurrency: 1 }, {
    target: path.join(BUF, 'faces.js'), entries: ['two_faces', 'logic_and_uaf'], entry: 'two_faces',
    confirm_runs: 2, target_frames: ['bufsum'], control: { entry: 'two_faces' }, env: { FACES_DIR: dir },
  });
  const soak = (entry) => soakUntilConfirmed(['--config', cfg, '--entry', entry, '--workers', '1', '--seed', '1', '--max-time', '50'], path.join(dir, entry), 2);
  const [one, two] = await Promise.all([soak('two_faces'), soak('logic_and_uaf')]);
  assert.strictEqual(one.code, 0, one.stderr);
  assert.strictEqual(two.code, 0, two.stderr);

  const recs = records(path.join(dir, 'two_faces'));
  const wrong = recs.find((r) => r.kind === 'mismatch');
  const segv = recs.find((r) => r.kind === 'signal');
  assert.ok(wrong && segv, recs.map((r) => r.signature).join(', '));
  assert.strictEqual(segv.signature, 'signal:SIGSEGV:poke_null:entry=two_faces');
  // what mismatched, from the harness's result line (it was an empty message)
  assert.match(wrong.message, /^call \d+: got \d+, expected \d+$/);
  assert.ok(Number.isInteger(wrong.call) && /^\d+$/.test(wrong.result) && /^\d+$/.test(wrong.expected), JSON.stringify(wrong));
  assert.notStrictEqual(wrong.result, wrong.expected);
  assert.deepStrictEqual(wrong.control, { runs: 2, failed: 0 });
  assert.deepStrictEqual(wrong.same_bug_as, { hash: segv.hash, signature: segv.signature });
  assert.deepStrictEqual(segv.manifestations, [{ hash: wrong.hash, signature: wrong.signature }]);
  assert.deepStrictEqual(segv.control, { runs: 2, failed: 0 }, 'its case with keep: no SIGSEGV, so it needs the GC');
  const rep = await gcfuzz(['report', path.join(dir, 'two_faces')]);
  assert.strictEqual(rep.code, 0, rep.stderr);
  const md = fs.readFileSync(path.join(dir, 'two_faces', 'report.md'), 'utf8');
  assert.match(md, / 2 bucket\(s\), 1 bug\(s\)\./);
  assert.match(md, /\| `mismatch:wrong-result:entry=two_faces`.* \| yes \(kept: 0\/2 failed\) \|/);
  assert.ok(md.includes(`<br>\`call ${wrong.call}: got ${wrong.result}, expected ${wrong.expected}\``), 'report.md says what mismatched');
  const issue = await gcfuzz(['report', '--issue', wrong.hash, '--config', cfg, path.join(dir, 'two_faces')]);
  assert.ok(issue.stdout.includes(`call ${wrong.call} gives \`${wrong.result}\`, where the oracle computes \`${wrong.expected}\``), issue.stdout.slice(0, 400));
  const html = fs.readFileSync(path.join(dir, 'two_faces', 'report.html'), 'utf8');
  assert.match(html, /<span id="nbugs">1<\/span> bug\(s\)/);
  assert.match(html, new RegExp(`same bug as <a href="#b-${segv.hash}">`));
  // SARIF: the wrong result has no frames of its own; it points where its bug is.
  const log = readJson(path.join(dir, 'two_faces', 'report.sarif'));
  assert.ok(sarifValidator()(log), JSON.stringify(sarifValidator().errors));
  const sarif = log.runs[0].results;
  const [sw, ss] = [wrong, segv].map((r) => sarif.find((x) => x.properties.signature === r.signature));
  assert.strictEqual(ss.locations.length, 1);
  assert.deepStrictEqual(sw.locations, ss.locations);
  assert.match(sw.message.text, new RegExp(`The same bug as ${segv.signature}`));

  const file = path.join(dir, 'two_faces', 'crashes', `${segv.hash}.json`);
  // One at a time, its runs alternate: 2 of its 4 (2 fresh, 2 warm) fail
  // as the same bug's wrong result, the other 2 as itself.
  const replay = await gcfuzz(['replay', '--config', cfg, '--runs', '2', '--workers', '1', file]);
  assert.strictEqual(replay.code, 1, replay.stderr);
  const j = JSON.parse(replay.stdout).cases[0];
  assert.deepStrictEqual([j.status, j.runs, j.reproduced, j.reproduced_as_same_bug, j.same_bug_signature, j.other_failures],
    ['reproduced', 4, 4, 2, wrong.signature, 0]);

  const logic = records(path.join(dir, 'logic_and_uaf'));
  const lw = logic.find((r) => r.kind === 'mismatch');
  assert.ok(lw && logic.some((r) => r.kind === 'signal'), logic.map((r) => r.signature).join(', '));
  assert.deepStrictEqual(lw.control, { runs: 2, failed: 2 });
  assert.strictEqual((await gcfuzz(['report', path.join(dir, 'logic_and_uaf')])).code, 0);
  assert.match(fs.readFileSync(path.join(dir, 'logic_and_uaf', 'report.md'), 'utf8'), /\| `mismatch:wrong-result:entry=logic_and_uaf`<br>`call \d+: got \d+, expected \d+` \|.* \| no \(kept: 2\/2 failed\) \|/);
  assert.strictEqual(lw.same_bug_as, undefined);
  assert.ok(logic.every((r) => r.manifestations === undefined));
});


// An exception that shows only when a case reuses an input is almost
// always the API refusing a single-use handle, not a bug (#25): the
// bucket is flagged with a hint to mark the entry `distinct`, on its NEW
// line, in the record and in the reports.
test('an exception seen only with reused inputs hints at distinct', { timeout: 60000 }, async () => {
  const dir = tmpdir('sdk-distinct');
  const cfg = seededConfig(dir, 'once.json', { id: 's', entry: 'once', elems: 4, elem_len: 1, dups: 2 }, {
    target: path.join(ROOT, 'tests/fixtures/single_use.js'), entries: ['once', 'boom'], entry: 'once',
    confirm_runs: 0, control: { entry: 'boom' },
  });
  const out = path.join(dir, 'out');
  const r = await soakUntil(['--config', cfg, '--workers', '1', '--seed', '1', '--max-time', '30'], out, (o) => records(o).length > 0);
  assert.strictEqual(r.code, 0, r.stderr);
  const [rec] = records(out);
  assert.strictEqual(rec.kind, 'exception');
  assert.match(r.stderr, /gcfuzz: NEW exception:handle already consumed:entry=once .*\ngcfuzz: {3}seen only when a case reuses an input \(dups or shared > 0\), never without: .* mark the entry distinct/);
  assert.strictEqual(rec.distinct_hint, true);
  assert.ok(rec.reuse.with >= 1 && rec.reuse.without === 0, JSON.stringify(rec.reuse));
  assert.strictEqual((await gcfuzz(['report', out])).code, 0);
  assert.match(fs.readFileSync(path.join(out, 'report.md'), 'utf8'), /entry=once`<br>`seen only when a case reuses an input/);
  const sarif = readJson(path.join(out, 'report.sarif')).runs[0].results[0];
  assert.match(sarif.message.text, /seen only when a case reuses an input/);
  const issue = await gcfuzz(['report', '--issue', rec.hash, '--config', cfg, out]);
  assert.match(issue.stdout, /only when the case passes one input twice .* mark the entry `distinct`/);
});

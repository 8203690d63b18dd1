'use strict';
// `gcfuzz ci` and `gcfuzz replay` end to end, with the ASan build (config/ci.json).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, tmpdir, gcfuzz, writeConfig, readJson, records } = require('./helpers.js');

const CI = 'config/ci.json';

test('ci finds the borrowed bug and exits 1 when the shipped entry is sum_borrowed; replay agrees', async () => {
  const dir = tmpdir('ci-borrowed');
  const out = path.join(dir, 'out');
  // Seeds and ops that make every crash a reliable reproducer (a major GC
  // inside a >= 20 ms window), so that replaying the crash that happens to
  // be found first is a test of replay, not of luck. The mutator still runs.
  const seeds = path.join(dir, 'seeds');
  fs.mkdirSync(seeds);
  fs.writeFileSync(path.join(seeds, 'textbook.json'), JSON.stringify({
    id: 'textbook', entry: 'sum_borrowed', elems: 64, elem_len: 256, delay_us: 40000,
    gc: [{ op: 'gc', type: 'major' }, { op: 'immediate', n: 1 }, { op: 'gc', type: 'major' }],
  }));
  // No teardown cases: a teardown's crash is another bucket (":teardown"),
  // which the seed's case below, run without one, would not reproduce.
  const cfg = writeConfig(dir, 'ci', { seeds, limits: { max_delay_us: 50000, gc_ops: ['gc', 'immediate'], max_teardown: 0 } });
  const r = await gcfuzz(['ci', '--config', cfg, '--out', out, '--entry', 'sum_borrowed', '--max-time', '6', '--seed', '1', '--workers', '2']);
  assert.strictEqual(r.code, 1, r.stderr);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.strictEqual(summary.exit_code, 1);
  assert.strictEqual(summary.control.detected, true);
  assert.ok(summary.target.crashes >= 1);
  const recs = records(out);
  assert.ok(recs.length >= 1);
  const uaf = recs.find((x) => x.kind === 'asan' && x.bug_type === 'heap-use-after-free');
  assert.ok(uaf, `an ASan UAF bucket among ${recs.map((x) => x.signature)}`);
  assert.match(uaf.signature, /gf_borrowed_sum/);
  assert.strictEqual(uaf.entry, 'sum_borrowed');
  assert.strictEqual(uaf.addon_build, 'asan');
  assert.match(uaf.node_version, /^v\d+/);
  assert.match(uaf.replay, /gcfuzz' replay --config '.*' --runs auto '.*crashes\/[0-9a-f]{16}\.json'$/); // shell words
  const junit = fs.readFileSync(path.join(out, 'junit.xml'), 'utf8');
  assert.strictEqual((junit.match(/<testcase /g) || []).length, 1 + recs.length);
  assert.ok(junit.includes('<failure type="asan"'));
  // The failure text is the report where it says what happened (0.5.0: the
  // last 3000 bytes, ASan's shadow-byte legend).
  const failure = junit.slice(junit.indexOf('<failure type="asan"'));
  assert.match(failure, /ERROR: AddressSanitizer: heap-use-after-free/);
  assert.match(failure, /READ of size \d+ at 0x[0-9a-f]+ thread T\d+\n\s+#0 0x[0-9a-f]+ in gf_borrowed_sum/);
  assert.doesNotMatch(failure.slice(0, failure.indexOf('</failure>')), /Shadow bytes around/);

  // The bucket's own case is whichever case crashed first; the mutator may
  // have shrunk its window (seen once: delay_us 9, confirmed 0/3 fresh and
  // warm), and then replay rightly says inconclusive. So replay checks the
  // bucket with the seed's reliable case (same entry, same signature).
  const check = path.join(dir, 'check.json');
  const rec = { ...uaf, case: JSON.parse(fs.readFileSync(path.join(seeds, 'textbook.json'), 'utf8')) };
  delete rec.reproducibility_warm; // fresh runs only: K runs, not 2K
  fs.writeFileSync(check, JSON.stringify(rec));
  const borrowed = await gcfuzz(['replay', '--config', cfg, '--runs', '3', check]);
  assert.strictEqual(borrowed.code, 1, borrowed.stderr);
  const bj = JSON.parse(borrowed.stdout);
  assert.strictEqual(bj.cases[0].status, 'reproduced');
  assert.ok(bj.cases[0].reproduced >= 2, `reproduced ${bj.cases[0].reproduced}/3`);
  // The rate just measured is the case's: the fixed entries are judged by it.
  fs.writeFileSync(check, JSON.stringify({ ...rec, reproducibility: { runs: 3, reproduced: bj.cases[0].reproduced } }));
  for (const entry of ['sum', 'sum_ref']) {
    const fixed = await gcfuzz(['replay', '--config', cfg, '--runs', '3', '--entry', entry, check]);
    assert.strictEqual(fixed.code, 0, fixed.stderr);
    const fj = JSON.parse(fixed.stdout);
    assert.strictEqual(fj.cases[0].status, 'fixed');
    assert.strictEqual(fj.cases[0].entry, entry);
    assert.strictEqual(fj.cases[0].runs, 3);
  }
});

test('ci exits 0 on the shipped entry, after detecting the positive control', async () => {
  const out = tmpdir('ci-clean');
  const r = await gcfuzz(['ci', '--config', CI, '--out', out, '--max-time', '8', '--seed', '2', '--workers', '2']);
  assert.strictEqual(r.code, 0, r.stderr);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.strictEqual(summary.control.detected, true);
  assert.strictEqual(summary.target.entry, 'sum');
  assert.ok(summary.target.execs > 50, `execs ${summary.target.execs}`);
  assert.deepStrictEqual(summary.buckets, []);
  // A stable test name (CI tools track tests by name); the execs go to system-out.
  assert.match(fs.readFileSync(path.join(out, 'junit.xml'), 'utf8'), /<testcase classname="gcfuzz\.sum" name="no crash" time="[\d.]+">\n +<system-out>\d+ execs in [\d.]+ s<\/system-out>/);
});

test('ci exits 3 when the positive control cannot be detected', async () => {
  const dir = tmpdir('ci-nocontrol');
  // A "control" that is not buggy: the harness or build can't see the bug.
  const cfg = writeConfig(dir, 'ci', { control: { entry: 'sum', max_s: 2 } });
  const r = await gcfuzz(['ci', '--config', cfg, '--out', path.join(dir, 'out'), '--max-time', '10', '--workers', '1']);
  assert.strictEqual(r.code, 3, r.stderr);
  assert.match(r.stderr, /cannot detect the known bug/);
  const summary = readJson(path.join(dir, 'out', 'summary.json'));
  assert.strictEqual(summary.exit_code, 3);
  assert.strictEqual(summary.target, null);
  assert.match(fs.readFileSync(path.join(dir, 'out', 'junit.xml'), 'utf8'), /failure type="no-control"/);
});

// Code-change mode (ClusterFuzzLite's idea): a pull request fails only on a
// bucket it opened; buckets already in OUT (the cached crash corpus) are the
// nightly job's business. The harness crashes every case with one ASan
// signature, so the first run opens it and the second only meets it again.
test('ci --pr stops at the first new bucket and fails only on new buckets', { timeout: 60000 }, async () => {
  const dir = tmpdir('ci-pr');
  const out = path.join(dir, 'out');
  const cfg = writeConfig(dir, 'ci', {
    harness: path.join(ROOT, 'tests/hostile/nul_stderr.js'), target: null, confirm_runs: 0, feedback: false,
    control: { entry: 'sum_borrowed', max_s: 10 },
  });
  const first = await gcfuzz(['ci', '--pr', '--config', cfg, '--out', out, '--max-time', '30', '--workers', '1']);
  assert.strictEqual(first.code, 1, first.stderr);
  const s1 = readJson(path.join(out, 'summary.json'));
  assert.strictEqual(s1.target.new_buckets, 1);
  // Every case crashes: run to --max-time it would count dozens; stopped at
  // the new bucket (one worker, nothing else in flight), one.
  assert.strictEqual(s1.target.crashes, 1, `stopped at the new bucket, not at --max-time (${JSON.stringify(s1.target)})`);
  const again = await gcfuzz(['ci', '--pr', '--config', cfg, '--out', out, '--max-time', '3', '--workers', '1']);
  assert.strictEqual(again.code, 0, again.stderr);
  const s2 = readJson(path.join(out, 'summary.json'));
  assert.ok(s2.target.crashes >= 1 && s2.target.new_buckets === 0, JSON.stringify(s2.target));
  const nightly = await gcfuzz(['ci', '--config', cfg, '--out', out, '--max-time', '3', '--workers', '1']);
  assert.strictEqual(nightly.code, 1, 'without --pr a known bucket still fails the job');
});


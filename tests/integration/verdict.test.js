'use strict';
// Replay verdicts a maintainer can act on (#12): a record replays on the
// build it was found with, and "fixed" is said only when a live bug at the
// record's rate would have shown in the runs made (miss chance < 5 %).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, tmpdir, gcfuzz, writeConfig, readJson, records, events, soakUntil, soakUntilConfirmed } = require('./helpers.js');

// An ASan record of the borrowed bug, confirmed (a reliable seed case).
async function asanRecord(dir) {
  const seeds = path.join(dir, 'seeds');
  fs.mkdirSync(seeds);
  fs.writeFileSync(path.join(seeds, 'textbook.json'), JSON.stringify({
    id: 'textbook', entry: 'sum_borrowed', elems: 64, elem_len: 256, delay_us: 40000,
    gc: [{ op: 'gc' }, { op: 'immediate', n: 1 }, { op: 'gc' }],
  }));
  const cfg = writeConfig(dir, 'ci', { seeds, confirm_runs: 3, feedback: false, limits: { max_delay_us: 50000, gc_ops: ['gc', 'immediate'] } });
  const out = path.join(dir, 'out');
  const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--entry', 'sum_borrowed', '--stop-on-crash', '--max-time', '30', '--seed', '1', '--workers', '2']);
  assert.strictEqual(r.code, 1, r.stderr);
  const rec = records(out).find((x) => x.kind === 'asan');
  assert.ok(rec, 'an ASan record');
  assert.strictEqual(rec.addon_build, 'asan');
  return path.join(out, 'crashes', `${rec.hash}.json`);
}

test('a record found with the ASan build replays on it, even from a release config; --build overrides, and says so', async () => {
  const dir = tmpdir('verdict-build');
  const file = await asanRecord(dir);
  const release = writeConfig(dir, 'soak', {}); // build: release
  const r = await gcfuzz(['replay', '--config', release, '--runs', '3', file]);
  assert.strictEqual(r.code, 1, r.stderr);
  assert.match(r.stderr, /on build asan \(the record's; the config has release\)/);
  assert.strictEqual(JSON.parse(r.stdout).cases[0].build, 'asan');
  // Another build only when asked, and said; never a "fixed" from a build that crashes otherwise.
  const other = await gcfuzz(['replay', '--config', writeConfig(dir, 'ci', {}), '--build', 'release', '--runs', '3', file]);
  assert.match(other.stderr, /on build release \(--build; the config has asan\)/);
  const oc = JSON.parse(other.stdout).cases[0];
  assert.strictEqual(oc.build, 'release');
  assert.notStrictEqual(oc.status, 'fixed', JSON.stringify(oc));
  // The record keeps its sanitizer, and --build keeps the config's: a fix
  // checked on another ASan .node path runs under ASan too (0.5.0 fell back
  // to the build's name, and the harness could not start: exit 2).
  assert.strictEqual(readJson(file).sanitizer, 'address');
  const asanPath = path.join(ROOT, 'addon', 'build', 'Release', 'gcfuzz_addon_asan.node');
  const byPath = await gcfuzz(['replay', '--config', writeConfig(dir, 'ci', { sanitizer: 'address' }), '--build', asanPath, '--runs', '3', file]);
  assert.strictEqual(byPath.code, 1, byPath.stderr);
  assert.strictEqual(JSON.parse(byPath.stdout).cases[0].harness_errors, 0);
  // The triage step release -> ASan: the same case recorded as a release
  // build's wrong result, replayed on the ASan build, fails there as an
  // ASan report. That is the bug reproducing, and said so (0.5.0: "not
  // reproduced (inconclusive)", exit 4).
  const rel = { ...readJson(file), kind: 'mismatch', bug_type: 'wrong-result', access: '', signature: 'mismatch:wrong-result:entry=sum_borrowed', addon_build: 'release', sanitizer: 'none', frames: [], free_frames: [], alloc_frames: [] };
  const relFile = path.join(dir, 'release-record.json');
  fs.writeFileSync(relFile, JSON.stringify(rel));
  const cross = await gcfuzz(['replay', '--config', release, '--build', 'asan', '--runs', '3', relFile]);
  assert.strictEqual(cross.code, 1, cross.stderr);
  const cc = JSON.parse(cross.stdout).cases[0];
  assert.ok(cc.reproduced_on_other_build >= 1 && cc.reproduced_on_other_build === cc.reproduced, JSON.stringify(cc));
  assert.match(cc.other_build_signature, /^asan:heap-use-after-free:READ:.*:entry=sum_borrowed$/);
  assert.match(cross.stderr, /reproduced \d\/3 .* \(\d on build asan as asan:heap-use-after-free:READ:\S+: the record's case failing as that build shows it\)/);
});

test('no hit in too few runs for the record rate is inconclusive (exit 4); --runs auto makes enough runs to say fixed', async () => {
  const dir = tmpdir('verdict-rate');
  const file = await asanRecord(dir);
  // The same record, said to reproduce 1 time in 10, replayed on the fixed entry.
  const rare = path.join(dir, 'rare.json');
  fs.writeFileSync(rare, JSON.stringify({ ...readJson(file), reproducibility: { runs: 10, reproduced: 1 } }));
  const cfg = writeConfig(dir, 'ci', {});
  const few = await gcfuzz(['replay', '--config', cfg, '--entry', 'sum', '--runs', '3', rare]);
  assert.strictEqual(few.code, 4, few.stderr);
  const c = JSON.parse(few.stdout).cases[0];
  assert.strictEqual(c.status, 'inconclusive');
  assert.ok(Math.abs(c.miss_chance - 0.729) < 0.001, `0.9^3, got ${c.miss_chance}`);
  const auto = await gcfuzz(['replay', '--config', cfg, '--entry', 'sum', '--runs', 'auto', '--workers', '2', rare]);
  assert.strictEqual(auto.code, 0, auto.stderr);
  const a = JSON.parse(auto.stdout).cases[0];
  assert.strictEqual(a.status, 'fixed');
  assert.strictEqual(a.runs, 29, 'the smallest K with 0.9^K < 0.05');
  assert.ok(a.miss_chance < 0.05);
  // A plain case has no rate: no failure is "clean", never "fixed".
  const plain = path.join(dir, 'plain.json');
  fs.writeFileSync(plain, JSON.stringify(readJson(file).case));
  const p = await gcfuzz(['replay', '--config', cfg, '--entry', 'sum', '--runs', '2', plain]);
  assert.strictEqual(p.code, 0, p.stderr);
  assert.strictEqual(JSON.parse(p.stdout).cases[0].status, 'clean');
});

// A record names the node binary and version it was found on. Replay runs it
// on that binary while it exists; a clean replay on another Node version is
// no evidence of a fix in the addon: inconclusive (exit 4), never "fixed".
test('a record runs on its own node binary; not reproducing on another Node version is inconclusive', async () => {
  const dir = tmpdir('verdict-node');
  const nodeLink = path.join(dir, 'node-of-the-record');
  fs.symlinkSync(process.execPath, nodeLink);
  const record = (over) => {
    const file = path.join(dir, `${over.node_version}.json`);
    fs.writeFileSync(file, JSON.stringify({
      gcfuzz_record: 1, hash: '0123456789abcdef', signature: 'signal:SIGSEGV:entry=sum', kind: 'signal', count: 3,
      entry: 'sum', case: { id: 'r', entry: 'sum', elems: 2, elem_len: 2 }, addon_build: 'release',
      reproducibility: { runs: 3, reproduced: 3 }, node: nodeLink, ...over,
    }));
    return file;
  };
  const cfg = writeConfig(dir, 'soak', {});
  const other = await gcfuzz(['replay', '--config', cfg, '--runs', '3', record({ node_version: 'v18.0.0' })]);
  assert.strictEqual(other.code, 4, other.stderr);
  assert.match(other.stderr, new RegExp(`on node ${nodeLink} \\(the record's\\)`));
  assert.match(other.stderr, new RegExp(`inconclusive\\) 0/3: found on Node v18\\.0\\.0, replayed on ${process.version}`));
  const j = JSON.parse(other.stdout).cases[0];
  assert.deepStrictEqual([j.status, j.found_on, j.replayed_on], ['inconclusive', 'v18.0.0', process.version]);
  const same = await gcfuzz(['replay', '--config', cfg, '--runs', '3', record({ node_version: process.version })]);
  assert.strictEqual(same.code, 0, same.stderr);
  assert.strictEqual(JSON.parse(same.stdout).cases[0].status, 'fixed');
});

// A bug only a warm process shows: fresh confirmation runs never see it,
// warm ones (a persistent worker after warm-up cases) do; the record keeps
// both rates, and replay runs warm too, so it says "reproduced" where fresh
// runs alone could only say "inconclusive".
test('a bug only warm processes show is confirmed warm, recorded with both rates, and replays', { timeout: 60000 }, async () => {
  const dir = tmpdir('verdict-warm');
  const seeds = path.join(dir, 'seeds');
  fs.mkdirSync(seeds);
  fs.writeFileSync(path.join(seeds, 'gc.json'), JSON.stringify({ id: 'gc', entry: 'sum', elems: 2, elem_len: 2, gc: [{ op: 'gc' }] }));
  const cfg = writeConfig(dir, 'soak', {
    harness: path.join(ROOT, 'tests/fixtures/warm_bug.js'), target: null, seeds, confirm_runs: 2, feedback: false,
  });
  const out = path.join(dir, 'out');
  let seen = false;
  const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '1', '--seed', '1'], {
    onStderr(text, child) {
      // Stop once the record says it was confirmed (the confirm event is logged then).
      if (seen || !text.includes('gcfuzz: NEW ')) return;
      seen = true;
      const poll = () => {
        const ev = fs.existsSync(path.join(out, 'events.jsonl')) ? fs.readFileSync(path.join(out, 'events.jsonl'), 'utf8') : '';
        if (ev.includes('"event":"confirm"')) child.kill('SIGTERM'); else setTimeout(poll, 50);
      };
      poll();
    },
  });
  assert.strictEqual(r.code, 0, r.stderr);
  const [rec] = records(out);
  assert.deepStrictEqual(rec.reproducibility, { runs: 2, reproduced: 0 }, 'fresh processes never show it');
  assert.deepStrictEqual(rec.reproducibility_warm, { runs: 2, reproduced: 2 }, 'warm ones do');
  const file = path.join(out, 'crashes', `${rec.hash}.json`);
  const rep = await gcfuzz(['replay', '--config', cfg, '--runs', '2', file]);
  assert.strictEqual(rep.code, 1, rep.stderr);
  const j = JSON.parse(rep.stdout).cases[0];
  assert.deepStrictEqual([j.status, j.warm.runs, j.warm.reproduced], ['reproduced', 2, 2]);
  // the line says which runs were which (it summed them: "reproduced 2/4"),
  // and a reproduced case is missed with chance 0, not 1
  assert.match(rep.stderr, /^reproduced 2\/4 \(fresh 0\/2, warm 2\/2\)  /m);
  assert.strictEqual(j.miss_chance, 0);
  // The same record without its warm rate: fresh runs only, and no verdict.
  const cold = path.join(dir, 'cold.json');
  fs.writeFileSync(cold, JSON.stringify({ ...rec, reproducibility_warm: undefined }));
  const coldRep = await gcfuzz(['replay', '--config', cfg, '--runs', '2', cold]);
  assert.strictEqual(coldRep.code, 4, coldRep.stderr);
});

// "hang" is a verdict too: a timeout's confirmation gives the case one
// patience run with 4x timeout_ms (as AFL++ re-runs a hang with a longer
// timeout). `slow` settles after 800 ms - past timeout_ms 500, within 2000 -
// so it is a slow case: recorded, and no bug; `hang` never settles. The
// same in a ci night, where the patience run is made at the end when no
// confirmation made it (gf_settle.h; confirm_runs 0 there, so always): a
// night whose only finding is a slow case passes, JUnit skips it; a hang
// fails the night. Soaks and nights run side by side (they mostly wait).
// The verdict weighs every run, fresh, warm and patience (#25): `racy`
// hangs in its 3 fresh and 3 warm runs and finishes in its patience run
// (deterministically: slow_target.js), and 6 hangs of 7 runs are a hang.
test('a timeout that finishes given 4x the time is a slow case, not a bug, in a soak and a ci night; a real hang stays one, and so does one that mostly hangs', { timeout: 60000 }, async () => {
  const dir = tmpdir('verdict-patience');
  const common = {
    target: path.join(ROOT, 'tests/fixtures/slow_target.js'), entries: ['slow', 'hang', 'boom'], entry: 'slow',
    seeds: null, timeout_ms: 500, feedback: false, minimize_new: false, control: { entry: 'boom', max_s: 10 },
  };
  const cfg = writeConfig(dir, 'soak', { ...common, confirm_runs: 1 });
  const ciCfg = writeConfig(dir, 'ci', { ...common, confirm_runs: 0 });
  const runs = path.join(dir, 'racy-runs');
  fs.mkdirSync(runs);
  const racyCfg = writeConfig(runs, 'soak', { ...common, entries: ['racy', 'boom'], entry: 'racy', confirm_runs: 3, env: { SLOW_TARGET_RUNS: runs } });
  const soak = (entry) => soakUntilConfirmed(['--config', cfg, '--entry', entry, '--workers', '1', '--max-time', '50'], path.join(dir, entry), 1);
  // 6 s a night: its control phase and worker start-up come first, and the
  // five runs here share 2 cores (at 3 s a night under load, no worker of
  // the target phase was ready in time: exit 2).
  const night = (entry) => gcfuzz(['ci', '--config', ciCfg, '--out', path.join(dir, `ci-${entry}`), '--entry', entry, '--max-time', '6', '--workers', '1']);
  const racySoak = soakUntil(['--config', racyCfg, '--entry', 'racy', '--workers', '1', '--max-time', '50'], path.join(dir, 'racy'), (out) => records(out)[0].patience);
  const [slow, hang, slowNight, hangNight, racy] = await Promise.all([soak('slow'), soak('hang'), night('slow'), night('hang'), racySoak]);
  assert.strictEqual(slow.code, 0, slow.stderr);
  assert.strictEqual(hang.code, 0, hang.stderr);
  const [s] = records(path.join(dir, 'slow'));
  const [h] = records(path.join(dir, 'hang'));
  // slow: timed out fresh (1/1), never reached warm (its warm-ups are slow too), finished
  assert.deepStrictEqual([s.kind, s.patience], ['timeout', { timeout_ms: 2000, runs: 1, finished: 1, hangs: 1, of: 3 }]);
  assert.match(slow.stderr, /a slow case, not a hang.*; it hung in 1 of 3 runs/);
  assert.deepStrictEqual([h.kind, h.patience], ['timeout', { timeout_ms: 2000, runs: 1, finished: 0, hangs: 2, of: 3 }]);
  assert.strictEqual(racy.code, 0, racy.stderr);
  const [r] = records(path.join(dir, 'racy'));
  assert.deepStrictEqual([r.kind, r.reproducibility, r.reproducibility_warm, r.patience],
    ['timeout', { runs: 3, reproduced: 3 }, { runs: 3, reproduced: 3 }, { timeout_ms: 2000, runs: 1, finished: 1, hangs: 6, of: 7 }]);
  assert.match(racy.stderr, /: a hang, though a patience run finished: it hung in 6 of 7 runs/);
  assert.doesNotMatch(racy.stderr, /a slow case/);
  for (const [entry, bugs] of [['slow', 0], ['hang', 1], ['racy', 1]]) {
    assert.strictEqual((await gcfuzz(['report', path.join(dir, entry)])).code, 0);
    assert.match(fs.readFileSync(path.join(dir, entry, 'report.md'), 'utf8'), new RegExp(` 1 bucket\\(s\\), ${bugs} bug\\(s\\)\\.`));
  }
  assert.match(fs.readFileSync(path.join(dir, 'slow', 'report.md'), 'utf8'), /\(a slow case, not a hang/);
  const [note] = readJson(path.join(dir, 'slow', 'report.sarif')).runs[0].results;
  assert.deepStrictEqual([note.level, /^A slow case, not a hang/.test(note.message.text)], ['note', true]);
  const rep = await gcfuzz(['replay', '--config', cfg, '--runs', '1', path.join(dir, 'slow', 'crashes', `${s.hash}.json`)]);
  assert.strictEqual(rep.code, 1, rep.stderr);
  assert.match(rep.stderr, /reproduced 1\/2 .*\(a slow case, not a hang/); // fresh; the warm run times out in its warm-up
  assert.strictEqual(JSON.parse(rep.stdout).cases[0].slow_case, true);

  assert.strictEqual(slowNight.code, 0, slowNight.stderr);
  assert.match(slowNight.stderr, /1 timeout\(s\) not confirmed yet: one run each with timeout_ms 2000/);
  assert.match(slowNight.stderr, /1 slow case\(s\), not hangs/);
  assert.match(slowNight.stderr, /: a slow case, not a hang.*; it hung in 0 of 1 runs/); // the rate, said
  const sum = readJson(path.join(dir, 'ci-slow', 'summary.json'));
  assert.deepStrictEqual([sum.exit_code, sum.slow_cases, sum.bugs, sum.buckets.length, sum.buckets[0].slow_case], [0, 1, 0, 1, true]);
  const junit = fs.readFileSync(path.join(dir, 'ci-slow', 'junit.xml'), 'utf8');
  assert.match(junit, /failures="0"/);
  assert.match(junit, /<skipped message="a slow case, not a hang/);
  assert.strictEqual(hangNight.code, 1, hangNight.stderr);
  const hs = readJson(path.join(dir, 'ci-hang', 'summary.json'));
  assert.deepStrictEqual([hs.exit_code, hs.slow_cases, hs.bugs], [1, 0, 1]);
});

// Hangs must not starve confirmation (#25: each run of a hang costs
// timeout_ms; a 90 s ci night confirmed none of three other buckets). A
// hang is found first and its confirmation is under way when a cheap
// bucket opens (slow_target.js: `late` rejects only once `stall`'s first
// confirmation run has started). The cheap one is confirmed with its rates
// first - before the hang's own rates, though the hang's runs were queued
// first - and the hang's patience run comes after both. timeout_ms 2000:
// the hang's five runs left take far longer than the crash's six on any
// machine (each a process start), so the shares decide, not the load. The soak stops as
// soon as the cheap bucket is confirmed (grace_ms 0: what was in flight is
// dropped): no time is waited on.
test('a hang under confirmation does not hold up a cheap bucket found after it', { timeout: 60000 }, async () => {
  const dir = tmpdir('verdict-starve');
  const cfg = writeConfig(dir, 'soak', {
    target: path.join(ROOT, 'tests/fixtures/slow_target.js'), entries: ['stall', 'late'], entry: '',
    seeds: null, timeout_ms: 2000, grace_ms: 0, feedback: false, minimize_new: false, confirm_runs: 3,
    control: { entry: 'late', max_s: 10 }, env: { STALL_MARK: path.join(dir, 'stalled') },
  });
  const out = path.join(dir, 'out');
  const cheapConfirmed = () => {
    const late = records(out).find((r) => r.kind === 'exception');
    return late && events(out).some((e) => e.event === 'confirm' && e.hash === late.hash);
  };
  const r = await soakUntil(['--config', cfg, '--workers', '2', '--max-time', '50'], out, cheapConfirmed);
  assert.strictEqual(r.code, 0, r.stderr);
  const hang = records(out).find((x) => x.kind === 'timeout');
  const late = records(out).find((x) => x.kind === 'exception');
  assert.ok(hang && late, r.stderr);
  assert.deepStrictEqual([late.reproducibility, late.reproducibility_warm], [{ runs: 3, reproduced: 3 }, { runs: 3, reproduced: 3 }]);
  const ev = events(out);
  const at = (pred) => ev.findIndex(pred);
  const found = (b) => at((e) => e.event === 'crash' && e.new && e.hash === b.hash);
  const confirmed = (b) => at((e) => e.event === 'confirm' && e.hash === b.hash);
  assert.ok(found(hang) < found(late), 'the hang was found first');
  assert.ok(confirmed(hang) < 0 || confirmed(late) < confirmed(hang), 'the cheap bucket was confirmed first');
  assert.strictEqual(hang.patience, undefined); // its patience run: last
});

// #24: confirmation ran on one slot, so a bucket storm waited for each
// fresh run in turn. confirm_slots runs them side by side: here the case
// fails only when two confirmation runs meet (tests/fixtures/rendezvous.js),
// so 2 of 2 reproduced says they ran at once (one slot: the first ran alone).
test('confirm_slots 2: two confirmation runs at once', { timeout: 60000 }, async () => {
  const dir = tmpdir('verdict-slots');
  const marks = path.join(dir, 'marks');
  fs.mkdirSync(marks);
  const cfg = writeConfig(dir, 'soak', {
    target: path.join(ROOT, 'tests/fixtures/rendezvous.js'), entries: ['meet'], entry: 'meet', seeds: null,
    confirm_runs: 2, confirm_slots: 2, feedback: false, minimize_new: false, control: { entry: 'meet' },
    env: { GCFUZZ_TEST_MARKS: marks },
  });
  const out = path.join(dir, 'out');
  const r = await soakUntilConfirmed(['--config', cfg, '--workers', '1', '--max-time', '50'], out, 1);
  assert.strictEqual(r.code, 0, r.stderr);
  const [rec] = records(out);
  assert.match(rec.signature, /boom/);
  assert.deepStrictEqual(rec.reproducibility, { runs: 2, reproduced: 2 }, r.stderr);
});

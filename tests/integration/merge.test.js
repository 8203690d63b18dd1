'use strict';
// gcfuzz merge: output folders of several "machines" into one. Counts are
// summed once per origin however often, and by however many paths, a folder
// is merged; a bad file in a source is named and skipped.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, tmpdir, gcfuzz, readJson, records, writeConfig } = require('./helpers.js');

const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'run');
const SHARED = '4556d7e668dad61b'; // in both machines' folders

// Two machines' folders: A is the fixture run; B found the shared bucket 10
// times more (seen earlier, confirmed better), a bucket of its own, a corpus
// case of its own, and has one record that is not a record.
function machines() {
  const dir = tmpdir('merge');
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  fs.cpSync(FIXTURE, a, { recursive: true });
  fs.mkdirSync(path.join(b, 'crashes'), { recursive: true });
  fs.mkdirSync(path.join(b, 'corpus'), { recursive: true });
  const shared = readJson(path.join(a, 'crashes', `${SHARED}.json`));
  fs.writeFileSync(path.join(b, 'crashes', `${SHARED}.json`), JSON.stringify({
    ...shared, count: 10, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-30T00:00:00Z',
    reproducibility: { runs: 10, reproduced: 10 }, reproducibility_warm: { runs: 10, reproduced: 9 },
    case: { ...shared.case, id: 'b-case', delay_us: 40000 },
  }));
  const own = { ...shared, hash: '00000000000000bb', signature: 'signal:SIGSEGV:entry=b_only', count: 3 };
  fs.writeFileSync(path.join(b, 'crashes', 'own.json'), JSON.stringify(own));
  fs.writeFileSync(path.join(b, 'crashes', 'bad.json'), JSON.stringify({ hash: 'zz', count: 'many' }));
  fs.writeFileSync(path.join(b, 'corpus', 'c1.json'), JSON.stringify({ id: 'c1', entry: 'sum', elems: 2 }));
  fs.writeFileSync(path.join(b, 'corpus', 'bad.json'), '{"elems": -1}');
  return { dir, a, b, aShared: shared };
}

test('merge: union of buckets, counts summed once per origin, safe to repeat, bad files skipped', async () => {
  const { dir, a, b, aShared } = machines();
  const m = path.join(dir, 'merged');
  const first = await gcfuzz(['merge', '--out', m, a, b]);
  assert.strictEqual(first.code, 0, first.stderr);
  assert.match(first.stderr, /bad\.json/);
  const sum = JSON.parse(first.stdout);
  assert.strictEqual(sum.new_buckets, 4);
  assert.strictEqual(sum.unreadable, 2, 'the bad record and the bad corpus case');
  const byHash = () => Object.fromEntries(records(m).map((r) => [r.hash, r]));
  let got = byHash();
  assert.deepStrictEqual(Object.keys(got).sort(), [...records(a).map((r) => r.hash), '00000000000000bb'].sort());
  assert.strictEqual(got[SHARED].count, aShared.count + 10);
  assert.strictEqual(got[SHARED].first_seen, '2026-11-01T00:00:00Z');
  assert.strictEqual(got[SHARED].last_seen, '2026-11-30T00:00:00Z');
  // A rate belongs to the case it was measured on: the better one comes
  // with its case (else a replay would trust 10/10 for a case seen at 2/3).
  assert.deepStrictEqual(got[SHARED].reproducibility, { runs: 10, reproduced: 10 }, 'the best rate');
  assert.deepStrictEqual(got[SHARED].reproducibility_warm, { runs: 10, reproduced: 9 });
  assert.deepStrictEqual([got[SHARED].case.id, got[SHARED].case.delay_us], ['b-case', 40000], 'with its case');
  assert.ok(got[SHARED].minimized_case, 'kept from A');
  assert.strictEqual(got[SHARED].stderr_tail, aShared.stderr_tail, 'copied whole, tail included');
  assert.ok(fs.existsSync(path.join(m, 'corpus', 'c1.json')));

  // Again: nothing changes. Then B grows by 5 and is merged again: +5, not +15.
  const again = await gcfuzz(['merge', '--out', m, a, b]);
  assert.strictEqual(JSON.parse(again.stdout).count_added, 0, again.stderr);
  assert.strictEqual(byHash()[SHARED].count, aShared.count + 10);
  const bRec = path.join(b, 'crashes', `${SHARED}.json`);
  fs.writeFileSync(bRec, JSON.stringify({ ...readJson(bRec), count: 15 }));
  await gcfuzz(['merge', '--out', m, b]);
  assert.strictEqual(byHash()[SHARED].count, aShared.count + 15);

  // A reaches another folder twice, directly and through the merged one: once.
  const n = path.join(dir, 'n');
  const twice = await gcfuzz(['merge', '--out', n, a, m]);
  assert.strictEqual(twice.code, 0, twice.stderr);
  got = Object.fromEntries(records(n).map((r) => [r.hash, r]));
  assert.strictEqual(got[SHARED].count, aShared.count + 15);
  // Every record of the merged folder is still a record replay can read.
  for (const r of records(n)) assert.strictEqual(typeof r.case, 'object');
});

test('merge refuses a destination held by a running writer, and itself as a source', async () => {
  const { dir, a } = machines();
  const self = await gcfuzz(['merge', '--out', a, a]);
  assert.strictEqual(self.code, 2);
  assert.match(self.stderr, /is the destination itself/);
  const { spawn } = require('node:child_process');
  // flock(1) holds OUT/.lock the way a soak would; the command it runs once
  // it has the lock says so on stdout.
  const holder = spawn('flock', ['--exclusive', path.join(a, '.lock'), process.execPath, '-e',
    "console.log('locked ' + process.pid); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
  let child = 0;
  try {
    await new Promise((resolve) => holder.stdout.on('data', (d) => {
      const m = String(d).match(/locked (\d+)/);
      if (m) { child = Number(m[1]); resolve(); }
    }));
    const held = await gcfuzz(['merge', '--out', a, path.join(dir, 'b')]);
    assert.strictEqual(held.code, 2, held.stderr);
    assert.match(held.stderr, /in use by another gcfuzz/);
  } finally {
    if (child) process.kill(child, 'SIGKILL');
    holder.kill('SIGKILL');
  }
});

// Live corpus exchange (AFL's -S): soak A lists B's folder in sync_dirs.
// A's own seed is clean (entry sum); B's corpus holds a case of the
// borrowed bug and a broken file. A meets the bug only through the case it
// imports while running; B's folder is only read.
test('sync_dirs: a running soak imports another soak\'s corpus cases and fuzzes from them', async () => {
  const dir = tmpdir('sync');
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  const seeds = path.join(dir, 'seeds');
  fs.mkdirSync(path.join(b, 'corpus'), { recursive: true });
  fs.mkdirSync(seeds);
  fs.writeFileSync(path.join(seeds, 'clean.json'), JSON.stringify({ id: 'clean', entry: 'sum', elems: 4 }));
  fs.writeFileSync(path.join(b, 'corpus', 'textbook.json'), JSON.stringify({
    id: 'textbook', entry: 'sum_borrowed', elems: 64, elem_len: 256, delay_us: 40000,
    gc: [{ op: 'gc', type: 'major' }, { op: 'immediate', n: 1 }, { op: 'gc', type: 'major' }],
  }));
  fs.writeFileSync(path.join(b, 'corpus', 'bad.json'), '{"elems": -1}');
  const cfg = writeConfig(dir, 'ci', {
    seeds, entry: '', sync_dirs: [b, a], sync_interval_ms: 200, confirm_runs: 0, feedback: false,
    limits: { max_delay_us: 50000, gc_ops: ['gc', 'immediate'] },
  });
  const r = await gcfuzz(['soak', '--config', cfg, '--out', a, '--workers', '2', '--seed', '1', '--stop-on-crash', '--max-time', '30']);
  assert.strictEqual(r.code, 1, r.stderr);
  assert.match(r.stderr, /sync: 1 case\(s\) from other soaks joined the corpus/);
  assert.strictEqual((r.stderr.match(/sync: skipping .*bad\.json/g) || []).length, 1, 'named once');
  assert.strictEqual(records(a)[0].entry, 'sum_borrowed');
  assert.deepStrictEqual(fs.readdirSync(b), ['corpus'], 'B is only read');
});

// #22: a peer's corpus flood stops at limits.max_corpus (0.5.0 took 100 002
// cases with the cap at 500). The soak stops once its first sync line is
// out; what joined is in that line and in the corpus count.
test('sync_dirs: a peer corpus flood joins only up to limits.max_corpus', async () => {
  const dir = tmpdir('sync-flood');
  const peer = path.join(dir, 'peer');
  fs.mkdirSync(path.join(peer, 'corpus'), { recursive: true });
  for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(peer, 'corpus', `c${i}.json`), JSON.stringify({ id: `c${i}`, entry: 'sum', elems: 1 + (i % 7) }));
  const cfg = writeConfig(dir, 'soak', { sync_dirs: [peer], sync_interval_ms: 100, feedback: false, confirm_runs: 0, stats_interval_ms: 100, limits: { max_corpus: 50 } });
  const out = path.join(dir, 'out');
  const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '1', '--seed', '1', '--max-time', '30'], {
    onStderr(text, child) {
      if (!child.stopping && /sync: \d+ case\(s\)/.test(text)) child.stopping = child.kill('SIGTERM');
    },
  });
  assert.strictEqual(r.code, 0, r.stderr);
  const seeds = fs.readdirSync(path.join(ROOT, 'corpus', 'seeds')).length;
  const joined = Number(r.stderr.match(/sync: (\d+) case\(s\)/)[1]);
  assert.strictEqual(joined, 50 - seeds, r.stderr.slice(-2000));
  assert.ok(readJson(path.join(out, 'stats.json')).corpus <= 50);
});

// #22: a folder of hostile records (each the shared fixture record with one
// thing wrong, under a hash of its own). merge exits cleanly, every good
// bucket is merged, every bad one is named, and nothing of a bad one reaches
// DEST (0.5.0: an array merged_counts crashed merge; counts of 1e300 wrapped
// and read back as 0; INT64_MAX wrote a record gcfuzz could not load; a
// record with DEST's hash and another signature was summed in; origin keys
// with markup and newlines were copied).
test('merge of a hostile folder: good buckets merged, bad ones named, nothing bad in DEST', async () => {
  const { dir, a, aShared } = machines();
  const h = path.join(dir, 'hostile');
  fs.mkdirSync(path.join(h, 'crashes'), { recursive: true });
  const rec = (n, fields) => ({ ...aShared, hash: `00000000000000${n}`, signature: `signal:SIGSEGV:entry=e${n}`, ...fields });
  const put = (name, r) => fs.writeFileSync(path.join(h, 'crashes', `${name}.json`), JSON.stringify(r));
  put('good', rec('a1', { count: 4 }));
  put('array_counts', rec('a2', { merged_counts: [1, 2] }));
  put('markup_origin', rec('a3', { merged_counts: { '<b>\n': 7 } }));
  put('count_1e300', rec('a4', { count: 1e300 }));
  fs.writeFileSync(path.join(h, 'crashes', 'count_1e999.json'), JSON.stringify(rec('a5', { count: 0 })).replace('"count":0', '"count":1e999'));
  put('count_int64', rec('a6', { count: 9223372036854775807 }));
  put('forged_hash', { ...aShared, signature: 'asan:heap-use-after-free:READ:other:entry=sum_borrowed', count: 1000 });
  const m = path.join(dir, 'merged');
  assert.strictEqual((await gcfuzz(['merge', '--out', m, a])).code, 0);
  const r = await gcfuzz(['merge', '--out', m, h]);
  assert.strictEqual(r.code, 0, r.stderr);
  const sum = JSON.parse(r.stdout);
  assert.strictEqual(sum.new_buckets, 3, 'good, array_counts, markup_origin');
  assert.strictEqual(sum.unreadable, 4, r.stderr);
  for (const f of ['count_1e300', 'count_1e999', 'count_int64']) assert.match(r.stderr, new RegExp(`${f}\\.json: not a gcfuzz crash record \\(count: must be an integer in \\[0, 2\\^53\\]\\)`));
  assert.match(r.stderr, /array_counts\.json: field\(s\) dropped: merged_counts/);
  assert.match(r.stderr, /markup_origin\.json: field\(s\) dropped: merged_counts/);
  assert.match(r.stderr, new RegExp(`${SHARED}\\.json: its signature is not DEST's of that hash; skipped`));
  const got = Object.fromEntries(records(m).map((x) => [x.hash, x]));
  assert.strictEqual(got[SHARED].count, aShared.count, 'the forged record was not summed in');
  assert.strictEqual(got['00000000000000a1'].count, 4);
  for (const x of Object.values(got)) {
    assert.ok(Number.isSafeInteger(x.count) && x.count >= 0, JSON.stringify(x.count));
    for (const k of Object.keys(x.merged_counts || {})) assert.match(k, /^[0-9a-f]{16}$/);
  }
  // DEST reads back whole: every bucket in its report.
  const rep = await gcfuzz(['report', m]);
  assert.strictEqual(rep.code, 0, rep.stderr);
  assert.doesNotMatch(rep.stderr, /dropped|not a gcfuzz/);
  assert.match(fs.readFileSync(path.join(m, 'report.md'), 'utf8'), new RegExp(` ${records(m).length} bucket\\(s\\)`));
});

'use strict';
// What a daemon does with a worker after a wrong result (doc/detection.md,
// "Wrong results"). With ASan preloaded a memory error aborts where it
// happens, so a worker that answered wrong goes on: 0.5.0 restarted it
// every time (91 restarts in a run of 329 execs). A release build cannot
// tell a sound process from a corrupted one: its worker is replaced.
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { ROOT, tmpdir, readJson, records, soakUntil } = require('./helpers.js');

const BUF = path.join(ROOT, 'tests', 'fixtures', 'bufaddon');

// A soak of the always-wrong target until its bucket counts `n` wrong
// results (stats every 100 ms); returns the record and the stats.
async function wrongSoak(name, build, sanitizer, n) {
  const dir = tmpdir(`wrong-${name}`);
  const cfg = path.join(dir, 'wrong.json');
  require('node:fs').writeFileSync(cfg, JSON.stringify({
    target: path.join(BUF, 'wrong.js'), build: path.join(BUF, 'build', 'Release', build), sanitizer,
    entries: ['off_by_one'], entry: 'off_by_one', seeds: null, target_frames: ['bufsum'],
    confirm_runs: 0, workers: 1, stats_interval_ms: 100, limits: { max_elems: 8, max_elem_len: 64 },
    control: { target: path.join(ROOT, 'addon', 'target.js'), build: 'asan', entry: 'sum_borrowed', max_s: 30 },
  }));
  const out = path.join(dir, 'out');
  const count = () => (records(out)[0] || { count: 0 }).count;
  const r = await soakUntil(['--config', cfg, '--max-time', '60', '--seed', '1'], out, () => count() >= n && readJson(path.join(out, 'stats.json')).crashes >= n);
  assert.strictEqual(r.code, 0, r.stderr);
  const recs = records(out);
  assert.strictEqual(recs.length, 1, recs.map((x) => x.signature).join(', '));
  return { rec: recs[0], stats: readJson(path.join(out, 'stats.json')) };
}

test('a wrong result on an ASan build is recorded at once and the worker goes on', async () => {
  const { rec, stats } = await wrongSoak('asan', 'bufsum_asan.node', 'address', 20);
  assert.strictEqual(rec.kind, 'mismatch');
  assert.match(rec.message, /^call \d+: got \d+, expected \d+$/);
  assert.ok(rec.count >= 20, `count ${rec.count}`);
  assert.strictEqual(stats.restarts, 0, `restarts ${stats.restarts} for ${stats.crashes} wrong results`);
});

test('a wrong result on a release build still replaces the worker', async () => {
  const { rec, stats } = await wrongSoak('release', 'bufsum.node', 'none', 5);
  assert.strictEqual(rec.kind, 'mismatch');
  assert.ok(stats.restarts >= rec.count - 1, `restarts ${stats.restarts} for ${rec.count} wrong results`);
});

'use strict';
// Search feedback end to end: clean cases that reach new window features are
// kept in OUT/corpus/feedback with the feature map, and a resumed soak
// starts from them (the feature count never goes down, no case is lost).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { tmpdir, gcfuzz, writeConfig, readJson, soakUntil } = require('./helpers.js');

const stats_ = (o) => readJson(path.join(o, 'stats.json'));
const listFeedback = (out) => fs.readdirSync(path.join(out, 'corpus', 'feedback')).filter((f) => f.endsWith('.json')).sort();
// The cases of new buckets (OUT/corpus/*.json): the demo's seeds include
// bug-showing ones, and the seeds run first as they are.
const listCrashes = (out) => fs.readdirSync(path.join(out, 'corpus')).filter((f) => f.endsWith('.json'));

test('feedback keeps clean cases with new window features, persists them and the map, and a resume loads both', async () => {
  const dir = tmpdir('feedback');
  const out = path.join(dir, 'out');
  const cfg = writeConfig(dir, 'soak', { workers: 2, stats_interval_ms: 200 });
  // each soak stops when it has shown what the test needs (stats every 200 ms)

  const first = await soakUntil(['--config', cfg, '--max-time', '30', '--seed', '3'], out, (o) => listFeedback(o).length >= 2);
  assert.strictEqual(first.code, 0, first.stderr);
  const kept = listFeedback(out);
  const stats = readJson(path.join(out, 'stats.json'));
  const features = readJson(path.join(out, 'features.json')).features;
  assert.ok(kept.length >= 2, `cases kept for new features: ${kept.length}`);
  assert.ok(stats.features >= kept.length, 'each kept case brought at least one feature');
  assert.strictEqual(features.length, stats.features);
  const seeds = fs.readdirSync(path.join(__dirname, '..', '..', 'corpus', 'seeds')).length;
  assert.strictEqual(stats.corpus, seeds + kept.length + listCrashes(out).length);
  // Every kept case is a valid case with a window counter the seeds lacked.
  for (const f of kept) assert.ok(readJson(path.join(out, 'corpus', 'feedback', f)).entry);

  const again = await soakUntil(['--config', cfg, '--max-time', '30', '--seed', '4'], out, (o) => stats_(o).session_execs >= 50);
  assert.strictEqual(again.code, 0, again.stderr);
  const after = readJson(path.join(out, 'stats.json'));
  assert.ok(after.features >= stats.features, 'the map was loaded, not rebuilt');
  const keptAfter = listFeedback(out);
  for (const f of kept) assert.ok(keptAfter.includes(f), `${f} kept across the resume`);
  assert.strictEqual(after.corpus, seeds + keptAfter.length + listCrashes(out).length, 'the resumed run loaded every kept case');

  // Without feedback nothing is kept.
  const off = path.join(dir, 'off');
  const r = await soakUntil(['--config', writeConfig(dir, 'soak', { feedback: false, workers: 2, stats_interval_ms: 200 }), '--max-time', '30', '--seed', '3'],
    off, (o) => stats_(o).session_execs >= 300);
  assert.strictEqual(r.code, 0, r.stderr);
  assert.strictEqual(readJson(path.join(off, 'stats.json')).features, 0);
  assert.ok(!fs.existsSync(path.join(off, 'corpus', 'feedback')) || listFeedback(off).length === 0);
});

test('cmin keeps every feature with fewer cases, moves (never deletes) the rest, and is idempotent', async () => {
  const dir = tmpdir('cmin');
  const out = path.join(dir, 'out');
  const cfg = writeConfig(dir, 'soak', { workers: 2 });
  assert.strictEqual((await gcfuzz(['soak', '--config', cfg, '--out', out, '--max-time', '5', '--seed', '9'])).code, 0);
  const fb = path.join(out, 'corpus', 'feedback');
  const featuresOf = (d) => new Set(fs.readdirSync(d).filter((f) => f.endsWith('.feat')).flatMap((f) => readJson(path.join(d, f))));
  const before = listFeedback(out);
  const union = featuresOf(fb);
  assert.ok(before.length >= 3, `a corpus to shrink: ${before.length}`);
  const r = await gcfuzz(['cmin', out]);
  assert.strictEqual(r.code, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  const after = listFeedback(out);
  assert.deepStrictEqual([res.cases, res.kept, res.removed], [before.length, after.length, before.length - after.length]);
  assert.ok(after.length <= before.length);
  assert.deepStrictEqual([...featuresOf(fb)].sort(), [...union].sort(), 'every feature still has a case');
  assert.strictEqual(res.features, union.size);
  const gone = path.join(out, 'corpus', 'feedback.removed');
  const moved = fs.existsSync(gone) ? fs.readdirSync(gone).filter((f) => f.endsWith('.json')) : [];
  assert.deepStrictEqual([...moved, ...after].sort(), before, 'nothing deleted');
  const again = JSON.parse((await gcfuzz(['cmin', out])).stdout);
  assert.strictEqual(again.removed, 0, 'a minimized corpus stays as it is');
  assert.strictEqual((await gcfuzz(['cmin', path.join(dir, 'nope')])).code, 2);
});

// The nominal-cost cap (config max_case_ms, default timeout_ms / 4): with
// delays allowed up to 5 s and a 2 s timeout, 0.5.0's mutator made cases
// that could only time out, and found out by timeout. Capped, none does.
test('the mutator keeps generated cases under max_case_ms: no case times out by construction', async () => {
  const dir = tmpdir('costcap');
  const out = path.join(dir, 'out');
  const cfg = writeConfig(dir, 'soak', {
    workers: 2, stats_interval_ms: 200, timeout_ms: 2000, confirm_runs: 0,
    limits: { max_delay_us: 5000000, max_sleep_ms: 3000 },
  });
  const r = await soakUntil(['--config', cfg, '--max-time', '60', '--seed', '5'], out, (o) => stats_(o).session_execs >= 300);
  assert.strictEqual(r.code, 0, r.stderr);
  const stats = stats_(out);
  assert.ok(stats.session_execs >= 300, `execs ${stats.session_execs}`);
  assert.strictEqual(stats.timeouts, 0, `${stats.timeouts} timeouts in ${stats.session_execs} execs`);
});

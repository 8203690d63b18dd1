'use strict';
// V8 flag sets (config v8_flags): workers take turns with them, a record
// keeps the finder's set, and replay repeats it.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, tmpdir, gcfuzz, writeConfig, records } = require('./helpers.js');

const FLAG = '--stress-scavenge=50';

test('a bug that needs a V8 flag is found with that set, recorded with it, and replays only with it', async () => {
  const dir = tmpdir('v8flags');
  const out = path.join(dir, 'out');
  const cfg = writeConfig(dir, 'soak', {
    harness: path.join(ROOT, 'tests', 'hostile', 'flag.js'), target: null,
    v8_flags: [[], [FLAG]], confirm_runs: 2, workers: 2,
  });
  const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--max-time', '3', '--seed', '1']);
  assert.strictEqual(r.code, 0, r.stderr);
  const recs = records(out);
  assert.strictEqual(recs.length, 1, JSON.stringify(recs.map((x) => x.signature)));
  assert.deepStrictEqual(recs[0].v8_flags, [FLAG]);
  assert.strictEqual(recs[0].addon_build === 'flagged' || recs[0].addon_build === 'plain', true);
  assert.deepStrictEqual(recs[0].reproducibility, { runs: 2, reproduced: 2 }, 'confirmed with the same flags');
  const stats = JSON.parse(fs.readFileSync(path.join(out, 'stats.json'), 'utf8'));
  assert.ok(stats.execs > 0, 'the workers without the flag ran cases clean');

  // Replay: the record with its flags reproduces; its case alone does not.
  const rec = path.join(out, 'crashes', `${recs[0].hash}.json`);
  const again = await gcfuzz(['replay', '--config', cfg, '--runs', '2', rec]);
  assert.strictEqual(again.code, 1, again.stderr);
  const plain = path.join(dir, 'case.json');
  fs.writeFileSync(plain, JSON.stringify(recs[0].case));
  const fixed = await gcfuzz(['replay', '--config', cfg, '--runs', '2', plain]);
  assert.strictEqual(fixed.code, 0, fixed.stderr);
});

test('v8_flags errors name the field', async () => {
  const dir = tmpdir('v8flags-bad');
  for (const [flags, msg] of [[[['stress']], /v8_flags\[0\]\[0\]: must be one "--flag"/], [[], /v8_flags: must be an array of 1 to 8/]]) {
    const r = await gcfuzz(['soak', '--config', writeConfig(dir, 'soak', { v8_flags: flags }), '--out', path.join(dir, 'o'), '--max-time', '1']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, msg);
  }
});

'use strict';
// What users of the previous version kept still works: its config files
// (which name addon/harness.js and no target), its crash records (older
// signature format) and its corpus. tests/fixtures/v1/ holds the configs
// exactly as that version shipped them in config/.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, tmpdir, gcfuzz, readJson } = require('./helpers.js');

for (const name of ['soak', 'ci']) {
  test(`a config of the previous version (config/${name}.json) still runs`, async (t) => {
    // Its relative paths ("../addon/harness.js") are relative to config/.
    const file = path.join(ROOT, 'config', `.v1-${name}-${process.pid}.json`);
    fs.copyFileSync(path.join(ROOT, 'tests', 'fixtures', 'v1', `${name}.json`), file);
    t.after(() => fs.rmSync(file, { force: true }));
    const out = path.join(tmpdir(`v1-${name}`), 'out');
    const r = await gcfuzz(['soak', '--config', file, '--out', out, '--max-time', '2', '--workers', '1', '--seed', '1']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.ok(readJson(path.join(out, 'stats.json')).execs > 0);
  });
}

test('an output folder of the previous version resumes: its records, corpus and stats load', async () => {
  const out = path.join(tmpdir('v1-out'), 'out');
  fs.cpSync(path.join(ROOT, 'tests', 'fixtures', 'run'), out, { recursive: true });
  const before = fs.readdirSync(path.join(out, 'crashes')).filter((f) => f.endsWith('.json')).length;
  const r = await gcfuzz(['soak', '--config', 'config/soak.json', '--out', out, '--max-time', '2', '--workers', '1', '--seed', '1']);
  assert.strictEqual(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /skipping|not a gcfuzz crash record/);
  assert.ok(readJson(path.join(out, 'stats.json')).buckets >= before);
  assert.strictEqual((await gcfuzz(['report', out])).code, 0);
});

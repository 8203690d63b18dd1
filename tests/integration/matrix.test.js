'use strict';
// replay --all-nodes: one case on every Node of the config's list; the record
// keeps which versions it reproduces on. The list here names this machine's
// node twice (by PATH and by absolute path), so the test needs no download;
// `make node-matrix` + config/matrix.json do the same with Node 18/22/24.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, tmpdir, gcfuzz, writeConfig, readJson } = require('./helpers.js');

test('replay --all-nodes runs each Node and records reproduces_on', async () => {
  const dir = tmpdir('matrix');
  fs.cpSync(path.join(ROOT, 'tests', 'fixtures', 'run'), path.join(dir, 'out'), { recursive: true });
  const rec = path.join(dir, 'out', 'crashes', 'd0c8ccc3045e5970.json'); // SIGSEGV, release build
  const cfg = writeConfig(dir, 'soak', { nodes: ['node', process.execPath] });
  const r = await gcfuzz(['replay', '--config', cfg, '--all-nodes', '--runs', '2', rec]);
  assert.strictEqual(r.code, 1, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.strictEqual(summary.cases[0].nodes.length, 2);
  for (const n of summary.cases[0].nodes) {
    assert.strictEqual(n.version, process.version);
    assert.strictEqual(n.runs, 2);
  }
  const on = readJson(rec).reproduces_on;
  assert.ok(on[process.version], JSON.stringify(on));
  assert.ok(on[process.version].reproduced >= 1);

  const none = await gcfuzz(['replay', '--config', writeConfig(dir, 'soak', {}), '--all-nodes', rec]);
  assert.strictEqual(none.code, 2);
  assert.match(none.stderr, /--all-nodes: the config has no nodes list/);
});

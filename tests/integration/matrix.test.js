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
  // Its case, held by the window gate until its GCs have run: a delay
  // window of 2 ms reproduced 0 of 2 on a loaded machine, and the second
  // Node's runs (the same version) then wrote 0 over the first's.
  const r0 = readJson(rec);
  fs.writeFileSync(rec, JSON.stringify({ ...r0, case: { ...r0.case, delay_us: 0, gate: 1 } }));
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

test('ci with a nodes list replays its buckets on each Node (summary keeps reproduces_on)', async () => {
  const dir = tmpdir('matrix-ci');
  const seeds = path.join(dir, 'seeds');
  fs.mkdirSync(seeds);
  fs.writeFileSync(path.join(seeds, 'textbook.json'), JSON.stringify({
    id: 'textbook', entry: 'sum_borrowed', elems: 64, elem_len: 256, delay_us: 40000,
    gc: [{ op: 'gc', type: 'major' }, { op: 'immediate', n: 1 }],
  }));
  const cfg = writeConfig(dir, 'ci', {
    seeds, confirm_runs: 2, nodes: ['node', process.execPath],
    limits: { max_delay_us: 50000, gc_ops: ['gc', 'immediate'] },
  });
  const out = path.join(dir, 'out');
  const r = await gcfuzz(['ci', '--config', cfg, '--out', out, '--entry', 'sum_borrowed', '--max-time', '4', '--workers', '1']);
  assert.strictEqual(r.code, 1, r.stderr);
  assert.match(r.stderr, /matrix: \d+ bucket\(s\) x 2 Node\(s\) x 2 runs/);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.ok(summary.buckets.length >= 1);
  for (const b of summary.buckets) assert.ok(b.reproduces_on[process.version], JSON.stringify(b));
});

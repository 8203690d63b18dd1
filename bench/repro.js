#!/usr/bin/env node
// The standalone reproducer against the record it was written from, for
// each bug entry of the demo addon (ASan build): a soak finds and confirms
// the bucket (confirm_runs 10: the record's fresh and warm rates), then
// `gcfuzz repro` writes the script and it runs RUNS times (default 20),
// and `gcfuzz replay --runs RUNS` of the same record runs beside it.
// Prints a Markdown table; bench/repro.json. Measures, asserts nothing.
//   node bench/repro.js [RUNS]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, GCFUZZ, tmp } = require('./common.js');

const RUNS = Number(process.argv[2] || 20);
const GC = [{ op: 'gc', type: 'full' }, { op: 'immediate', n: 1 }, { op: 'gc', type: 'full' }];
const SEEDS = {
  sum_borrowed: { elems: 64, elem_len: 256, delay_us: 40000, gc: GC },
  sum_array_ref: { elems: 32, elem_len: 256, delay_us: 40000, gc: [{ op: 'truncate', len: 0 }, ...GC] },
  sum_weak_ref: { elems: 64, elem_len: 256, delay_us: 40000, gc: GC },
  sum_typed: { elems: 16, elem_len: 4096, delay_us: 40000, gc: GC },
  sum_self: { elems: 16, elem_len: 256, delay_us: 40000, gc: GC },
};
const rate = (r) => (r && r.runs ? `${r.reproduced}/${r.runs}` : '-');

function measure(entry, seed) {
  const dir = tmp(`repro-${entry}`);
  fs.mkdirSync(path.join(dir, 'seeds'));
  fs.writeFileSync(path.join(dir, 'seeds', 'case.json'), JSON.stringify({ id: 'seed', entry, ...seed }));
  const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'ci.json'), 'utf8'));
  Object.assign(cfg, { target: path.join(ROOT, 'addon', 'target.js'), seeds: path.join(dir, 'seeds'), confirm_runs: 10, feedback: false });
  cfg.limits = { ...cfg.limits, max_delay_us: 50000, gc_ops: ['gc', 'immediate', 'truncate'] };
  const cfgFile = path.join(dir, 'config.json');
  fs.writeFileSync(cfgFile, JSON.stringify(cfg));
  const out = path.join(dir, 'out');
  // --stop-on-crash stops before confirmation; a short soak confirms its first bucket.
  spawnSync(GCFUZZ, ['soak', '--config', cfgFile, '--out', out, '--entry', entry, '--max-time', '25', '--seed', '1', '--workers', '1'], { encoding: 'utf8' });
  const recs = fs.readdirSync(path.join(out, 'crashes')).map((f) => JSON.parse(fs.readFileSync(path.join(out, 'crashes', f), 'utf8')));
  const rec = recs.filter((r) => r.kind === 'asan' && r.reproducibility.runs > 0).sort((a, b) => b.count - a.count)[0];
  if (!rec) return { entry, error: 'no confirmed ASan bucket' };
  const file = path.join(out, 'crashes', `${rec.hash}.json`);
  const script = path.join(dir, 'repro.js');
  spawnSync(GCFUZZ, ['repro', '--config', cfgFile, file, '-o', script], { encoding: 'utf8' });
  const s = spawnSync(process.execPath, [script, String(RUNS)], { encoding: 'utf8' });
  const hits = (s.stdout.match(/FAILED as recorded/g) || []).length;
  const rp = spawnSync(GCFUZZ, ['replay', '--config', cfgFile, '--runs', String(RUNS), file], { encoding: 'utf8' });
  const rc = JSON.parse(rp.stdout || '{"cases":[{}]}').cases[0];
  return { entry, case: rec.minimized_case ? 'minimized' : 'found', record_fresh: rate(rec.reproducibility), record_warm: rate(rec.reproducibility_warm), script: `${hits}/${RUNS}`, replay_fresh: `${rc.reproduced - (rc.warm ? rc.warm.reproduced : 0)}/${rc.runs - (rc.warm ? rc.warm.runs : 0)}` };
}

const rows = Object.entries(SEEDS).map(([e, s]) => measure(e, s));
const lines = [
  `Node ${process.version}, ${os.cpus().length} cores; the ASan build; each record confirmed with confirm_runs 10; ${RUNS} runs of the script and of gcfuzz replay.`,
  '',
  '| entry | record, fresh | record, warm | repro.js (fresh processes) | gcfuzz replay, fresh |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => (r.error ? `| ${r.entry} | ${r.error} | | | |` : `| ${r.entry} | ${r.record_fresh} | ${r.record_warm} | ${r.script} | ${r.replay_fresh} |`)),
];
console.log(lines.join('\n'));
fs.writeFileSync(path.join(__dirname, 'repro.json'), JSON.stringify({ node: process.version, runs: RUNS, rows }, null, 2) + '\n');

#!/usr/bin/env node
// Which V8 GC flags really change GC timing on a release Node? For each Node
// (system + .cache/node-matrix) and each candidate flag: the GCs by kind of a
// fixed allocation loop, against the same loop without flags; a flag "acts"
// when the GC count or kind mix changes by more than a quarter. Measured,
// not assumed (doc/addon.md "V8 GC flags"). Prints a Markdown table; writes
// bench/v8flags.json.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT } = require('./common.js');

const CANDIDATES = [
  '--stress-scavenge=50', '--stress-scavenge=16', '--gc-interval=500', '--random-gc-interval=500',
  '--stress-compaction', '--stress-marking=50', '--max-semi-space-size=1', '--min-semi-space-size=1',
  '--semi-space-growth-factor=1', '--gc-global', '--single-threaded-gc', '--no-concurrent-marking',
  '--predictable-gc-schedule', '--no-incremental-marking', '--memory-reducer-for-small-heaps',
];
// The loop: short-lived garbage and a slowly growing retained set.
const LOOP = `
const { PerformanceObserver, constants: k } = require('node:perf_hooks');
const n = { major: 0, minor: 0, incremental: 0, weakcb: 0 };
const names = { [k.NODE_PERFORMANCE_GC_MAJOR]: 'major', [k.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [k.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [k.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' };
const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) n[names[e.detail.kind]]++; });
obs.observe({ entryTypes: ['gc'] });
const keep = [];
for (let i = 0; i < 300000; i++) { const a = new Array(16).fill(i); if (i % 100 === 0) keep.push(a); }
setImmediate(() => { for (const e of obs.takeRecords()) n[names[e.detail.kind]]++; console.log(JSON.stringify(n)); });
`;

function nodes() {
  const list = [process.execPath];
  const dir = path.join(ROOT, '.cache', 'node-matrix');
  if (fs.existsSync(dir)) for (const d of fs.readdirSync(dir).sort()) list.push(path.join(dir, d, 'bin', 'node'));
  return list.filter((b) => fs.existsSync(b));
}

function run(node, flags) {
  const r = spawnSync(node, [...flags, '-e', LOOP], { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) return { error: (r.stderr || '').split('\n')[0].slice(0, 80) || `exit ${r.status}` };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const total = (x) => x.major + x.minor;
const acts = (base, x) => !x.error && (Math.abs(total(x) - total(base)) > 0.25 * Math.max(total(base), 4) ||
  Math.abs(x.major - base.major) > 0.25 * Math.max(base.major, 4));

const out = [];
for (const node of nodes()) {
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const base = run(node, []);
  const row = { node: version, base, flags: {} };
  for (const f of CANDIDATES) {
    const x = run(node, [f]);
    row.flags[f] = { ...x, acts: acts(base, x) };
  }
  out.push(row);
}
const fmt = (x) => (x.error ? `error` : `${x.major}/${x.minor}${x.acts ? ' **acts**' : ''}`);
const lines = [
  'GCs (major/minor) of one allocation loop (300000 arrays of 16, 1 in 100 kept), per flag; **acts**: the count changes by more than a quarter.',
  '',
  `| flag | ${out.map((r) => r.node).join(' | ')} |`,
  `| --- |${out.map(() => ' --- |').join('')}`,
  `| (none) | ${out.map((r) => `${r.base.major}/${r.base.minor}`).join(' | ')} |`,
  ...CANDIDATES.map((f) => `| \`${f}\` | ${out.map((r) => fmt(r.flags[f])).join(' | ')} |`),
];
console.log(lines.join('\n'));
fs.writeFileSync(path.join(__dirname, 'v8flags.json'), JSON.stringify(out, null, 2) + '\n');

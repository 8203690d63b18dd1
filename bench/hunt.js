#!/usr/bin/env node
// make hunt: `gcfuzz hunt` over bench/hunt-list.txt (published packages, no
// target written), plus the examples' mutant - murmurhash-native with its
// SaveToPersistent taken out (examples/murmurhash-native/example.json),
// hunted as a package directory. HUNT_TIME seconds of fuzzing per package
// (default 120). Prints bench/hunt.md's table: per package its binding,
// builds, what discovery found, the entries and their oracle, execs,
// findings with needs-GC and rates, seconds per phase; and the sweep's
// packages per hour. The hunt folder is .cache/hunt-bench/out (resumable:
// delete it for a fresh sweep; the build cache is .cache/hunt-bench/cache).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, GCFUZZ, log } = require('./common.js');
const { readExample, applyMutant, fetchTarball } = require('../examples/build.js');

const SECONDS = Number(process.env.HUNT_TIME || 120);
const WORK = path.join(ROOT, '.cache', 'hunt-bench');
const OUT = path.join(WORK, 'out');

// The mutant as a package directory: the tarball unpacked, the fix removed.
function mutantDir() {
  const ex = readExample('murmurhash-native');
  const m = ex.mutants[0];
  const dir = path.join(WORK, `murmurhash-native-${m.name}`);
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  const tgz = fetchTarball(ex, WORK);
  spawnSync('tar', ['xzf', tgz, '-C', dir, '--strip-components=1'], { stdio: 'inherit' });
  applyMutant(dir, m);
  return dir;
}

const specs = fs.readFileSync(path.join(__dirname, 'hunt-list.txt'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const list = path.join(WORK, 'list.txt');
fs.mkdirSync(WORK, { recursive: true });
fs.writeFileSync(list, [...specs, mutantDir()].join('\n') + '\n');
const t0 = Date.now();
// HUNT_REPORT_ONLY=1: the table of the hunt folder as it is, no hunting
const r = process.env.HUNT_REPORT_ONLY ? { status: null } : (() => {
  log(`make hunt: ${specs.length + 1} packages, ${SECONDS} s of fuzzing each -> ${OUT}`);
  return spawnSync(GCFUZZ, ['hunt', '--list', list, '--out', OUT, '--max-time', String(SECONDS), '--cache', path.join(WORK, 'cache')], { stdio: ['ignore', 'inherit', 'inherit'] });
})();
const wall = (Date.now() - t0) / 1000;
const state = JSON.parse(fs.readFileSync(path.join(OUT, 'hunt.json'), 'utf8'));

// Seconds from the hunt's start on a package to its first confirmed
// finding (build included): the phases before fuzzing, ci's control phase,
// then the target phase's events (1 s resolution) up to the first confirm
// event that reproduced a bucket of a finding. null when none.
function toFirstConfirmed(row) {
  const dir = path.join(OUT, row.dir, 'out');
  const lines = (() => {
    try {
      return fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    } catch {
      return [];
    }
  })();
  const hashes = new Set((row.findings || []).map((f) => f.hash));
  const start = lines.find((e) => e.event === 'start');
  const hit = lines.find((e) => e.event === 'confirm' && e.reproduced > 0 && hashes.has(e.hash));
  if (!start || !hit) return null;
  const sum = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
  const before = ['fetch', 'build', 'discover'].reduce((a, k) => a + ((row.seconds || {})[k] || 0), 0);
  return Math.round(before + ((sum.control && sum.control.seconds) || 0) + (Date.parse(hit.time) - Date.parse(start.time)) / 1000);
}

const esc = (s) => String(s == null ? '' : s).replace(/[|\\`<>]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
const sec = (row) => ['fetch', 'build', 'discover', 'fuzz'].map((k) => Math.round((row.seconds || {})[k] || 0));
// a cached build: this run's build phase was ~0 s; what it took cold, when known
const cold = (row) => Object.values(row.build_cold_s || {}).filter((x) => typeof x === 'number').reduce((a, b) => a + b, 0);
const name = (row) => (row.name ? `${row.name}@${row.version}` : row.spec) + (row.source === 'directory' ? ' (mutant: no SaveToPersistent)' : '');
const lines = [
  `Node ${process.version}, ${os.cpus().length} cores, ${SECONDS} s of \`gcfuzz ci\` per package (its control phase included); ` +
    (r.status === null ? 'rendered from the hunt folder (HUNT_REPORT_ONLY).' : `\`gcfuzz hunt\` exit ${r.status}.`),
  '',
  '| package | binding | builds | exports | async | threadpool | suspect sources | entries (oracle) | execs | findings (needs GC, fresh, warm) | s fetch / build / discover / fuzz | status |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
let total = 0;
for (const row of state.packages) {
  const s = sec(row);
  total += (row.seconds ? Object.values(row.seconds).reduce((a, b) => a + b, 0) : 0);
  const entries = (row.entries || []).map((e) => `${e.name} (${e.oracle}${e.threadpool ? ', pool' : ''})`).join(', ');
  const other = ((row.not_lifetime || []).length ? `; ${row.not_lifetime.length} not lifetime (fail with inputs kept)` : '') +
    ((row.not_reproduced || []).length ? `; ${row.not_reproduced.length} not reproduced in confirmation` : '');
  const findings = ((row.findings || []).map((f) => `\`${f.signature}\` (${f.needs_gc}, ${f.fresh}, ${f.warm}${f.surface === 'native' ? '; through the .node, not the public API' : ''})`).join('; ') || (row.reason ? `${row.failed_phase} failed: ${row.reason.split('\n')[0]}` : 'none')) + other;
  const binding = row.binding ? `${row.binding.style}${row.binding.napi ? ` napi ${row.binding.napi}` : ''}` : '';
  lines.push(`| ${esc(name(row))} | ${esc(binding)} | ${esc((row.builds || []).join(', '))} | ${row.exports || 0} | ${row.async_calls || 0} | ${row.threadpool_calls || 0} | ${esc((row.hints || []).join(', '))} | ${esc(entries)} | ${row.execs || 0} | ${findings.replace(/\|/g, '\\|')} | ${s.join(' / ')}${cold(row) && s[1] < 1 ? ` (build cold: ${Math.round(cold(row))})` : ''} | ${row.status} |`);
}
const n = state.packages.length;
const firsts = state.packages.map((row) => [row, toFirstConfirmed(row)]).filter(([, t]) => t !== null);
if (firsts.length) {
  lines.push('', 'Time from `gcfuzz hunt SPEC` to the first confirmed finding (fetch, build, discover, the control phase, fuzzing to the first confirmation that reproduced; a cold build cache):', '');
  for (const [row, t] of firsts) lines.push(`- ${esc(name(row))}: ${t} s`);
}
const cached = state.packages.filter((row) => (row.seconds || {}).build < 1 && (row.builds || []).some((b) => b === 'release')).length;
lines.push('', `${n} packages in ${Math.round(total)} s of phases${r.status === null ? '' : ` (${Math.round(wall)} s wall this run)`}, ${cached} of them on cached builds: **${(n / (total / 3600)).toFixed(1)} packages per hour** at ${SECONDS} s of fuzzing each.`);
lines.push('', 'Probe crashes (with inputs kept: probe results, not findings):');
for (const row of state.packages) for (const c of row.probe_crashes || []) lines.push(`- ${esc(name(row))}: \`${c.call}\` (${esc((c.args || []).join(', '))}): ${c.how}`);
const md = lines.join('\n') + '\n';
process.stdout.write(md);
fs.writeFileSync(path.join(__dirname, 'hunt.json'), JSON.stringify({ node: process.version, seconds: SECONDS, exit: r.status, wall_s: wall, packages: state.packages }, null, 1));

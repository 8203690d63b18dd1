#!/usr/bin/env node
// Durability under kill -9 (issue #13), two parts:
//  1. A crash-heavy soak (the demo's bug entries in turn, ASan build) with
//     confirmation and background minimization on, SIGKILLed at a random
//     moment, KILLLOOP_CYCLES times, resuming on the same OUT each time.
//     After every kill: every file parses, no record disappeared, no count
//     went down. Then one last resume on the fixed entry, stopped once the
//     records say no work is pending (or at KILLLOOP_FINAL_CAP s): the
//     confirmations and minimizations left undone must be 0.
//  2. The daemon's resident memory under a bucket storm
//     (tests/hostile/bucket_storm.js: every case a new bucket), read from
//     /proc at every 250 buckets up to STORM_BUCKETS, for each binary of
//     KILLLOOP_BINS side by side (e.g. a build of the previous version).
//   KILLLOOP_CYCLES=20 STORM_BUCKETS=1000 KILLLOOP_BINS=build/gcfuzz[,OTHER]
// Prints Markdown; writes bench/killloop.json.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, GCFUZZ, tmp, log, config } = require('./common.js');

const CYCLES = Number(process.env.KILLLOOP_CYCLES || 20);
const STORM = Number(process.env.STORM_BUCKETS || 1000);
const FINAL_CAP = Number(process.env.KILLLOOP_FINAL_CAP || 900);
const BINS = (process.env.KILLLOOP_BINS || GCFUZZ).split(',').map((b) => path.resolve(ROOT, b));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));

function records(out) {
  const dir = path.join(out, 'crashes');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => readJson(path.join(dir, f))) : [];
}

// Throws on any file under OUT that does not parse.
function checkFiles(out) {
  records(out);
  for (const f of ['stats.json', 'features.json']) if (fs.existsSync(path.join(out, f))) readJson(path.join(out, f));
  for (const f of ['events.jsonl', 'stats.jsonl'])
    if (fs.existsSync(path.join(out, f))) for (const l of fs.readFileSync(path.join(out, f), 'utf8').split('\n').filter(Boolean)) JSON.parse(l);
}

const unconfirmed = (recs) => recs.filter((r) => !(r.reproducibility && r.reproducibility.runs > 0));
const unminimized = (recs) => recs.filter((r) => r.reproducibility && r.reproducibility.reproduced > 0 && !r.minimized_case && !r.minimize_failed);

function soak(bin, args) {
  const child = spawn(bin, ['soak', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', () => {});
  child.done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return child;
}

async function killLoop() {
  const cfg = config('ci', { confirm_runs: 3, minimize_new: true, feedback: true });
  const out = tmp('killloop');
  const seen = new Map();
  const rows = [];
  let lost = 0;
  let decreased = 0;
  for (let i = 1; i <= CYCLES; i++) {
    const ms = 500 + Math.floor(Math.random() * 3500);
    const entry = ['sum_borrowed', 'sum_array_ref', 'sum_weak_ref', 'sum_self'][i % 4];
    const child = soak(GCFUZZ, ['--config', cfg, '--out', out, '--entry', entry, '--workers', '2', '--seed', String(i)]);
    await sleep(ms);
    child.kill('SIGKILL');
    await child.done;
    checkFiles(out);
    const recs = records(out);
    const now = new Map(recs.map((r) => [r.hash, r.count]));
    for (const [h, c] of seen) {
      if (!now.has(h)) lost++;
      else if (now.get(h) < c) decreased++;
    }
    for (const [h, c] of now) seen.set(h, c);
    rows.push({ cycle: i, killed_after_ms: ms, buckets: recs.length, unconfirmed: unconfirmed(recs).length, unminimized: unminimized(recs).length });
    log(`cycle ${i}: killed after ${ms} ms, ${recs.length} buckets, ${unconfirmed(recs).length} unconfirmed, ${unminimized(recs).length} unminimized`);
  }
  // The last resume: no new crashes (the fixed entry); stop when nothing is pending.
  const t0 = Date.now();
  const events = () => fs.readFileSync(path.join(out, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  const before = events();
  const last = soak(GCFUZZ, ['--config', cfg, '--out', out, '--entry', 'sum', '--workers', '1', '--seed', '999']);
  while (events() === before) await sleep(50); // its start event: signals are handled from here
  let recs = records(out);
  while (Date.now() - t0 < FINAL_CAP * 1000 && (unconfirmed(recs).length || unminimized(recs).length)) {
    await sleep(500);
    recs = records(out);
  }
  last.kill('SIGTERM');
  const end = await last.done;
  checkFiles(out);
  recs = records(out);
  return {
    cycles: CYCLES, rows, lost, decreased, exit_of_last: end.code,
    final_s: Math.round((Date.now() - t0) / 1000), buckets: recs.length,
    confirmations_undone: unconfirmed(recs).length, minimizations_undone: unminimized(recs).length,
    minimize_failed: recs.filter((r) => r.minimize_failed).length,
  };
}

function rssKb(pid) {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);
  } catch { return NaN; }
}

async function storm(bin) {
  const dir = tmp('storm');
  const cfg = path.join(dir, 'storm.json');
  fs.writeFileSync(cfg, JSON.stringify({
    harness: path.join(ROOT, 'tests', 'hostile', 'bucket_storm.js'), seeds: path.join(ROOT, 'corpus', 'seeds'),
    confirm_runs: 3, feedback: false, stats_interval_ms: 250,
    env: { GCFUZZ_TEST_STORM_TAIL: '4000' }, // ~60 KB of stderr per case: a full tail per record
  }));
  const out = path.join(dir, 'out');
  const child = soak(bin, ['--config', cfg, '--out', out, '--workers', '4', '--seed', '1']);
  const t0 = Date.now();
  const points = [];
  let next = 250;
  let buckets = 0;
  while (buckets < STORM && Date.now() - t0 < 600000) {
    await sleep(250);
    try { buckets = readJson(path.join(out, 'stats.json')).buckets; } catch { continue; }
    if (buckets >= next) {
      points.push({ buckets, rss_mb: +(rssKb(child.pid) / 1024).toFixed(1), s: Math.round((Date.now() - t0) / 1000) });
      log(`${path.basename(path.dirname(path.dirname(bin)))}: ${buckets} buckets, RSS ${points.at(-1).rss_mb} MB`);
      next += 250;
    }
  }
  child.kill('SIGTERM');
  await child.done;
  const recs = records(out);
  return { bin, points, confirmed: recs.filter((r) => r.reproducibility.runs > 0).length, buckets: recs.length };
}

(async () => {
  const loop = await killLoop();
  const storms = [];
  for (const bin of BINS) storms.push(await storm(bin));
  fs.writeFileSync(path.join(__dirname, 'killloop.json'), JSON.stringify({ loop, storms }, null, 2));
  const md = [];
  md.push(`# kill -9 loop and bucket storm (${new Date().toISOString().slice(0, 10)}, Node ${process.version})`, '');
  md.push(`## ${loop.cycles} kill -9 cycles of a crash-heavy soak (bug entries in turn, ASan, confirmation ×3, background minimization)`, '');
  md.push('| cycle | killed after (ms) | buckets | unconfirmed | unminimized |', '| --- | --- | --- | --- | --- |');
  for (const r of loop.rows) md.push(`| ${r.cycle} | ${r.killed_after_ms} | ${r.buckets} | ${r.unconfirmed} | ${r.unminimized} |`);
  md.push('', `Records lost: **${loop.lost}**; counts that went down: **${loop.decreased}**; every file parsed after every kill.`);
  md.push(`Last resume (fixed entry, ${loop.final_s} s, exit ${loop.exit_of_last}): ${loop.buckets} buckets, confirmations undone **${loop.confirmations_undone}**, minimizations undone **${loop.minimizations_undone}** (${loop.minimize_failed} recorded as minimize_failed).`, '');
  md.push('## Daemon RSS under a bucket storm (4 workers, confirmation ×3, ~60 KB stderr per case)', '');
  const header = ['buckets', ...storms.map((s) => path.relative(ROOT, s.bin) || s.bin)];
  md.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
  for (let i = 0; i < Math.max(...storms.map((s) => s.points.length)); i++)
    md.push(`| ${storms[0].points[i] ? storms[0].points[i].buckets : '…'} | ${storms.map((s) => (s.points[i] ? `${s.points[i].rss_mb} MB (${s.points[i].s} s)` : '')).join(' | ')} |`);
  md.push('', storms.map((s) => `${path.relative(ROOT, s.bin) || s.bin}: ${s.confirmed} of ${s.buckets} buckets confirmed.`).join(' '));
  process.stdout.write(md.join('\n') + '\n');
})();

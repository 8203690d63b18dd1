#!/usr/bin/env node
// The neutral-corpus score: how many cases the search needs to find each bug
// variant from one trivial seed ({"entry":"sum","elems":4,"elem_len":4}, no
// delay, no GC steps), in three modes: search feedback off, on, and on with
// favoured parents (config `favoured`). `gcfuzz soak --entry V
// --stop-on-crash` per PRNG seed; the count is the case number of the first
// record (cases generated until the first detection), median over seeds.
// Then soak throughput on the shipped entry (`sum`, release) in the same
// three modes, the modes taking turns so load hits each alike.
//   NEUTRAL_SEEDS=5 NEUTRAL_CAP=60 (seconds per run)
//   NEUTRAL_TIMINGS=asan,exp_asan NEUTRAL_MODES=off,on,fav
//   NEUTRAL_TP_S=15 NEUTRAL_TP_REPS=3 (throughput: seconds per soak, turns)
// Prints Markdown tables; writes bench/neutral.json.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { GCFUZZ, tmp, median, log, config } = require('./common.js');

const SEEDS = Number(process.env.NEUTRAL_SEEDS || 5);
const CAP = Number(process.env.NEUTRAL_CAP || 60);
const TIMINGS = (process.env.NEUTRAL_TIMINGS || 'asan,exp_asan').split(',');
const MODES = (process.env.NEUTRAL_MODES || 'off,on,fav').split(',');
const VARIANTS = (process.env.NEUTRAL_VARIANTS || 'sum_borrowed,sum_array_ref,sum_weak_ref,sum_typed,sum_self,sum_shared_ref,sum_batch_ref').split(',');
const TP_S = Number(process.env.NEUTRAL_TP_S || 15);
const TP_REPS = Number(process.env.NEUTRAL_TP_REPS || 3);
const MODE_KEYS = { off: { feedback: false }, on: { feedback: true, favoured: false }, fav: { feedback: true, favoured: true } };
const MODE_NAMES = { off: 'feedback off', on: 'feedback on', fav: 'on, favoured parents' };

function neutralSeeds() {
  const dir = tmp('neutral-seeds');
  fs.writeFileSync(path.join(dir, 'neutral.json'), JSON.stringify({ id: 'neutral', entry: 'sum', elems: 4, elem_len: 4 }));
  return dir;
}

// One run: {cases, s} of the first detection, or null within the cap.
function soak(cfg, variant, seed, extra) {
  const out = tmp('neutral-out');
  const child = spawn(GCFUZZ, ['soak', '--config', cfg, '--out', out, '--entry', variant, '--seed', String(seed),
    '--workers', '2', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { out, child };
}

function firstDetection(cfg, variant, seed) {
  return new Promise((resolve) => {
    const { out, child } = soak(cfg, variant, seed, ['--stop-on-crash', '--max-time', String(CAP)]);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', () => {
      const dir = path.join(out, 'crashes');
      const ids = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).case.id) : [];
      const nums = ids.map((id) => Number(id.slice(1))).filter(Number.isFinite);
      const m = stderr.match(/first crash after ([\d.]+)s/);
      fs.rmSync(out, { recursive: true, force: true });
      resolve(nums.length ? { cases: Math.min(...nums), s: m ? Number(m[1]) : null } : null);
    });
  });
}

// Soak throughput (execs/s) of the shipped entry.
function throughput(cfg, seed) {
  return new Promise((resolve) => {
    const { out, child } = soak(cfg, 'sum', seed, ['--max-time', String(TP_S)]);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', () => {
      const m = stderr.match(/ execs in [\d.]+s \(([\d.]+)\/s\)/);
      fs.rmSync(out, { recursive: true, force: true });
      resolve(m ? Number(m[1]) : null);
    });
  });
}

// The median over every run, a miss counting as more than any find (so
// with 3 finds of 5 it is the third find, not the middle of the three);
// null when the misses are at least half.
function medianOfRuns(runs, f) {
  if (runs.filter(Boolean).length * 2 <= runs.length) return null;
  const xs = runs.map((r) => (r ? f(r) : Infinity)).sort((a, b) => a - b);
  return xs[Math.floor(runs.length / 2)];
}

(async () => {
  const seeds = neutralSeeds();
  const tp = Object.fromEntries(MODES.map((m) => [m, []]));
  for (let rep = 1; rep <= TP_REPS; rep++)
    for (const mode of MODES) {
      tp[mode].push(await throughput(config('soak', { build: 'release', ...MODE_KEYS[mode] }), rep));
      log(`neutral: throughput ${mode}: ${tp[mode].join(', ')}`);
    }
  const rows = [];
  for (const build of TIMINGS) {
    for (const v of VARIANTS) {
      const row = { variant: v, build };
      for (const mode of MODES) {
        const cfg = config('ci', { build, seeds, confirm_runs: 0, ...MODE_KEYS[mode] });
        const runs = [];
        for (let seed = 1; seed <= SEEDS; seed++) runs.push(await firstDetection(cfg, v, seed));
        const hit = runs.filter(Boolean);
        row[mode] = { found: hit.length, runs: SEEDS, cases: runs.map((r) => (r ? r.cases : null)),
          median_cases: medianOfRuns(runs, (r) => r.cases), median_s: medianOfRuns(runs, (r) => r.s) };
        log(`neutral: ${build} ${v} ${mode}: ${JSON.stringify(row[mode].cases)}`);
      }
      rows.push(row);
    }
  }
  const cell = (x) => (x ? `${x.median_cases === null ? `> cap` : x.median_cases} (${x.found}/${x.runs}; ${x.cases.map((c) => c ?? '-').join(', ')})` : 'n/a');
  const lines = [
    `Cases until the first detection from one neutral seed, median over ${SEEDS} PRNG seeds (found/runs; each run), cap ${CAP} s, 2 workers, system node.`,
    '',
    `| variant | timing | ${MODES.map((m) => MODE_NAMES[m]).join(' | ')} |`,
    `| --- | --- |${MODES.map(() => ' --- |').join('')}`,
    ...rows.map((r) => `| ${r.variant} | ${r.build} | ${MODES.map((m) => cell(r[m])).join(' | ')} |`),
    '',
    `Soak throughput, shipped entry \`sum\`, release, 2 workers, ${TP_S} s per soak, ${TP_REPS} turns of the modes (execs/s; each turn; against feedback off):`,
    '',
    `| mode | median execs/s | turns | of off |`,
    `| --- | ---: | --- | ---: |`,
    ...MODES.map((m) => `| ${MODE_NAMES[m]} | ${median(tp[m]).toFixed(1)} | ${tp[m].map((x) => x?.toFixed(1) ?? '-').join(', ')} | ${tp.off ? (median(tp[m]) / median(tp.off)).toFixed(2) : 'n/a'} |`),
  ];
  console.log(lines.join('\n'));
  fs.writeFileSync(path.join(__dirname, 'neutral.json'), JSON.stringify({ seeds: SEEDS, cap_s: CAP, rows, throughput: { seconds: TP_S, ...tp } }, null, 2) + '\n');
})();

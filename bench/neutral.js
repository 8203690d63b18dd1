#!/usr/bin/env node
// The neutral-corpus score: how many cases the search needs to find each bug
// variant from one trivial seed ({"entry":"sum","elems":4,"elem_len":4}, no
// delay, no GC steps), with search feedback on and off. `gcfuzz soak --entry V
// --stop-on-crash` per PRNG seed; the count is the case number of the first
// record (cases generated until the first detection), median over seeds.
//   NEUTRAL_SEEDS=5 NEUTRAL_CAP=60 (seconds per run)
//   NEUTRAL_TIMINGS=asan,exp_asan NEUTRAL_MODES=on,off
// Prints a Markdown table; writes bench/neutral.json.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { GCFUZZ, tmp, median, log, config } = require('./common.js');

const SEEDS = Number(process.env.NEUTRAL_SEEDS || 5);
const CAP = Number(process.env.NEUTRAL_CAP || 60);
const TIMINGS = (process.env.NEUTRAL_TIMINGS || 'asan,exp_asan').split(',');
const MODES = (process.env.NEUTRAL_MODES || 'on,off').split(',');
const VARIANTS = (process.env.NEUTRAL_VARIANTS || 'sum_borrowed,sum_array_ref,sum_weak_ref,sum_typed,sum_self').split(',');

function neutralSeeds() {
  const dir = tmp('neutral-seeds');
  fs.writeFileSync(path.join(dir, 'neutral.json'), JSON.stringify({ id: 'neutral', entry: 'sum', elems: 4, elem_len: 4 }));
  return dir;
}

// One run: {cases, s} of the first detection, or null within the cap.
function firstDetection(cfg, variant, seed) {
  return new Promise((resolve) => {
    const out = tmp('neutral-out');
    const child = spawn(GCFUZZ, ['soak', '--config', cfg, '--out', out, '--entry', variant, '--stop-on-crash',
      '--max-time', String(CAP), '--seed', String(seed), '--workers', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
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

(async () => {
  const seeds = neutralSeeds();
  const rows = [];
  for (const build of TIMINGS) {
    for (const v of VARIANTS) {
      const row = { variant: v, build };
      for (const mode of MODES) {
        const cfg = config('ci', { build, seeds, confirm_runs: 0, feedback: mode === 'on' });
        const runs = [];
        for (let seed = 1; seed <= SEEDS; seed++) runs.push(await firstDetection(cfg, v, seed));
        const hit = runs.filter(Boolean);
        row[mode] = { found: hit.length, runs: SEEDS, cases: runs.map((r) => (r ? r.cases : null)),
          median_cases: hit.length * 2 > SEEDS ? median(hit.map((r) => r.cases)) : null,
          median_s: hit.length * 2 > SEEDS ? median(hit.map((r) => r.s)) : null };
        log(`neutral: ${build} ${v} feedback ${mode}: ${JSON.stringify(row[mode].cases)}`);
      }
      rows.push(row);
    }
  }
  const cell = (x) => (x ? `${x.median_cases === null ? `> cap` : x.median_cases} (${x.found}/${x.runs}; ${x.cases.map((c) => c ?? '-').join(', ')})` : 'n/a');
  const lines = [
    `Cases until the first detection from one neutral seed, median over ${SEEDS} PRNG seeds (found/runs; each run), cap ${CAP} s, 2 workers, system node.`,
    '',
    `| variant | timing | ${MODES.map((m) => `feedback ${m}`).join(' | ')} |`,
    `| --- | --- |${MODES.map(() => ' --- |').join('')}`,
    ...rows.map((r) => `| ${r.variant} | ${r.build} | ${MODES.map((m) => cell(r[m])).join(' | ')} |`),
  ];
  console.log(lines.join('\n'));
  fs.writeFileSync(path.join(__dirname, 'neutral.json'), JSON.stringify({ seeds: SEEDS, cap_s: CAP, rows }, null, 2) + '\n');
})();

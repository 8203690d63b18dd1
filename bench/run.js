#!/usr/bin/env node
// gcfuzz benchmarks: every comparison measured side by side in one run on
// this machine. Prints a Markdown table and writes bench/results.json.
//   node bench/run.js            full run   (< 10 min on 2 cores)
//   BENCH_QUICK=1 node bench/run.js   about a minute
// Timing comes from public tools and the runner's own stats: /proc/<pid>
// for the daemon's CPU and RSS, libFuzzer's final stats, the harness's and
// Node's clocks. Nothing here asserts a speed; it measures.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const { ROOT, GCFUZZ, tmp, median, log, config } = require('./common.js');
const QUICK = process.env.BENCH_QUICK === '1';
const T = QUICK
  ? { soak: 12, once: 8, seeds: 3, cap: 10, fuzz: 3, fixRounds: 3 }
  : { soak: 60, once: 30, seeds: 5, cap: 20, fuzz: 10, fixRounds: 10 };

const results = { quick: QUICK, machine: { cpus: os.cpus().length, node: process.version, date: new Date().toISOString() } };

// Runs gcfuzz, sampling its own /proc entry (not its children's) while it runs.
function gcfuzz(args) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(GCFUZZ, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const samples = [];
    child.stderr.on('data', (d) => (stderr += d));
    const sample = () => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        samples.push({
          t: Number(process.hrtime.bigint() - t0) / 1e9,
          rssKb: Number(status.match(/VmRSS:\s+(\d+)/)[1]),
          hwmKb: Number(status.match(/VmHWM:\s+(\d+)/)[1]),
          cpuTicks: Number(stat[11]) + Number(stat[12]), // utime + stime, own threads only
        });
      } catch { /* exited */ }
    };
    const timer = setInterval(sample, 1000);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, stderr, samples, wall: Number(process.hrtime.bigint() - t0) / 1e9 });
    });
  });
}

async function throughput() {
  log('# throughput: persistent vs one process per case');
  const out = tmp('persist');
  const p = await gcfuzz(['soak', '--config', config('soak', {}), '--out', out, '--seed', '1', '--max-time', String(T.soak)]);
  const ps = JSON.parse(fs.readFileSync(path.join(out, 'stats.json'), 'utf8'));
  const outOnce = tmp('once');
  await gcfuzz(['soak', '--config', config('soak', { persistent: false }), '--out', outOnce, '--seed', '1', '--max-time', String(T.once)]);
  const os1 = JSON.parse(fs.readFileSync(path.join(outOnce, 'stats.json'), 'utf8'));
  // The floor: node --expose-gc + loading the addon, nothing else.
  const loads = [];
  for (let i = 0; i < 15; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['--expose-gc', '-e', `require(${JSON.stringify(path.join(ROOT, 'addon'))}).load('release')`]);
    loads.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const ticks = 100; // USER_HZ on Linux
  const first = p.samples.find((s) => s.t >= 2) || p.samples[0];
  const last = p.samples.at(-1);
  results.throughput = {
    workers: ps.workers,
    persistent_execs_per_s: ps.execs_per_s_avg,
    once_execs_per_s: os1.execs_per_s_avg,
    ratio: ps.execs_per_s_avg / os1.execs_per_s_avg,
    node_load_ms_median: median(loads),
    floor_once_execs_per_s: (1000 / median(loads)) * ps.workers,
  };
  results.overhead = {
    soak_s: T.soak,
    runner_cpu_share: last ? (last.cpuTicks / ticks) / last.t : NaN,
    runner_peak_rss_kb: last ? last.hwmKb : NaN,
    rss_start_kb: first ? first.rssKb : NaN,
    rss_end_kb: last ? last.rssKb : NaN,
    execs: ps.execs,
  };
}

// Seconds from start until the positive control is recorded, per seed:
// a soak of sum_borrowed that stops at its first crash.
async function detect(name, build, overrides) {
  const times = [];
  let found = 0;
  for (let seed = 1; seed <= T.seeds; seed++) {
    const cfg = config(build === 'asan' ? 'ci' : 'soak', { ...overrides, confirm_runs: 0 });
    const r = await gcfuzz(['soak', '--config', cfg, '--out', tmp('detect'), '--entry', 'sum_borrowed',
      '--stop-on-crash', '--seed', String(seed), '--max-time', String(T.cap)]);
    const m = r.stderr.match(/first crash after ([\d.]+)s/);
    if (m) { found++; times.push(Number(m[1])); } else times.push(T.cap);
  }
  log(`  ${name}: found ${found}/${T.seeds}, median ${median(times).toFixed(2)} s`);
  return { name, build, found, seeds: T.seeds, cap_s: T.cap, median_s: median(times), min_s: Math.min(...times), max_s: Math.max(...times) };
}

async function detection() {
  log('# time to detect the positive control');
  const ALL = ['gc', 'immediate', 'sleep_ms', 'alloc_kb'];
  const variants = [
    ['release, all GC steps', 'release', {}],
    ['asan, all GC steps', 'asan', {}],
    ['release, no GC steps', 'release', { limits: { gc_ops: [], max_steps: 0 } }],
    ['asan, no GC steps', 'asan', { limits: { gc_ops: [], max_steps: 0 } }],
    ['asan, gc only', 'asan', { limits: { gc_ops: ['gc'] } }],
    ['asan, immediate/sleep/alloc (no forced gc)', 'asan', { limits: { gc_ops: ALL.filter((o) => o !== 'gc') } }],
  ];
  results.detection = [];
  for (const [name, build, o] of QUICK ? variants.slice(0, 3) : variants) results.detection.push(await detect(name, build, o));
}

function fixCost() {
  log('# cost of the fix');
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'fix_cost.js'), String(T.fixRounds)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  results.fix_cost = JSON.parse(r.stdout);
}

function libfuzzer() {
  log('# libFuzzer targets');
  results.libfuzzer = [];
  for (const t of ['fuzz_case', 'fuzz_config', 'fuzz_stderr', 'fuzz_lifecycle']) {
    const dir = tmp(t);
    const dict = fs.existsSync(path.join(ROOT, 'fuzzer', `${t}.dict`)) ? [`-dict=${path.join(ROOT, 'fuzzer', `${t}.dict`)}`] : [];
    const r = spawnSync(path.join(ROOT, 'build', 'fuzz', t), [...dict, `-max_total_time=${T.fuzz}`, '-print_final_stats=1', '-seed=1', dir, path.join(ROOT, 'corpus', 'libfuzzer', t)], { encoding: 'utf8' });
    const m = (r.stderr || '').match(/stat::average_exec_per_sec:\s+(\d+)/);
    results.libfuzzer.push({ target: t, execs_per_s: m ? Number(m[1]) : NaN });
  }
  const finds = [];
  for (let seed = 1; seed <= 5; seed++) {
    const dir = tmp('lcb');
    const t0 = process.hrtime.bigint();
    spawnSync(path.join(ROOT, 'build', 'fuzz', 'fuzz_lifecycle_borrowed'), [`-seed=${seed}`, `-artifact_prefix=${dir}/`, dir]);
    finds.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  results.libfuzzer_borrowed_find_s = { median: median(finds), min: Math.min(...finds), max: Math.max(...finds) };
}

function zoo() {
  if (!fs.existsSync(path.join(__dirname, 'zoo.js'))) return;
  log('# zoo');
  // Bounded inside make bench: the system node only, fewer seeds when quick.
  const env = { ...process.env, ZOO_NODES: 'system', ZOO_SEEDS: QUICK ? '2' : '5', ZOO_CAP: QUICK ? '5' : '10', ZOO_FIX_S: QUICK ? '2' : '3', ZOO_JSON: path.join(__dirname, 'results-zoo.json') };
  const r = spawnSync(process.execPath, [path.join(__dirname, 'zoo.js')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env });
  results.zoo_table = r.stdout;
}

function table() {
  const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  const t = results.throughput, o = results.overhead;
  const lines = [
    `## gcfuzz bench (${QUICK ? 'quick' : 'full'}; ${results.machine.cpus} CPUs, Node ${results.machine.node})`, '',
    '### Throughput (same seeded case stream, same workers)', '',
    '| mode | execs/s |', '| --- | ---: |',
    `| persistent workers (${t.workers}) | ${f(t.persistent_execs_per_s)} |`,
    `| one process per case (--once) | ${f(t.once_execs_per_s)} |`,
    `| **ratio persistent / once** | **${f(t.ratio, 1)}x** |`,
    `| floor: node --expose-gc + addon load (median ${f(t.node_load_ms_median)} ms) → max one-shot execs/s with ${t.workers} workers | ${f(t.floor_once_execs_per_s)} |`, '',
    '### Time to detect the positive control (sum_borrowed), seconds', '',
    '| variant | found | median | min | max |', '| --- | ---: | ---: | ---: | ---: |',
    ...results.detection.map((d) => `| ${d.name} | ${d.found}/${d.seeds} (cap ${d.cap_s}s) | ${f(d.median_s, 2)} | ${f(d.min_s, 2)} | ${f(d.max_s, 2)} |`), '',
    '### Cost of the fix: ns per element (double), no GC, elems kept alive', '',
    '| elems × elem_len | sumAsync (owning copy) | sumRefAsync | sumBorrowedAsync | copy / borrowed |', '| --- | ---: | ---: | ---: | ---: |',
    ...results.fix_cost.map((c) => `| ${c.elems} × ${c.elem_len} | ${f(c.sum, 2)} | ${f(c.sum_ref, 2)} | ${f(c.sum_borrowed, 2)} | ${f(c.sum / c.sum_borrowed, 2)} |`), '',
    `### Runner overhead (${o.soak_s} s soak, ${o.execs} execs)`, '',
    '| daemon CPU share | peak RSS | RSS at 2 s | RSS at end |', '| ---: | ---: | ---: | ---: |',
    `| ${f(o.runner_cpu_share * 100, 2)} % of one core | ${o.runner_peak_rss_kb} KiB | ${o.rss_start_kb} KiB | ${o.rss_end_kb} KiB |`, '',
    '### libFuzzer targets', '',
    '| target | execs/s |', '| --- | ---: |',
    ...results.libfuzzer.map((l) => `| ${l.target} | ${l.execs_per_s} |`),
    `| fuzz_lifecycle_borrowed: seconds to the UAF (5 seeds, process included) | median ${f(results.libfuzzer_borrowed_find_s.median, 2)} (min ${f(results.libfuzzer_borrowed_find_s.min, 2)}, max ${f(results.libfuzzer_borrowed_find_s.max, 2)}) |`,
  ];
  if (results.zoo_table) lines.push('', results.zoo_table.trim());
  return lines.join('\n');
}

(async () => {
  const t0 = Date.now();
  await throughput();
  await detection();
  fixCost();
  libfuzzer();
  zoo();
  results.total_s = (Date.now() - t0) / 1000;
  fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(table());
  log(`bench: ${results.total_s.toFixed(0)} s; wrote bench/results.json`);
})();

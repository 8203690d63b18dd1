#!/usr/bin/env node
// The zoo score (the way Magma and LAVA-M score fuzzers on ground-truth bugs):
// for every bug variant x finalizer timing x Node version, the time to the
// first detection (median over seeds, capped) and the share of seeds that
// found it within the cap; for every correct counterpart, execs with zero
// findings. The runner is used as a user would: `gcfuzz soak --entry V
// --stop-on-crash` from the seed corpus - no per-variant help.
//   node bench/zoo.js            every Node in .cache/node-matrix + system node
//   ZOO_NODES=system             the system node only (make bench)
//   ZOO_SEEDS=5 ZOO_CAP=10 ZOO_FIX_S=4
// Prints a Markdown table; writes bench/zoo.json.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const { ROOT, GCFUZZ, tmp, median, log, config } = require('./common.js');
const SEEDS = Number(process.env.ZOO_SEEDS || 5);
const CAP = Number(process.env.ZOO_CAP || 10);
const FIX_S = Number(process.env.ZOO_FIX_S || 4);
// ZOO_ONLY=PREFIX: only the variants and fixes whose name starts with it.
const only = (names) => names.filter((n) => n.startsWith(process.env.ZOO_ONLY || ''));
// sum_env_data: the teardown row, found only by cases with `teardown`.
const VARIANTS = only(['sum_borrowed', 'sum_array_ref', 'sum_weak_ref', 'sum_typed', 'sum_self', 'sum_pool_borrowed', 'sum_shared_ref', 'sum_batch_ref', 'sum_env_data']);
const FIXES = only(['sum', 'sum_ref', 'sum_array_ref_fixed', 'sum_typed_copy', 'sum_self_ref', 'sum_pool', 'sum_shared_ref_fixed', 'sum_batch_ref_fixed', 'sum_env_data_fixed']);
// The own-pool entries run with the thread-pool gate (doc/target.md, "Other
// thread pools"); the libuv gate alone holds nothing of their pool.
const ownPool = (entry) => entry.startsWith('sum_pool') || entry.startsWith('sum_env_data');
const envFor = (entry) => (ownPool(entry) ? { env: { GCFUZZ_GATE_THREADS: 'gcfuzz-pool' } } : {});
// The teardown fix is checked on teardown cases: from a teardown seed, since
// the mutator turns teardown on in 1.3 % of children only (a few cases in a
// 4 s soak). The control is found from the usual seeds, as a user would.
const fixSeeds = (entry) => (entry === 'sum_env_data_fixed' ? { seeds: path.join(__dirname, 'seeds-teardown') } : {});
const TIMINGS = { asan: 'next immediate (Node-API 8)', exp_asan: 'inside GC (NAPI_EXPERIMENTAL)' };

function nodes() {
  const list = [{ bin: process.execPath }];
  const dir = path.join(ROOT, '.cache', 'node-matrix');
  if (process.env.ZOO_NODES !== 'system' && fs.existsSync(dir))
    for (const d of fs.readdirSync(dir).sort()) {
      // node<major>/bin/node, and Bun and Deno (bun/bin/bun, deno/bin/deno)
      const bin = ['node', 'bun', 'deno'].map((b) => path.join(dir, d, 'bin', b)).find((b) => fs.existsSync(b));
      if (bin) list.push({ bin });
    }
  for (const n of list) {
    const v = spawnSync(n.bin, ['--version'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
    n.version = /^v\d/.test(v) ? v : `${path.basename(n.bin)} ${v.replace(/^deno (\S+).*/, '$1')}`; // "bun 1.4.5", "deno 2.9.6"
  }
  return list;
}

function soak(args) {
  return new Promise((resolve) => {
    const out = tmp('zoo-out');
    const child = spawn(GCFUZZ, ['soak', '--out', out, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) throw new Error(`gcfuzz soak ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`);
      const stats = JSON.parse(fs.readFileSync(path.join(out, 'stats.json'), 'utf8'));
      const m = stderr.match(/first crash after ([\d.]+)s/);
      resolve({ first: m ? Number(m[1]) : null, execs: stats.execs, crashes: stats.crashes });
    });
  });
}

(async () => {
  const score = { seeds: SEEDS, cap_s: CAP, fix_s: FIX_S, variants: [], fixes: [] };
  for (const node of nodes()) {
    for (const [build, timing] of Object.entries(TIMINGS)) {
      const cfgOf = (entry) => config('ci', { node: node.bin, build, confirm_runs: 0, ...envFor(entry) });
      for (const v of VARIANTS) {
        const cfg = cfgOf(v);
        const times = [];
        const execs = [];
        let found = 0;
        for (let seed = 1; seed <= SEEDS; seed++) {
          const r = await soak(['--config', cfg, '--entry', v, '--seed', String(seed), '--stop-on-crash', '--max-time', String(CAP)]);
          if (r.first !== null) found++;
          times.push(r.first !== null ? r.first : CAP);
          execs.push(r.execs);
        }
        // Seconds include starting the workers (~0.3 s with ASan); clean
        // execs before the first crash say how hard the bug was to hit.
        const row = { variant: v, timing, node: node.version, found, median_s: median(times), max_s: Math.max(...times), median_execs: median(execs) };
        log(`zoo: ${node.version} ${build} ${v}: ${found}/${SEEDS}, median ${row.median_s.toFixed(2)} s`);
        score.variants.push(row);
      }
      for (const fix of FIXES) {
        const cfg = config('ci', { node: node.bin, build, confirm_runs: 0, ...envFor(fix), ...fixSeeds(fix) });
        const r = await soak(['--config', cfg, '--entry', fix, '--seed', '1', '--max-time', String(FIX_S)]);
        score.fixes.push({ entry: fix, timing, node: node.version, execs: r.execs, findings: r.crashes });
      }
    }
  }
  fs.writeFileSync(process.env.ZOO_JSON || path.join(__dirname, 'zoo.json'), JSON.stringify(score, null, 2) + '\n');
  const lines = [
    `### The zoo: time to first detection (ASan builds; median of ${SEEDS} seeds, cap ${CAP} s)`, '',
    '| variant | finalizer timing | Node | found | median s | max s | median clean execs before it |', '| --- | --- | --- | ---: | ---: | ---: | ---: |',
    ...score.variants.map((r) => `| ${r.variant} | ${r.timing} | ${r.node} | ${r.found}/${SEEDS} | ${r.median_s.toFixed(2)} | ${r.max_s.toFixed(2)} | ${r.median_execs} |`), '',
    `### The zoo: correct counterparts (${FIX_S} s soak each)`, '',
    '| entry | finalizer timing | Node | execs | findings |', '| --- | --- | --- | ---: | ---: |',
    ...score.fixes.map((r) => `| ${r.entry} | ${r.timing} | ${r.node} | ${r.execs} | ${r.findings} |`),
  ];
  console.log(lines.join('\n'));
})();

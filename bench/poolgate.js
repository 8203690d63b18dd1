#!/usr/bin/env node
// The thread-pool gate (harness/native/gate.c) on the demo addon's own
// pool (make poolgate; bench/poolgate.md). Side by side in one run:
//   - rates: sum_pool_borrowed under ASan, one gated case per fresh process
//     (a full GC, one immediate), with the libuv gate alone and with
//     GCFUZZ_GATE_THREADS=gcfuzz-pool;
//   - safety: 1 000 gated cases of the fixed entries in one worker, per
//     mode: how many came back ok, how many holds the watchdog had to end
//     (a deadlock, bounded), and cases per second.
// Nothing here asserts a speed; it measures.
'use strict';
const { runHarness, asanEnv } = require('../addon/test/helpers.js');

const RUNS = Number(process.env.POOLGATE_RUNS || 20);
const CASES = Number(process.env.POOLGATE_CASES || 1000);
const POOL = { GCFUZZ_GATE_THREADS: 'gcfuzz-pool' };
const GATED = { elems: 16, elem_len: 256, gate: 1, gc: [{ op: 'gc', type: 'full' }, { op: 'immediate' }] };

async function rate(env) {
  let uaf = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await runHarness(['--build', 'asan', '--once'], [{ ...GATED, entry: 'sum_pool_borrowed', id: `r${i}`, seed: i }], { ...asanEnv(), ...env });
    if (/heap-use-after-free/.test(r.stderr)) uaf++;
  }
  return `${uaf}/${RUNS}`;
}

async function soundness(entry, build, env) {
  const cases = Array.from({ length: CASES }, (_, i) => ({
    entry, id: `c${i}`, seed: i, elems: 1 + (i % 16), elem_len: 64, concurrency: 1 + (i % 4), gate: 1,
    gc: [{ op: 'gc', type: i % 2 ? 'full' : 'minor' }, { op: 'immediate' }],
  }));
  const t0 = process.hrtime.bigint();
  const r = await runHarness(['--build', build], cases, { ...(build === 'asan' ? asanEnv() : process.env), ...env });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const res = r.events.filter((e) => e.event === 'result');
  return {
    ok: `${res.filter((e) => e.outcome === 'ok').length}/${CASES}`,
    watchdog: (r.stderr.match(/watchdog let them go/g) || []).length,
    perS: (CASES / s).toFixed(0),
  };
}

(async () => {
  const lines = [`# The thread-pool gate (make poolgate, ${new Date().toISOString().slice(0, 10)}, Node ${process.version})`, ''];
  lines.push(`sum_pool_borrowed (ASan), ${RUNS} fresh processes each: heap-use-after-free reported`, '');
  lines.push('| gate | found |', '| --- | --- |');
  lines.push(`| libuv only | ${await rate({})} |`);
  lines.push(`| libuv + GCFUZZ_GATE_THREADS=gcfuzz-pool | ${await rate(POOL)} |`, '');
  lines.push(`${CASES} gated cases of a fixed entry in one worker (1-16 inputs, 1-4 calls, a full or minor GC):`, '');
  lines.push('| entry | build | thread gate | ok | watchdog releases | cases/s |', '| --- | --- | --- | --- | --- | --- |');
  for (const [entry, build, env] of [['sum_pool', 'release', {}], ['sum_pool', 'release', POOL], ['sum', 'release', {}], ['sum', 'release', POOL], ['sum_pool', 'asan', {}], ['sum_pool', 'asan', POOL]]) {
    const m = await soundness(entry, build, env);
    lines.push(`| ${entry} | ${build} | ${env.GCFUZZ_GATE_THREADS ? 'on' : 'off'} | ${m.ok} | ${m.watchdog} | ${m.perS} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
})();

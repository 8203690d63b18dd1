'use strict';
// Environment teardown on the demo addon (case field `teardown`: the calls
// in a worker_threads Worker ended with them in flight). The addon's own
// pool works for every env of the process, and Node does not wait for it
// at a Worker's teardown as it waits for its own async work: a job still
// on the pool must not use what the env freed. Cases held by the
// thread-pool gate, so the jobs are on the pool when the Worker ends.
const test = require('node:test');
const assert = require('node:assert');
const { runHarness, asanEnv } = require('./helpers.js');

const POOL = { GCFUZZ_GATE_THREADS: 'gcfuzz-pool' };
const uaf = (r) => /ERROR: AddressSanitizer/.test(r.stderr);

test('sum_pool\'s jobs outlive a Worker\'s teardown: 8 teardowns with jobs in flight, no report, one process', { timeout: 120000 }, async () => {
  // Before the pool held its env's data per job, the first or second of
  // these died of a heap-use-after-free in pool_thread_main.
  const cases = Array.from({ length: 8 }, (_, i) => ({ entry: 'sum_pool', id: `t${i}`, seed: i, elems: 4, elem_len: 64, concurrency: 2, gate: 1, teardown: 1 + (i % 2) }));
  const r = await runHarness(['--build', 'asan'], cases, { ...asanEnv(), ...POOL });
  assert.ok(!uaf(r), r.stderr.slice(0, 2000));
  assert.strictEqual(r.code, 0, r.stderr.slice(0, 2000));
  const results = r.events.filter((e) => e.event === 'result');
  assert.deepStrictEqual(results.map((e) => [e.outcome, e.teardown.pending]), cases.map(() => ['ok', 2]));
});

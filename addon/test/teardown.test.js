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

test('sum_pool\'s jobs outlive a Worker\'s teardown: 6 teardowns with jobs in flight, no report, one process', { timeout: 120000 }, async () => {
  // Before the pool held its env's data per job, the first or second of
  // these died of a heap-use-after-free in pool_thread_main.
  const cases = Array.from({ length: 6 }, (_, i) => ({ entry: 'sum_pool', id: `t${i}`, seed: i, elems: 4, elem_len: 64, concurrency: 2, gate: 1, teardown: 1 + (i % 2) }));
  const r = await runHarness(['--build', 'asan'], cases, { ...asanEnv(), ...POOL });
  assert.ok(!uaf(r), r.stderr.slice(0, 2000));
  assert.strictEqual(r.code, 0, r.stderr.slice(0, 2000));
  const results = r.events.filter((e) => e.event === 'result');
  assert.deepStrictEqual(results.map((e) => [e.outcome, e.teardown.pending]), cases.map(() => ['ok', 2]));
});

// The teardown control and its fix (doc/addon.md, "The zoo"). Held by the
// thread-pool gate, which lets the own pool go only once the Worker has
// exited, the job comes back to an environment that is gone every time:
// deterministic, so every run must find it. The fix is run held and not
// held (its job sleeping delay_us on the pool as the Worker ends).
const ENV_CASE = { elems: 4, elem_len: 64, concurrency: 2 };
const UNSYMBOLIZED = { ...asanEnv(), ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1:symbolize=0', ...POOL }; // a report 2 s sooner

test('sum_env_data: a Worker ended with its job on the pool frees the data the job comes back through (3 of 3 fresh runs)', { timeout: 120000 }, async () => {
  const runs = await Promise.all([1, 2, 1].map((teardown, i) =>
    runHarness(['--build', 'asan', '--once'], [{ ...ENV_CASE, entry: 'sum_env_data', id: `c${i}`, seed: i, gate: 1, teardown }], UNSYMBOLIZED)));
  // Found: the report, from the addon's frames, before the case was answered.
  const found = runs.filter((r) => /heap-use-after-free[\s\S]*#0 0x[0-9a-f]+ +\(\S*gcfuzz_addon_asan\.node/.test(r.stderr) && !r.events.some((e) => e.event === 'result')).length;
  assert.strictEqual(found, 3, runs.map((r) => r.stderr.slice(0, 300)).join('\n'));
});

test('sum_env_data_fixed: the same teardowns, held or not, 8 in one process: exact, no report', { timeout: 120000 }, async () => {
  const cases = Array.from({ length: 8 }, (_, i) => ({ ...ENV_CASE, entry: 'sum_env_data_fixed', id: `f${i}`, seed: i, gate: i % 2, delay_us: i % 2 ? 0 : 20000, teardown: 1 + (i % 2), teardown_at: i % 3, gc: [{ op: 'gc' }, { op: 'immediate' }] }));
  const r = await runHarness(['--build', 'asan'], cases, UNSYMBOLIZED);
  assert.ok(!uaf(r), r.stderr.slice(0, 2000));
  assert.strictEqual(r.code, 0, r.stderr.slice(0, 2000));
  assert.doesNotMatch(r.stderr, /watchdog/);
  const results = r.events.filter((e) => e.event === 'result');
  assert.deepStrictEqual(results.map((e) => e.outcome), cases.map(() => 'ok'));
});

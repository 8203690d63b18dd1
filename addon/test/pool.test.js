'use strict';
// The addon's own thread pool (addon/src/pool.c, a napi-rs async fn's
// shape) and the thread-pool gate (harness/native/gate.c). Measured
// (bench/poolgate.md): sum_pool_borrowed found 0/20 with the libuv gate
// alone and 20/20 with GCFUZZ_GATE_THREADS; 0 watchdog releases and every
// case exact over 1 000 gated cases of the fixed entry. Asserted: no report
// in 10 cases without (one process: a report would end it), >= 5 of 6
// fresh runs with; 200 fixed cases exact.
const test = require('node:test');
const assert = require('node:assert');
const { runHarness, asanEnv } = require('./helpers.js');

const POOL = { GCFUZZ_GATE_THREADS: 'gcfuzz-pool' };
const GATED = { elems: 16, elem_len: 256, gate: 1, gc: [{ op: 'gc', type: 'full' }, { op: 'immediate' }] };
const uaf = (r) => /ERROR: AddressSanitizer: heap-use-after-free/.test(r.stderr);

test('own-pool bug: the libuv gate misses it (0 of 10 cases), the thread-pool gate finds it (>= 5/6 fresh runs)', async () => {
  // Without the thread gate no case crashes, so one process runs all ten.
  const cases = Array.from({ length: 10 }, (_, i) => ({ ...GATED, entry: 'sum_pool_borrowed', id: `l${i}`, seed: i }));
  const plain = await runHarness(['--build', 'asan'], cases, asanEnv());
  const exact = plain.events.filter((e) => e.event === 'result' && e.outcome === 'ok').length;
  assert.ok(!uaf(plain) && exact === 10, `libuv gate alone: ${exact}/10 exact\n${plain.stderr.slice(0, 400)}`);
  let found = 0;
  for (let i = 0; i < 6; i++) {
    const r = await runHarness(['--build', 'asan', '--once'], [{ ...GATED, entry: 'sum_pool_borrowed', id: `p${i}`, seed: i }], { ...asanEnv(), ...POOL });
    if (uaf(r) && /gf_borrowed_sum/.test(r.stderr)) found++;
  }
  assert.ok(found >= 5, `thread-pool gate: found in ${found}/6`);
});

test('the fixed pool entry stays exact over 200 cases held by the thread-pool gate; no hold needs the watchdog', async () => {
  const cases = Array.from({ length: 200 }, (_, i) => ({ ...GATED, entry: 'sum_pool', id: `f${i}`, seed: i, elems: 1 + (i % 16), concurrency: 1 + (i % 4) }));
  const r = await runHarness(['--build', 'asan'], cases, { ...asanEnv(), ...POOL });
  assert.strictEqual(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /AddressSanitizer|watchdog/);
  const results = r.events.filter((e) => e.event === 'result');
  assert.strictEqual(results.length, 200);
  for (const x of results) assert.strictEqual(x.outcome, 'ok', JSON.stringify(x));
});

test('a PoolGate given thread prefixes loads the module, holds and lets go, and no hold needed the watchdog', () => {
  const { PoolGate } = require('../../harness/gate.js');
  const g = new PoolGate(2, ['gcfuzz-pool']);
  assert.ok(g.native, 'the module loads from the build tree');
  g.hold();
  assert.ok(g.holdsAll);
  g.release();
  assert.strictEqual(g.held, 0);
  assert.strictEqual(g.threadTimeouts, 0);
});

// A partial release leaves other pools' threads held, and an await step
// then waited for calls that could not run until the watchdog let their
// threads go (2 s a case; found on oxc-resolver's tokio workers, then on
// the demo pool).
test('await after a partial release lets the other pools\' threads go: no watchdog, exact results', async () => {
  const cases = Array.from({ length: 3 }, (_, i) => ({ entry: 'sum_pool', id: `w${i}`, seed: i, elems: 4, elem_len: 64, gate: 1, gc: [{ op: 'release', n: 1 }, { op: 'await', n: 1 }] }));
  const r = await runHarness(['--build', 'release'], cases, { ...process.env, ...POOL, UV_THREADPOOL_SIZE: '4' });
  assert.strictEqual(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /watchdog/);
  const results = r.events.filter((e) => e.event === 'result');
  assert.deepStrictEqual(results.map((x) => x.outcome), ['ok', 'ok', 'ok']);
});

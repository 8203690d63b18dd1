'use strict';
// sum_shared_ref (addon/src/shared.c): a wrong fix whose failure needs an
// input shared by calls, a call still waiting when another completes, and a
// GC after that completion. The window gate makes it deterministic: it
// holds every pool thread, `release 1` lets one go, which runs call 0 and
// then call 1 (50 ms each: the delay is the margin); after call 0's
// completion the GC frees the shared inputs while call 1 sleeps.
// Rates asserted (measured 5/5 and 0/10): >= 4 of 5 one-shot runs report a
// heap-use-after-free; the same case without `shared`, and the fix with it,
// give 10 exact sums and no report in one process.
const test = require('node:test');
const assert = require('node:assert');
const { runHarness, asanEnv } = require('./helpers.js');

const CASE = {
  entry: 'sum_shared_ref', concurrency: 3, elems: 4, elem_len: 64, shared: 4, gate: 1, delay_us: 50000,
  gc: [{ op: 'release', n: 1 }, { op: 'await', n: 1 }, { op: 'gc', type: 'full' }, { op: 'immediate', n: 2 }],
};
const uaf = (r) => /ERROR: AddressSanitizer: heap-use-after-free/.test(r.stderr);

async function clean(c) {
  const cases = Array.from({ length: 10 }, (_, i) => ({ ...c, id: `c${i}`, seed: i }));
  const r = await runHarness(['--build', 'asan'], cases, asanEnv());
  assert.doesNotMatch(r.stderr, /AddressSanitizer/, c.entry);
  const results = r.events.filter((e) => e.event === 'result');
  assert.strictEqual(results.length, 10);
  for (const x of results) assert.strictEqual(x.outcome, 'ok', JSON.stringify(x));
}

test('sum_shared_ref: found when an input is shared, a call waits past a completion and a GC runs after it', async () => {
  let reported = 0;
  for (let i = 0; i < 5; i++) if (uaf(await runHarness(['--build', 'asan', '--once'], [{ ...CASE, id: `v${i}`, seed: i }], asanEnv()))) reported++;
  assert.ok(reported >= 4, `reported in ${reported}/5 runs`);
});

test('sum_shared_ref without a shared input, and sum_shared_ref_fixed with one: exact, no report', async () => {
  await Promise.all([clean({ ...CASE, shared: 0 }), clean({ ...CASE, entry: 'sum_shared_ref_fixed' })]);
});

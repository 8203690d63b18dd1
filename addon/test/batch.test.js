'use strict';
// sum_batch_ref (addon/src/batch.c): a wrong fix whose failure needs calls
// started in different turns (`stagger`), a call still waiting when its
// batch's own calls complete, and a GC after that completion. The window
// gate makes it deterministic: it holds every pool thread, `release 1` lets
// one go, which runs call 0 and then call 1 (50 ms each: the delay is the
// margin); after call 0's completion the GC frees call 1's inputs, which
// joined call 0's batch uncounted, while call 1 sleeps.
// Rates asserted (measured 5/5 and 0/10): >= 4 of 5 one-shot runs report a
// heap-use-after-free; the same case with every call in one turn, and the
// fix staggered, give 10 exact sums and no report in one process.
const test = require('node:test');
const assert = require('node:assert');
const { runHarness, asanEnv } = require('./helpers.js');

const CASE = {
  entry: 'sum_batch_ref', concurrency: 3, elems: 4, elem_len: 64, stagger: 2, gate: 1, delay_us: 50000,
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

test('sum_batch_ref: found when calls start in different turns, one waits past its batch and a GC runs after', async () => {
  let reported = 0;
  for (let i = 0; i < 5; i++) if (uaf(await runHarness(['--build', 'asan', '--once'], [{ ...CASE, id: `v${i}`, seed: i }], asanEnv()))) reported++;
  assert.ok(reported >= 4, `reported in ${reported}/5 runs`);
});

test('sum_batch_ref with every call in one turn, and sum_batch_ref_fixed staggered: exact, no report', async () => {
  await Promise.all([clean({ ...CASE, stagger: 0 }), clean({ ...CASE, entry: 'sum_batch_ref_fixed' })]);
});

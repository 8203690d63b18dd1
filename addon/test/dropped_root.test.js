'use strict';
// Wrong fixes whose failure needs three conditions at once: a root dropped
// by one call's completion while another call that needs it still waits.
//   sum_shared_ref (addon/src/shared.c): an input shared by calls;
//   sum_batch_ref (addon/src/batch.c): calls started in different turns.
// Both also need a call still waiting when another completes, and a GC
// after that completion. The window gate makes it deterministic: it holds
// every pool thread, `release 1` lets one go, which runs call 0 and then
// call 1 (50 ms each: the delay is the margin); after call 0's completion
// the GC frees call 1's inputs while it sleeps.
// Rates asserted (measured 5/5 and 0/10 for each): >= 4 of 5 one-shot
// runs report a heap-use-after-free; the same case without its own
// condition, and the fix with it, give 10 exact sums and no report in one
// process.
const test = require('node:test');
const assert = require('node:assert');
const { runHarness, asanEnv } = require('./helpers.js');

const GATED = {
  concurrency: 3, elems: 4, elem_len: 64, gate: 1, delay_us: 50000,
  gc: [{ op: 'release', n: 1 }, { op: 'await', n: 1 }, { op: 'gc', type: 'full' }, { op: 'immediate', n: 2 }],
};
const VARIANTS = [
  { entry: 'sum_shared_ref', fix: 'sum_shared_ref_fixed', condition: { shared: 4 }, without: { shared: 0 } },
  { entry: 'sum_batch_ref', fix: 'sum_batch_ref_fixed', condition: { stagger: 2 }, without: { stagger: 0 } },
];
const uaf = (r) => /ERROR: AddressSanitizer: heap-use-after-free/.test(r.stderr);

async function clean(c) {
  const cases = Array.from({ length: 10 }, (_, i) => ({ ...c, id: `c${i}`, seed: i }));
  const r = await runHarness(['--build', 'asan'], cases, asanEnv());
  assert.doesNotMatch(r.stderr, /AddressSanitizer/, c.entry);
  const results = r.events.filter((e) => e.event === 'result');
  assert.strictEqual(results.length, 10);
  for (const x of results) assert.strictEqual(x.outcome, 'ok', JSON.stringify(x));
}

for (const v of VARIANTS) {
  const found = { ...GATED, entry: v.entry, ...v.condition };
  const key = Object.keys(v.condition)[0];
  test(`${v.entry}: found with ${key}, a call waiting past a completion and a GC after it`, async () => {
    let reported = 0;
    for (let i = 0; i < 5; i++) if (uaf(await runHarness(['--build', 'asan', '--once'], [{ ...found, id: `v${i}`, seed: i }], asanEnv()))) reported++;
    assert.ok(reported >= 4, `reported in ${reported}/5 runs`);
  });
  test(`${v.entry} without ${key}, and ${v.fix} with it: exact, no report`, async () => {
    await Promise.all([clean({ ...found, ...v.without }), clean({ ...found, entry: v.fix })]);
  });
}

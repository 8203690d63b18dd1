'use strict';
// The zoo: every shape of the bug is detected by a fixed case, and every
// correct counterpart survives the very same case - under both finalizer
// timings (the Node-API 8 build: finalizers in the next immediate; the
// NAPI_EXPERIMENTAL build: finalizers inside the GC).
// Rates asserted (measured 10/10 for every variant and build): a variant is
// reported as heap-use-after-free in >= 4 of 5 one-shot runs; a counterpart
// gives 30 exact sums with no report in one process.
const test = require('node:test');
const assert = require('node:assert');
const { runHarness, asanEnv } = require('./helpers.js');

const GC_TWICE = [{ op: 'gc' }, { op: 'immediate' }, { op: 'gc' }, { op: 'immediate' }];
const ZOO = [
  // variant, the schedule that exposes it, its correct counterparts
  ['sum_borrowed', GC_TWICE, ['sum', 'sum_ref']],
  ['sum_array_ref', [{ op: 'truncate', len: 0 }, ...GC_TWICE], ['sum_array_ref_fixed']],
  ['sum_weak_ref', GC_TWICE, ['sum_ref']],
  ['sum_self', GC_TWICE, ['sum_self_ref']],
  // Backing stores are swept lazily: allocation pressure and a full GC (a
  // plain gc(): the options form leaves unreachable ArrayBuffers for the
  // sweeper, and was 9/10 alone but as low as 2/5 inside the addon suite,
  // measured; full: 10/10 alone) get them freed. The sweep still raced the
  // 50 ms delay in a loaded suite (3/5 in a clean-clone run): the gate holds
  // the read until the schedule, sweep time included, is over.
  ['sum_typed', [{ op: 'alloc_kb', kb: 8192 }, { op: 'gc', type: 'full' }, { op: 'sleep_ms', ms: 5 }, { op: 'gc', type: 'full' }, { op: 'sleep_ms', ms: 20 }], ['sum_typed_copy'], { gate: 1 }],
];
const BASE = { elems: 16, elem_len: 4096, delay_us: 50000 };

for (const build of ['asan', 'exp_asan']) {
  for (const [variant, gc, fixes, extra = {}] of ZOO) {
    // The one-shot runs of the variant, one after another, beside the
    // counterparts' process (whose cases mostly sleep in their delay).
    test(`${build}: ${variant} is detected; ${fixes.join(', ')} survive(s) the same case`, async () => {
      const detect = async () => {
        let reported = 0;
        for (let i = 0; i < 5; i++) {
          const r = await runHarness(['--build', build, '--once'], [{ ...BASE, ...extra, id: `v${i}`, entry: variant, seed: i, gc }], asanEnv());
          if (/ERROR: AddressSanitizer: heap-use-after-free/.test(r.stderr)) reported++;
        }
        assert.ok(reported >= 4, `${variant} reported in ${reported}/5 runs`);
      };
      const survive = async () => {
        for (const fix of fixes) {
          const cases = Array.from({ length: 30 }, (_, i) => ({ ...BASE, ...extra, id: `f${i}`, entry: fix, seed: i, gc }));
          const r = await runHarness(['--build', build], cases, asanEnv());
          assert.doesNotMatch(r.stderr, /AddressSanitizer/, `${fix} under ${build}`);
          const results = r.events.filter((e) => e.event === 'result');
          assert.strictEqual(results.length, 30);
          for (const x of results) assert.strictEqual(x.outcome, 'ok', JSON.stringify(x));
        }
      };
      await Promise.all([detect(), survive()]);
    });
  }
}

test('the zoo entries reject bad arguments like the others', async () => {
  const addon = require('../index.js').load('release');
  assert.throws(() => addon.sumTypedAsync([new Float32Array(2)]), { name: 'TypeError', message: /elems\[0\] is not a Float64Array/ });
  assert.throws(() => addon.sumTypedCopyAsync('x'), { name: 'TypeError', message: /array of Float64Array/ });
  assert.throws(() => addon.sumArrayRefAsync([{}]), { name: 'TypeError', message: /elems\[0\] is not an Elem/ });
  assert.throws(() => addon.sumWeakRefAsync([new addon.Elem(1)], { delayUs: -2 }), RangeError);
  assert.throws(() => addon.fillValues([]), TypeError);
  const e = new addon.Elem(10, 3);
  assert.strictEqual(await e.sumSelfAsync({ delayUs: 10 }), e.sum());
  assert.strictEqual(await e.sumSelfRefAsync(), e.sum());
  assert.strictEqual(await addon.sumTypedCopyAsync([addon.fillValues(new Float64Array(10), 3)]), e.sum());
  assert.strictEqual(await addon.sumArrayRefFixedAsync([e, e]), 2 * e.sum());
  // the own-pool entries: the same sums, off the libuv threadpool
  assert.strictEqual(await addon.sumPoolAsync([e, e]), 2 * e.sum());
  assert.strictEqual(await addon.sumPoolBorrowedAsync([e]), e.sum());
  assert.throws(() => addon.sumPoolAsync([{}]), { name: 'TypeError', message: /elems\[0\] is not an Elem/ });
  // the teardown pair: the same, with the delay knob
  assert.strictEqual(await addon.sumEnvDataAsync([e, e], { delayUs: 10 }), 2 * e.sum());
  assert.strictEqual(await addon.sumEnvDataFixedAsync([e]), e.sum());
  assert.throws(() => addon.sumEnvDataFixedAsync([e], { delayUs: -1 }), { name: 'RangeError', message: /opts\.delayUs/ });
  assert.throws(() => addon.sumEnvDataAsync([e], 3), { name: 'TypeError', message: /opts must be an object/ });
});

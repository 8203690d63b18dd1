// The demo addon as a gcfuzz target: one entry per async function. Inputs
// are Elems (or Float64Arrays for the typed entries); the oracle is the sum
// computed synchronously before the call. `bug: true` marks the positive
// controls (doc/addon.md "The zoo"): the bug on purpose.
'use strict';
const { load } = require('./index.js');

const sumOf = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
const elem = (rng, size, ctx) => new ctx.addon.Elem(size, rng.u32());
const typed = (rng, size, ctx) => ctx.addon.fillValues(new Float64Array(size), rng.u32());
const elemSum = (inputs) => sumOf(inputs, (e) => e.sum());
const typedSum = (inputs) => sumOf(inputs, (a) => a.reduce((s, v) => s + v, 0));

// fn(inputs, {delayUs}) for the array entries; a method of each Elem for the
// `self` entries (their total is the sum of the per-Elem promises).
function arrayEntry(fn, input, oracle, bug = false) {
  return { input, oracle, bug, call: (inputs, ctx, c) => ctx.addon[fn](inputs, { delayUs: c.delay_us }) };
}
function selfEntry(method, bug = false) {
  return {
    input: elem,
    oracle: elemSum,
    bug,
    call: (inputs, ctx, c) =>
      Promise.all(inputs.map((e) => e[method]({ delayUs: c.delay_us }))).then((v) => v.reduce((a, b) => a + b, 0)),
  };
}

module.exports = {
  name: 'gcfuzz-addon',
  setup: ({ build }) => ({ addon: load(build), build }),
  entries: {
    sum: arrayEntry('sumAsync', elem, elemSum),
    sum_ref: arrayEntry('sumRefAsync', elem, elemSum),
    sum_borrowed: arrayEntry('sumBorrowedAsync', elem, elemSum, true),
    sum_array_ref: arrayEntry('sumArrayRefAsync', elem, elemSum, true),
    sum_array_ref_fixed: arrayEntry('sumArrayRefFixedAsync', elem, elemSum),
    sum_weak_ref: arrayEntry('sumWeakRefAsync', elem, elemSum, true),
    sum_typed: arrayEntry('sumTypedAsync', typed, typedSum, true),
    sum_typed_copy: arrayEntry('sumTypedCopyAsync', typed, typedSum),
    sum_self: selfEntry('sumSelfAsync', true),
    sum_self_ref: selfEntry('sumSelfRefAsync'),
    // On the addon's own thread pool (a napi-rs async fn's shape): the libuv
    // gate holds nothing of it; GCFUZZ_GATE_THREADS=gcfuzz-pool does.
    sum_pool: arrayEntry('sumPoolAsync', elem, elemSum),
    sum_pool_borrowed: arrayEntry('sumPoolBorrowedAsync', elem, elemSum, true),
    // Roots shared between calls, uncounted: found only with a shared input,
    // a call still waiting when another completes, and a GC after that.
    sum_shared_ref: arrayEntry('sumSharedRefAsync', elem, elemSum, true),
    sum_shared_ref_fixed: arrayEntry('sumSharedRefFixedAsync', elem, elemSum),
    // Roots kept per batch of calls made in one turn; a later call joins the
    // batch in flight uncounted: found only with staggered calls, a call
    // still waiting when the batch completes, and a GC after that.
    sum_batch_ref: arrayEntry('sumBatchRefAsync', elem, elemSum, true),
    sum_batch_ref_fixed: arrayEntry('sumBatchRefFixedAsync', elem, elemSum),
    // Environment teardown (case field teardown): a job on the own pool
    // that does not hold its env's data, and its fix.
    sum_env_data: arrayEntry('sumEnvDataAsync', elem, elemSum, true),
    sum_env_data_fixed: arrayEntry('sumEnvDataFixedAsync', elem, elemSum),
  },
};

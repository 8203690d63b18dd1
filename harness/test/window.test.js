'use strict';
// The window probe's counters on pure-JS targets whose timing we control.
const test = require('node:test');
const assert = require('node:assert');
const { runCase } = require('../driver.js');
const { WindowProbe } = require('../window.js');
const { turns, mkCase, PoolGate } = require('./helpers.js');

test('with --probe-collection, inputs dropped while their call is pending are counted as collected in flight', async () => {
  let release;
  const target = {
    entries: { f: { input: (rng, size) => ({ size }), call: () => new Promise((resolve) => (release = resolve)) } },
  };
  // Full GCs clear FinalizationRegistry cells; the immediates let the
  // cleanup callbacks run while the call is still pending.
  const c = mkCase({ elems: 6, gc: [{ op: 'gc', type: 'full' }, { op: 'immediate', n: 3 }, { op: 'gc', type: 'full' }, { op: 'immediate', n: 3 }] });
  const p = runCase(target, {}, c, new PoolGate(4), new WindowProbe({ collection: true }));
  await turns(30);
  release(0);
  const { window: w } = await p;
  assert.strictEqual(w.inputs, 6);
  assert.strictEqual(w.collected_in_flight, 6);
  assert.strictEqual(w.collected, 6);
  assert.strictEqual(w.inflight_at_gc, 2, 'one call pending at each of two gc steps');
  assert.strictEqual(w.settled_before_gc, 0);
  assert.ok(w.gc_major >= 2, `the forced GCs are seen (${w.gc_major})`);
});

test('calls that settle before the GC steps: nothing in flight, settled_before_gc counts them', async () => {
  const target = { entries: { f: { input: () => ({}), call: () => Promise.resolve(1) } } };
  const probe = new WindowProbe({ collection: true });
  const c = mkCase({ elems: 3, concurrency: 2, gc: [{ op: 'immediate', n: 2 }, { op: 'gc', type: 'full' }, { op: 'immediate', n: 3 }] });
  const { window: w } = await runCase(target, {}, c, new PoolGate(4), probe);
  assert.strictEqual(w.inputs, 6);
  assert.strictEqual(w.collected_in_flight, 0);
  assert.strictEqual(w.inflight_at_gc, 0);
  assert.strictEqual(w.settled_before_gc, 2);
  // The next case starts from zero: late callbacks of this one are not its own.
  const { window: w2 } = await runCase(target, {}, mkCase({ elems: 1 }), new PoolGate(4), probe);
  assert.deepStrictEqual([w2.inputs, w2.collected, w2.settled_before_gc], [1, 0, 0]);
});

test('shared and repeated objects are watched once; primitives are not watched', async () => {
  const objs = { entries: { f: { input: () => ({}), call: () => Promise.resolve(0) } } };
  const { window: w } = await runCase(objs, {}, mkCase({ elems: 5, concurrency: 3, shared: 2, dups: 1 }), new PoolGate(4));
  assert.strictEqual(w.inputs, 2 + 3 * 2, '2 shared + 2 fresh per call');
  const prims = { entries: { f: { input: (rng) => rng.u32(), call: () => Promise.resolve(0) } } };
  const { window: p } = await runCase(prims, {}, mkCase({ elems: 5 }), new PoolGate(4));
  assert.strictEqual(p.inputs, 0);
});

test('by default the probe watches no collection: nothing is registered, the counters stay 0', async () => {
  const target = { entries: { f: { input: () => ({}), call: () => Promise.resolve(0) } } };
  const probe = new WindowProbe();
  assert.strictEqual(probe.registry, null);
  const { window: w } = await runCase(target, {}, mkCase({ elems: 4, gc: [{ op: 'gc', type: 'full' }, { op: 'immediate', n: 3 }] }), new PoolGate(4), probe);
  assert.deepStrictEqual([w.inputs, w.collected, w.collected_in_flight], [4, 0, 0]);
});

// A GC after some calls settled while others still wait: the window where a
// root that the first completion drops (shared or not) can be freed.
test('a GC after some calls settled counts the calls still pending, and those sharing an input', async () => {
  const releases = [];
  const call = () => new Promise((resolve) => releases.push(resolve));
  const target = { entries: { f: { input: () => ({}), call } } };
  const settleFirst = { op: 'await', n: 1 };
  const gc = { op: 'gc', type: 'major' };
  const run = async (shared) => {
    releases.length = 0;
    const p = runCase(target, {}, mkCase({ elems: 3, concurrency: 3, shared, gc: [gc, settleFirst, gc, gc] }), new PoolGate(4));
    await turns(1); // the calls started at once, and the first GC ran in their turn
    assert.strictEqual(releases.length, 3);
    releases[0](0); // call 0 settles; the await lets the two GCs after it run
    await turns(20);
    releases[1](0);
    releases[2](0);
    return (await p).window;
  };
  const w = await run(2);
  assert.strictEqual(w.inflight_at_gc, 3 + 2 + 2, 'every gc step counts its pending calls');
  assert.strictEqual(w.inflight_at_partial_gc, 2 + 2, 'only the two after the first settled');
  assert.strictEqual(w.shared_inflight_at_partial_gc, 2 + 2, 'the calls share two inputs');
  assert.strictEqual(w.late_inflight_at_partial_gc, 0, 'every call started in the same turn');
  const u = await run(0);
  assert.strictEqual(u.inflight_at_partial_gc, 4);
  assert.strictEqual(u.shared_inflight_at_partial_gc, 0, 'no input is shared');
});

// The same moment, with calls started in different turns: a pending call
// made after the settled one may have been tied to it (a batch) uncounted.
test('a GC after some calls settled counts the pending calls started in a later turn than a settled one', async () => {
  const releases = [];
  const target = { entries: { f: { input: () => ({}), call: () => new Promise((resolve) => releases.push(resolve)) } } };
  const gc = { op: 'gc', type: 'major' };
  const p = runCase(target, {}, mkCase({ elems: 2, concurrency: 3, stagger: 2, gc: [{ op: 'await', n: 1 }, gc, { op: 'await', n: 2 }, gc] }), new PoolGate(4));
  while (releases.length < 3) await turns(1);
  releases[1](0); // call 1 settles first: only call 2 started after it
  await turns(20);
  releases[0](0); // then call 0: call 2 is still later than both
  await turns(20);
  await new Promise((resolve) => setTimeout(resolve, 30)); // call 2 stays in flight 30 ms more
  releases[2](0);
  const w = (await p).window;
  assert.strictEqual(w.inflight_at_partial_gc, 2 + 1);
  assert.strictEqual(w.late_inflight_at_partial_gc, 1 + 1, 'call 2 at both GCs; call 0 began before call 1');
  // How long the late call stayed in flight after the first such GC: a
  // timer never fires early by more than libuv's 1 ms rounding.
  assert.ok(w.late_partial_gc_window_ms >= 29, `late window ${w.late_partial_gc_window_ms} ms`);
  assert.ok(w.partial_gc_window_ms >= w.late_partial_gc_window_ms);
  assert.strictEqual(w.shared_partial_gc_window_ms, 0, 'no input is shared');
});

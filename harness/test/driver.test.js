'use strict';
// The driver on pure-JS targets: input shapes, reference dropping, outcomes.
const test = require('node:test');
const assert = require('node:assert');
const fsp = require('node:fs/promises');
const { runCase } = require('../driver.js');
const { turns, mkCase, PoolGate } = require('./helpers.js');

// A target that records what each call got and answers from the inputs.
function recorder() {
  const seen = [];
  let n = 0;
  const target = {
    entries: {
      f: {
        input: (rng, size) => ({ id: n++, size, v: rng.u32() }),
        oracle: (inputs) => inputs.reduce((a, x) => a + x.v, 0),
        call: (inputs) => {
          seen.push(inputs.slice());
          return Promise.resolve(inputs.reduce((a, x) => a + x.v, 0));
        },
      },
    },
  };
  return { target, seen };
}

test('shapes: shared objects across calls, repeated objects in one array, mixed sizes', async () => {
  const { target, seen } = recorder();
  const c = mkCase({ elems: 6, concurrency: 3, shared: 2, dups: 2, len_mix: 1, elem_len: 100, seed: 7 });
  const r = await runCase(target, {}, c, new PoolGate(4));
  assert.deepStrictEqual([r.outcome, r.checked], ['ok', 3]);
  assert.strictEqual(seen.length, 3);
  for (const arr of seen) {
    assert.strictEqual(arr.length, 6);
    assert.strictEqual(arr[0], seen[0][0], 'shared slot 0 is one object in every call');
    assert.strictEqual(arr[1], seen[0][1]);
    assert.strictEqual(arr[4], arr[0], 'dups repeat earlier slots');
    assert.strictEqual(arr[5], arr[1]);
    assert.strictEqual(new Set(arr).size, 4);
    for (const x of arr) assert.ok(x.size >= 0 && x.size <= 100);
  }
  assert.notStrictEqual(seen[1][2], seen[0][2], 'unshared slots are fresh per call');
  assert.ok(new Set(seen.flat().map((x) => x.size)).size > 1, 'len_mix varies the sizes');
});

test('an entry marked distinct never gets one object twice in flight', async () => {
  const { target, seen } = recorder();
  target.entries.f.distinct = true;
  await runCase(target, {}, mkCase({ elems: 6, concurrency: 3, shared: 3, dups: 3 }), new PoolGate(4));
  assert.strictEqual(new Set(seen.flat()).size, 18);
});

test('the same case gives the same inputs; another seed other inputs', async () => {
  const values = async (seed) => {
    const { target, seen } = recorder();
    await runCase(target, {}, mkCase({ seed, concurrency: 2 }), new PoolGate(4));
    return seen.flat().map((x) => x.v);
  };
  assert.deepStrictEqual(await values(3), await values(3));
  assert.notDeepStrictEqual(await values(3), await values(4));
});

// A target whose inputs are watched through WeakRefs and whose one pending
// call keeps nothing; release() settles it. The schedule is the same for
// both tests below: the case's own full GCs, and no other (a WeakRef is
// cleared by the GC that collects its target; the first gc runs in the job
// that made them, which keeps WeakRef targets alive until it ends; the
// second does not).
function watchedInputs() {
  const w = { refs: [], release: null, alive: () => w.refs.filter((r) => r.deref() !== undefined).length };
  w.target = {
    entries: {
      f: {
        input: (rng, size) => {
          const o = { size };
          w.refs.push(new WeakRef(o));
          return o;
        },
        call: () => new Promise((resolve) => (w.release = resolve)), // keeps nothing
      },
    },
  };
  return w;
}
const TWO_FULL_GCS = [{ op: 'gc', type: 'full' }, { op: 'immediate', n: 2 }, { op: 'gc', type: 'full' }, { op: 'immediate', n: 2 }];

test('no reference to the inputs is left while the schedule runs', async () => {
  const w = watchedInputs();
  const p = runCase(w.target, {}, mkCase({ elems: 8, gc: TWO_FULL_GCS }), new PoolGate(4));
  await turns(20);
  assert.strictEqual(w.refs.length, 8);
  assert.strictEqual(w.alive(), 0, 'every input was collected during the schedule');
  w.release(0);
  assert.strictEqual((await p).outcome, 'ok');
});

// Shared inputs are the calls' only common objects: 0.5.0 made them in
// runCase's own async frame, whose registers a suspended frame keeps, so
// they outlived every GC of the schedule and `shared` could never expose a
// borrowed one. Three calls pending, all four inputs shared.
test('shared inputs too: no reference is left to them while the schedule runs', async () => {
  const w = watchedInputs();
  const pending = [];
  w.target.entries.f.call = () => new Promise((resolve) => pending.push(resolve));
  const p = runCase(w.target, {}, mkCase({ elems: 4, concurrency: 3, shared: 4, gc: TWO_FULL_GCS }), new PoolGate(4));
  await turns(20);
  assert.strictEqual(w.refs.length, 4, 'the four shared inputs, made once');
  assert.strictEqual(w.alive(), 0, 'every shared input was collected during the schedule');
  for (const resolve of pending) resolve(0);
  assert.strictEqual((await p).outcome, 'ok');
});

// keep (the warm-up cases of warm runs): the same schedule frees nothing a
// call still uses; once every call settled, the inputs may go.
test('keep: the schedule runs, but no input is collected while its call is pending', async () => {
  const w = watchedInputs();
  const p = runCase(w.target, {}, mkCase({ elems: 8, keep: 1, gc: TWO_FULL_GCS }), new PoolGate(4));
  await turns(20);
  assert.strictEqual(w.alive(), 8, 'every input still alive');
  w.release(0);
  assert.strictEqual((await p).outcome, 'ok');
  await turns(2);
  global.gc();
  await turns(2);
  global.gc();
  assert.strictEqual(w.alive(), 0, 'let go once settled');
});

test('stagger: call k starts k*stagger immediate turns after call 0', async () => {
  let tick = 0;
  const timer = setInterval(() => {}, 1000);
  const counter = setImmediate(function count() { tick++; counterHandle = setImmediate(count); });
  let counterHandle = counter;
  const starts = [];
  const target = { entries: { f: { input: () => 0, call: () => { starts.push(tick); return Promise.resolve(0); } } } };
  await runCase(target, {}, mkCase({ concurrency: 3, stagger: 5 }), new PoolGate(4));
  clearImmediate(counterHandle);
  clearInterval(timer);
  assert.ok(starts[1] - starts[0] >= 4 && starts[2] - starts[1] >= 4, `starts at ticks ${starts}`);
});

test('outcomes: a sync throw and a rejection are exceptions; a wrong answer is a mismatch', async () => {
  const mk = (call) => ({ entries: { f: { input: (rng) => rng.u32(), oracle: () => 42, call } } });
  const gate = new PoolGate(4);
  const thrown = await runCase(mk(() => { throw new TypeError('bad arg'); }), {}, mkCase({}), gate);
  assert.deepStrictEqual([thrown.outcome, thrown.message], ['exception', 'bad arg']);
  const rejected = await runCase(mk(() => Promise.reject(new Error('nope'))), {}, mkCase({ concurrency: 2 }), gate);
  assert.deepStrictEqual([rejected.outcome, rejected.call, rejected.message], ['exception', 0, 'nope']);
  // an empty message still says what it was, and where
  const empty = await runCase(mk(() => Promise.reject(Object.assign(new TypeError(''), { code: 'ERR_FOO' }))), {}, mkCase({}), gate);
  assert.deepStrictEqual([empty.outcome, empty.message, empty.name, empty.code], ['exception', 'TypeError ERR_FOO (empty message)', 'TypeError', 'ERR_FOO']);
  assert.ok(empty.stack.length >= 1, 'its first frames');
  const wrong = await runCase(mk(() => Promise.resolve(Buffer.from('abc'))), {}, mkCase({}), gate);
  assert.deepStrictEqual([wrong.outcome, wrong.result, wrong.expected], ['mismatch', '<Buffer 616263>', 42]);
  const custom = { entries: { f: { input: () => 1, oracle: () => 1.0, equal: (a, b) => Math.abs(a - b) < 0.5, call: () => Promise.resolve(1.2) } } };
  assert.strictEqual((await runCase(custom, {}, mkCase({}), gate)).outcome, 'ok');
});

test('the target\'s own errors are target_error with where, name, code and frames: input, replace, oracle, equal, hooks', async () => {
  const gate = new PoolGate(4);
  const boom = (msg) => () => {
    const e = new RangeError(msg);
    e.code = 'ERR_X';
    throw e;
  };
  const ok = { input: (rng) => rng.u32(), call: (xs) => Promise.resolve(xs.length), oracle: (xs) => xs.length };
  const run = (entry, c = {}, hooks = {}) => runCase({ ...hooks, entries: { f: { ...ok, ...entry } } }, {}, mkCase(c), gate);
  const where = async (...a) => {
    const r = await run(...a);
    return [r.outcome, r.where, r.name, r.code, r.message];
  };
  assert.deepStrictEqual(await where({ input: boom('no NUL') }), ['target_error', 'input', 'RangeError', 'ERR_X', 'no NUL']);
  // a replace step calls input() again, mid-schedule (it used to kill the harness)
  let n = 0;
  const late = { input: (rng) => (n++ < 1 ? rng.u32() : boom('second input')()) };
  assert.deepStrictEqual(await where(late, { elems: 1, gc: [{ op: 'replace', n: 1 }] }), ['target_error', 'input', 'RangeError', 'ERR_X', 'second input']);
  assert.deepStrictEqual(await where({ oracle: boom('oracle') }), ['target_error', 'oracle', 'RangeError', 'ERR_X', 'oracle']);
  assert.deepStrictEqual(await where({ oracle: () => Promise.reject(new TypeError('async oracle')) }), ['target_error', 'oracle', 'TypeError', undefined, 'async oracle']);
  assert.deepStrictEqual(await where({ equal: boom('equal') }), ['target_error', 'equal', 'RangeError', 'ERR_X', 'equal']);
  assert.deepStrictEqual(await where({}, {}, { beforeCase: async () => boom('before')() }), ['target_error', 'beforeCase', 'RangeError', 'ERR_X', 'before']);
  assert.deepStrictEqual(await where({}, {}, { afterCase: boom('after') }), ['target_error', 'afterCase', 'RangeError', 'ERR_X', 'after']);
  const r = await run({ input: boom('frames') });
  assert.ok(r.stack.length >= 1 && r.stack.every((l) => l.startsWith('at ')), JSON.stringify(r.stack));
  // the call's own throw stays the addon's exception
  assert.strictEqual((await run({ call: boom('addon') })).outcome, 'exception');
});

test('await with a held gate releases it first instead of deadlocking; the gate is free after the case', async () => {
  const gate = new PoolGate(4);
  const target = { entries: { f: { input: () => 0, call: () => fsp.stat(__filename).then(() => 1), oracle: () => 1 } } };
  const r = await runCase(target, {}, mkCase({ gate: 1, concurrency: 3, gc: [{ op: 'await', n: 2 }, { op: 'gc' }] }), gate);
  assert.deepStrictEqual([r.outcome, r.checked], ['ok', 3]);
  assert.strictEqual(gate.held, 0);
  const r2 = await runCase(target, {}, mkCase({ gate: 1, gc: [{ op: 'release', n: 1 }, { op: 'await' }] }), gate);
  assert.strictEqual(r2.outcome, 'ok');
  assert.strictEqual(gate.held, 0);
});

test('hooks: beforeCase and afterCase run around each case with the setup context', async () => {
  const log = [];
  const target = {
    beforeCase: (ctx, c) => log.push(`before ${c.id} ${ctx.name}`),
    afterCase: (ctx, c) => log.push(`after ${c.id}`),
    entries: { f: { input: () => 0, call: () => { log.push('call'); return Promise.resolve(0); } } },
  };
  await runCase(target, { name: 'db' }, mkCase({ id: 'k', elems: 1 }), new PoolGate(4));
  assert.deepStrictEqual(log, ['before k db', 'call', 'after k']);
});

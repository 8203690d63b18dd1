'use strict';
// The window gate holds threadpool work back deterministically: nothing here
// waits on time, only on the gate's own release.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const { turns, PoolGate } = require('./helpers.js');

test('while the gate holds every pool thread, queued fs work does not run; after release it does', async () => {
  const gate = new PoolGate(4);
  gate.hold();
  assert.ok(gate.holdsAll);
  let done = false;
  fs.stat(__filename, () => (done = true));
  await turns(200);
  assert.strictEqual(done, false, 'work ran past a held pool');
  gate.release();
  assert.strictEqual(gate.held, 0);
  await new Promise((resolve) => fs.stat(__filename, resolve));
  assert.strictEqual(done, true);
});

test('release(1) lets one thread go: queued work then runs on it in queue order', async () => {
  const gate = new PoolGate(4);
  gate.hold();
  const order = [];
  const all = [0, 1, 2, 3, 4, 5].map((i) => new Promise((resolve) => fs.stat(__filename, () => resolve(order.push(i)))));
  await turns(50);
  assert.deepStrictEqual(order, []);
  gate.release(1);
  assert.strictEqual(gate.held, 3);
  await Promise.all(all);
  assert.deepStrictEqual(order, [0, 1, 2, 3, 4, 5]);
  gate.release();
});

test('release with nothing held is a no-op; hold twice holds each thread once', async () => {
  const gate = new PoolGate(2);
  gate.release();
  gate.hold();
  gate.hold();
  assert.strictEqual(gate.held, 2);
  gate.release(5);
  assert.strictEqual(gate.held, 0);
  await new Promise((resolve) => fs.stat(__filename, resolve)); // the pool is free again
});

// A napi-rs package's async fn runs on tokio's workers: hunt's and init's
// configs name them for the thread-pool gate; others leave env alone.
test('generated configs name tokio\'s workers for napi-rs packages only', () => {
  const gen = require('../hunt/gen.js');
  const disc = { entries: [{ name: 'f', sizes: [64], ms: 1 }], natives: ['x.node'] };
  assert.deepStrictEqual(gen.configFor(disc, { release: '/r', binding: { style: 'napi-rs' } }).env, { GCFUZZ_GATE_THREADS: 'tokio-runtime-w' });
  assert.strictEqual(gen.configFor(disc, { release: '/r', binding: { style: 'nan' } }).env, undefined);
});

test('GCFUZZ_GATE_THREADS: comma-separated prefixes, at most 8, none over a thread name\'s 15 bytes', () => {
  const { gateThreads } = require('../gate.js');
  assert.deepStrictEqual(gateThreads({ GCFUZZ_GATE_THREADS: ' tokio-runtime-w, gcfuzz-pool,,x'.concat(',a'.repeat(10)) }).slice(0, 3), ['tokio-runtime-w', 'gcfuzz-pool', 'x']);
  assert.strictEqual(gateThreads({ GCFUZZ_GATE_THREADS: 'a,'.repeat(20) }).length, 8);
  assert.deepStrictEqual(gateThreads({ GCFUZZ_GATE_THREADS: 'a-name-of-sixteen' }), []);
  assert.deepStrictEqual(gateThreads({}), []);
});

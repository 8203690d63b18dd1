'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { runHarness } = require('./helpers.js');

const byEvent = (events, name) => events.filter((e) => e.event === name);

test('persistent mode: ready, then start before result for each case', async () => {
  const r = await runHarness([], [
    { id: 'a', entry: 'sum', elems: 4, elem_len: 8 },
    { id: 'b', entry: 'sum_ref', elems: 2, elem_len: 3, concurrency: 3, gc: [{ op: 'gc' }, { op: 'immediate', n: 2 }] },
    { id: 'c', entry: 'sum', elems: 1, gc: [{ op: 'gc', type: 'minor' }, { op: 'sleep_ms', ms: 1 }, { op: 'alloc_kb', kb: 16 }] },
  ]);
  assert.strictEqual(r.code, 0, r.stderr);
  assert.strictEqual(r.events[0].event, 'ready');
  assert.strictEqual(r.events[0].build, 'release');
  assert.deepStrictEqual(r.events.slice(1).map((e) => `${e.event}:${e.id}`),
    ['start:a', 'result:a', 'start:b', 'result:b', 'start:c', 'result:c']);
  const checked = { a: 1, b: 3, c: 1 }; // one oracle comparison per call
  for (const res of byEvent(r.events, 'result')) {
    assert.strictEqual(res.outcome, 'ok');
    assert.strictEqual(res.checked, checked[res.id]);
    assert.ok(res.ms >= 0);
  }
});

test('malformed lines give an error result and the harness goes on', async () => {
  const r = await runHarness([], [
    'not json',
    '[1]',
    { id: 'bad', elems: -5 },
    { id: 'nope', entry: 'no_such_entry' },
    { id: 'fine', elems: 1, elem_len: 1 },
  ]);
  assert.strictEqual(r.code, 0);
  const results = byEvent(r.events, 'result');
  assert.deepStrictEqual(results.map((x) => x.outcome), ['error', 'error', 'error', 'error', 'ok']);
  assert.match(results[0].message, /not JSON/);
  assert.match(results[2].message, /^elems:/);
  assert.strictEqual(results[2].id, 'bad');
  assert.match(results[3].message, /unknown entry 'no_such_entry'/);
  assert.strictEqual(byEvent(r.events, 'start').length, 1, 'no start line for a rejected case');
});

test('--once runs exactly one case and exits', async () => {
  const r = await runHarness(['--once'], [{ id: 'one', elems: 2 }, { id: 'two', elems: 2 }]);
  assert.strictEqual(r.code, 0);
  assert.deepStrictEqual(byEvent(r.events, 'result').map((x) => x.id), ['one']);
});

test('an unknown build is a clear startup error', async () => {
  const r = await runHarness(['--build', 'nosuch'], []);
  assert.notStrictEqual(r.code, 0);
  assert.match(r.stderr, /unknown addon build 'nosuch'/);
});

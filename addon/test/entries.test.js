'use strict';
const test = require('node:test');
const assert = require('node:assert');
const addon = require('../index.js').load('release');
const { Elem } = addon;

const ENTRIES = ['sumAsync', 'sumRefAsync', 'sumBorrowedAsync'];

function makeElems(n, len) {
  return Array.from({ length: n }, (_, i) => new Elem(len, i * 31 + 1));
}

for (const name of ENTRIES) {
  test(`${name} resolves to the total of the sums (elems kept alive)`, async () => {
    for (const [n, len, delayUs] of [[0, 0, 0], [1, 1, 0], [64, 256, 1000], [3, 10000, 0]]) {
      const elems = makeElems(n, len);
      const expected = elems.reduce((a, e) => a + e.sum(), 0);
      assert.strictEqual(await addon[name](elems, { delayUs }), expected);
      assert.strictEqual(await addon[name](elems), expected);
    }
  });

  test(`${name} rejects bad arguments with the right error`, () => {
    const ok = [new Elem(2)];
    assert.throws(() => addon[name](), { name: 'TypeError', message: /elems must be an array/ });
    assert.throws(() => addon[name]({ length: 1, 0: ok[0] }), { name: 'TypeError', message: /elems must be an array/ });
    assert.throws(() => addon[name]([ok[0], {}]), { name: 'TypeError', message: /elems\[1\] is not an Elem/ });
    assert.throws(() => addon[name]([null]), { name: 'TypeError', message: /elems\[0\]/ });
    assert.throws(() => addon[name]([Object.create(Elem.prototype)]), TypeError);
    assert.throws(() => addon[name](ok, 5), { name: 'TypeError', message: /opts must be an object/ });
    assert.throws(() => addon[name](ok, { delayUs: '1' }), { name: 'TypeError', message: /delayUs must be a number/ });
    assert.throws(() => addon[name](ok, { delayUs: -1 }), { name: 'RangeError', message: /delayUs/ });
    assert.throws(() => addon[name](ok, { delayUs: 1e7 + 1 }), RangeError);
    assert.throws(() => addon[name](ok, { delayUs: 0.5 }), RangeError);
    const sparse = new Array(2 ** 20 + 1);
    assert.throws(() => addon[name](sparse), { name: 'RangeError', message: /at most 1048576/ });
  });
}

test('a failed call leaks no reference: the Elems stay collectable (sumRefAsync)', async () => {
  // A reference leaked by a validation error would keep `e` alive forever.
  // FinalizationRegistry tells us when it is collected.
  let collected = false;
  const registry = new FinalizationRegistry(() => (collected = true));
  (() => {
    const e = new Elem(8);
    registry.register(e, 'e');
    assert.throws(() => addon.sumRefAsync([e, {}]), TypeError);
  })();
  for (let i = 0; i < 20 && !collected; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
  assert.ok(collected, 'Elem stayed alive after a rejected sumRefAsync call');
});

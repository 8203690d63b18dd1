'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { Elem } = require('../index.js').load('release');

// Same formula as core.c's gf_elem_value, in BigInt: the oracle's oracle.
function value(seed, i) {
  const M = (1n << 64n) - 1n;
  let z = ((BigInt(seed) << 32n) ^ BigInt(i)) & M;
  z = (z + 0x9e3779b97f4a7c15n) & M;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
  z ^= z >> 31n;
  return Number(z % 2048n) - 1024;
}

test('Elem has its length and a sum matching the documented formula', () => {
  for (const [len, seed] of [[0, 0], [1, 0], [100, 7], [1000, 4294967295]]) {
    const e = new Elem(len, seed);
    assert.strictEqual(e.length, len);
    let expected = 0;
    for (let i = 0; i < len; i++) expected += value(seed, i);
    assert.strictEqual(e.sum(), expected);
  }
});

test('seed defaults to 0 and different seeds give different data', () => {
  assert.strictEqual(new Elem(500).sum(), new Elem(500, 0).sum());
  assert.notStrictEqual(new Elem(500, 1).sum(), new Elem(500, 2).sum());
});

test('bad constructor arguments throw TypeError or RangeError', () => {
  assert.throws(() => new Elem(), TypeError);
  assert.throws(() => new Elem('3'), { name: 'TypeError', message: /length must be a number/ });
  assert.throws(() => new Elem(-1), { name: 'RangeError', message: /length must be an integer/ });
  assert.throws(() => new Elem(1.5), RangeError);
  assert.throws(() => new Elem(NaN), RangeError);
  assert.throws(() => new Elem(2 ** 24 + 1), { name: 'RangeError', message: /16777216/ });
  assert.throws(() => new Elem(1e300), RangeError);
  assert.throws(() => new Elem(4, -1), { name: 'RangeError', message: /seed/ });
  assert.throws(() => new Elem(4, 2 ** 32), RangeError);
  assert.throws(() => new Elem(4, {}), { name: 'TypeError', message: /seed must be a number/ });
  assert.throws(() => Elem(4), { name: 'TypeError', message: /without 'new'/ });
});

test('methods refuse a this that is not an Elem', () => {
  const e = new Elem(3);
  const sum = e.sum;
  // V8's receiver check ("Illegal invocation") or ours ("not an Elem").
  assert.throws(() => sum.call({}), { name: 'TypeError', message: /Illegal invocation|not an Elem/ });
  assert.throws(() => sum.call(Object.create(Elem.prototype)), TypeError);
});

// Inverse pairs: an oracle for a call whose result is not deterministic
// (a password hash with a random salt). When the package has a partner that
// checks the result against the input - verify(hash, password),
// compare(password, hash), decompress(compressed) - the pair, run on one
// input, is deterministic: `verify(hash(x), x)` is true every time. The
// generated target then runs the pair, with the partner on a copy of the
// input taken before the first call could read freed memory, and the
// differential oracle applies to the pair (rt.js `pair`). Found by name and
// confirmed by running: the partner must accept the result of the same input
// and answer otherwise for the result of another input.
'use strict';
const { isDeepStrictEqual } = require('node:util');
const { makeRng } = require('../prng.js');
const { argValues, isData } = require('./shapes.js');
const { plain } = require('./rt.js');

// [first-call name, partner name]: the first must not also match the partner's.
const PAIRS = [
  [/hash|digest/i, /verify|compare|check|match/i],
  [/^(?!de|un).*(compress|deflate|encode|encrypt|pack|seal|sign)/i, /decompress|uncompress|inflate|decode|decrypt|unpack|open|verify/i],
];
const WAIT_MS = 2000;

function isPartner(f, g) {
  const a = f.path.at(-1) || '';
  const b = g.path.at(-1) || '';
  return a !== b && PAIRS.some(([x, y]) => x.test(a) && !y.test(a) && y.test(b));
}

// fn(...args) (a callback appended when withCb), settled as {value} or {error}.
function callRaw(fn, self, args, withCb) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ error: 'no answer' }), WAIT_MS);
    const done = (r) => {
      clearTimeout(timer);
      resolve(r);
    };
    try {
      const cb = (err, v) => done(err ? { error: String(err) } : { value: v });
      const ret = fn.apply(self, withCb ? [...args, cb] : args);
      if (ret && typeof ret.then === 'function') ret.then((v) => done({ value: v }), (e) => done({ error: String(e) }));
      else if (!withCb) done({ value: ret });
    } catch (e) {
      done({ error: String(e) });
    }
  });
}

// The partner's argument templates: 'R' is the first call's result, 'D' the
// first call's data (the same value), other slots as the first call has them.
function templates(shape) {
  const fixed = shape.args.filter((s) => s !== 'cb');
  const data = shape.args.find(isData);
  return [['R'], ['R', ...fixed], ['D', 'R'], ['R', 'D']].map((t) => t.map((s) => (s === 'D' ? data : s)));
}

// Each slot made as the first call made it (the same rng draws: its data
// slot is the first call's data when the seeds agree), 'R' its result.
function partnerArgs(t, v, rng) {
  return t.map((s) => (s === 'R' ? v : argValues({ args: [s] }, rng, 64)[0]));
}

// What the partner answers for the first call's result on input `seed`,
// checked with the input of `checkSeed`.
async function roundTrip(f, g, shape, t, withCb, seed, checkSeed) {
  const first = await callRaw(f.fn, f.parent, argValues({ args: shape.args.filter((s) => s !== 'cb') }, makeRng(seed), 64), shape.args.includes('cb'));
  if (!('value' in first)) return null;
  const r = await callRaw(g.fn, g.parent, partnerArgs(t, first.value, makeRng(checkSeed)), withCb);
  return 'value' in r ? plain(r.value) : { error: r.error };
}

// The first partner that says yes for the right input and something else
// for another input's result, or null.
async function findInverse(f, shape, candidates) {
  if (shape.args.filter(isData).length !== 1) return null; // one input to copy
  for (const g of candidates.filter((x) => isPartner(f, x)))
    for (const t of templates(shape))
      for (const withCb of [false, true]) {
        const yes = await roundTrip(f, g, shape, t, withCb, 7, 7);
        if (yes === null || yes.error || yes === false || (yes && yes.undefined)) continue;
        const again = await roundTrip(f, g, shape, t, withCb, 7, 7);
        const no = await roundTrip(f, g, shape, t, withCb, 8, 7);
        if (isDeepStrictEqual(yes, again) && !isDeepStrictEqual(yes, no))
          return { id: g.id, path: g.path, args: t, style: withCb ? 'callback' : 'promise', expect: yes };
      }
  return null;
}

module.exports = { findInverse, isPartner };

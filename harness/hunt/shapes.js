// The argument grammar of hunt's discovery: argument lists made of slots,
// tried on every function and method of a package until some make it run
// asynchronously. A slot is a data kind (values.js: the input that varies in
// size), or one of the fixed slots below.
'use strict';
const { make } = require('./values.js');

// 'D' is the data slot (the case's input); the rest are constants.
const TEMPLATES = [
  ['D', 'cb'], ['D'], ['D', 'int', 'cb'], ['D', 'int'], ['D', 'str', 'cb'], ['D', 'D', 'cb'],
  ['D', 'D'], ['D', 'opts', 'cb'], ['D', 'opts'], ['str', 'D', 'cb'], ['int', 'D', 'cb'],
];
// Every data kind in the first two templates; the commonest ones after.
const ALL_DATA = ['buf', 'u8', 'str', 'f64', 'f32', 'i32', 'ab', 'dv'];
const SOME_DATA = ['buf', 'u8', 'str'];
// How a receiver (a class instance) is constructed: the first that works.
const CTOR_SHAPES = [[], ['int'], ['str'], ['buf'], ['opts']];
// Which data kinds are preferred for an entry: Buffers and views first.
const DATA_RANK = ['buf', 'u8', 'f64', 'f32', 'i32', 'ab', 'dv', 'str'];

const FIXED = {
  int: { expr: '4', make: () => 4 },
  str: { expr: "'gcfuzz'", make: () => 'gcfuzz' },
  opts: { expr: '{}', make: () => ({}) },
};

// An options object with one Buffer field, the case's input: 'O:secret' is
// {secret: <Buffer>}. The keys come from the package's .d.ts (hints.js).
const optKey = (slot) => (slot.startsWith('O:') ? slot.slice(2) : null);

// Every shape, in the order they are tried: [{args: ['buf', 'cb'], data: 'buf'}].
function allShapes(optKeys = []) {
  const out = [];
  TEMPLATES.forEach((t, i) => {
    for (const d of i < 2 ? ALL_DATA : SOME_DATA) out.push({ args: t.map((s) => (s === 'D' ? d : s)), data: d });
  });
  for (const k of optKeys.slice(0, 4))
    for (const t of [['str', 'O'], ['str', 'O', 'cb'], ['buf', 'O']]) out.push({ args: t.map((s) => (s === 'O' ? `O:${k}` : s)), data: 'buf' });
  return out;
}

// The argument values of a shape: data slots of `size` from rng, cb as given.
function argValues(shape, rng, size, cb) {
  return shape.args.map((s) => {
    if (s === 'cb') return cb;
    if (FIXED[s]) return FIXED[s].make();
    return optKey(s) ? { [optKey(s)]: make('buf', rng, size) } : make(s, rng, size);
  });
}

const isData = (slot) => slot !== 'cb' && !FIXED[slot];

function describe(args) {
  const { KINDS } = require('./values.js');
  return args.map((s) => (s === 'cb' ? 'callback' : KINDS[s] ? KINDS[s].label : s === 'opts' ? '{}' : optKey(s) ? `{${optKey(s)}: Buffer}` : s)).join(', ');
}

module.exports = { allShapes, argValues, isData, describe, optKey, CTOR_SHAPES, DATA_RANK, FIXED };

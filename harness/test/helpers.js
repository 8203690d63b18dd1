// Shared by the harness library's tests: global.gc in-process.
'use strict';
if (typeof global.gc !== 'function') {
  require('node:v8').setFlagsFromString('--expose-gc');
  global.gc = require('node:vm').runInNewContext('gc');
}
const { parseCase } = require('../case.js');
const { PoolGate } = require('../gate.js');

const turns = async (n) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

// A full case from a few fields.
const mkCase = (fields) => parseCase({ entry: 'f', elems: 4, elem_len: 8, ...fields });

module.exports = { turns, mkCase, PoolGate };

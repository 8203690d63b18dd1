// gcfuzz's harness library. A target module needs nothing from here (it is
// a plain object, README "Writing a target"); these are for tests and tools.
'use strict';
module.exports = {
  ...require('./case.js'),
  ...require('./driver.js'),
  ...require('./gate.js'),
  ...require('./prng.js'),
  ...require('./target.js'),
  main: require('./run.js').main,
};

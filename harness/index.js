// gcfuzz's harness library. A target module needs nothing from here (it is
// a plain object, doc/target.md "The target contract"); these are for tests and tools.
'use strict';
module.exports = {
  ...require('./case.js'),
  ...require('./driver.js'),
  ...require('./gate.js'),
  ...require('./prng.js'),
  ...require('./target.js'),
  main: require('./run.js').main,
};

// Loads and checks a target module (doc/target.md "The target contract"): errors name
// the file and the field, before any case runs.
'use strict';
const path = require('node:path');

class TargetError extends Error {}

const ENTRY_RE = /^[a-z0-9_]{1,31}$/;
const HOOKS = ['setup', 'teardown', 'beforeCase', 'afterCase'];
const ENTRY_FNS = { input: true, call: true, oracle: false, equal: false };

function checkTarget(t, file) {
  const fail = (field, why) => {
    throw new TargetError(`target ${file}: ${field}: ${why}`);
  };
  if (t === null || typeof t !== 'object') fail('module.exports', 'must be an object');
  for (const h of HOOKS) if (h in t && typeof t[h] !== 'function') fail(h, 'must be a function');
  if (t.entries === null || typeof t.entries !== 'object') fail('entries', 'must be an object of entries');
  const names = Object.keys(t.entries);
  if (names.length === 0) fail('entries', 'must have at least one entry');
  for (const name of names) {
    const e = t.entries[name];
    if (!ENTRY_RE.test(name)) fail(`entries.${name}`, 'names are 1-31 characters of [a-z0-9_]');
    if (e === null || typeof e !== 'object') fail(`entries.${name}`, 'must be an object');
    for (const [fn, required] of Object.entries(ENTRY_FNS)) {
      if (!(fn in e)) {
        if (required) fail(`entries.${name}.${fn}`, 'is required (a function)');
      } else if (typeof e[fn] !== 'function') fail(`entries.${name}.${fn}`, 'must be a function');
    }
    for (const flag of ['bug', 'distinct'])
      if (flag in e && typeof e[flag] !== 'boolean') fail(`entries.${name}.${flag}`, 'must be true or false');
  }
  return t;
}

function loadTarget(file) {
  const abs = path.resolve(file);
  let mod;
  try {
    mod = require(abs);
  } catch (e) {
    throw new TargetError(`target ${file}: cannot load: ${e && e.message}`);
  }
  return checkTarget(mod, file);
}

module.exports = { loadTarget, checkTarget, TargetError };

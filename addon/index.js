// Loads one build of the addon: 'release' (default), 'asan', 'exp' or
// 'exp_asan' (NAPI_EXPERIMENTAL flavours); a path to a
// .node file also works (another build of the same API).
'use strict';
const path = require('node:path');

const BUILDS = {
  release: 'gcfuzz_addon.node',
  asan: 'gcfuzz_addon_asan.node',
  exp: 'gcfuzz_addon_exp.node', // NAPI_EXPERIMENTAL: finalizers inside the GC
  exp_asan: 'gcfuzz_addon_exp_asan.node',
};

function load(build = process.env.GCFUZZ_BUILD || 'release') {
  const file = BUILDS[build];
  if (file) return require(path.join(__dirname, 'build', 'Release', file));
  if (build.endsWith('.node')) return require(path.resolve(build));
  throw new Error(`unknown addon build '${build}' (expected ${Object.keys(BUILDS).join(', ')} or a .node path)`);
}

module.exports = { load, BUILDS };

#!/usr/bin/env node
// Runs the node-gyp bundled with this machine's npm, offline: --nodedir is the
// prefix of the running node, whose headers are in <prefix>/include/node, so
// node-gyp never downloads a header tarball.
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');

// The one finder of npm's node-gyp is in the script gcfuzz init writes
// (it runs with nothing of gcfuzz, so it holds it).
const { findNodeGyp } = require('../harness/init/build-asan.js');

const { gyp, candidates, prefix, headers } = findNodeGyp();
if (!gyp) {
  console.error(`node-gyp not found (looked in: ${candidates.join(', ')}); install npm`);
  process.exit(2);
}
if (!headers) {
  console.error(`node headers missing: ${prefix}/include/node/node_api.h`);
  process.exit(2);
}
const args = [gyp, ...process.argv.slice(2), `--nodedir=${prefix}`];
const r = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  cwd: path.join(__dirname, '..', 'addon'),
});
process.exit(r.status === null ? 1 : r.status);

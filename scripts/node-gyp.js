#!/usr/bin/env node
// Runs the node-gyp bundled with this machine's npm, offline: --nodedir is the
// prefix of the running node, whose headers are in <prefix>/include/node, so
// node-gyp never downloads a header tarball.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const prefix = path.resolve(path.dirname(fs.realpathSync(process.execPath)), '..');
const candidates = [
  process.env.npm_config_node_gyp,
  path.join(prefix, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  path.join(prefix, 'lib/node_modules/node-gyp/bin/node-gyp.js'),
].filter(Boolean);
const gyp = candidates.find((p) => fs.existsSync(p));
if (!gyp) {
  console.error(`node-gyp not found (looked in: ${candidates.join(', ')}); install npm`);
  process.exit(2);
}
if (!fs.existsSync(path.join(prefix, 'include/node/node_api.h'))) {
  console.error(`node headers missing: ${prefix}/include/node/node_api.h`);
  process.exit(2);
}
const args = [gyp, ...process.argv.slice(2), `--nodedir=${prefix}`];
const r = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  cwd: path.join(__dirname, '..', 'addon'),
});
process.exit(r.status === null ? 1 : r.status);

#!/usr/bin/env node
// Written by `gcfuzz init`: builds this addon with AddressSanitizer into
// the folder beside this file, asan/ - a copy of the package whose
// node_modules is a link to the package's - so the release build in build/
// and the ASan one coexist, and gcfuzz's config names the copy as its
// build. Run it again after changing the native sources:
//   node gcfuzz/build-asan.js
// It needs what `npm install` of the addon needs (a C/C++ compiler, python3,
// make) and gcc's libasan; nothing of gcfuzz. node-gyp is npm's own, and the
// running node's headers are used when it has them (no download).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const FLAGS = '-fsanitize=address -fno-omit-frame-pointer -g -O1';

// node-pre-gyp packages name their module in package.json's `binary`, and
// their binding.gyp reads it from the command line (module_name,
// module_path, napi_build_version). gcfuzz hunt builds with the same.
function preGypArgs(binary, dir) {
  if (!binary || typeof binary.module_name !== 'string' || typeof binary.module_path !== 'string') return [];
  const napi = Array.isArray(binary.napi_versions) && binary.napi_versions.length ? Math.max(...binary.napi_versions.map(Number)) : '';
  const sub = (s) => s.replace(/\{napi_build_version\}/g, napi).replace(/\{configuration\}/g, 'Release')
    .replace(/\{node_abi\}/g, `node-v${process.versions.modules}`).replace(/\{platform\}/g, process.platform)
    .replace(/\{arch\}/g, process.arch).replace(/\{libc\}/g, 'glibc');
  return [`--module_name=${binary.module_name}`, `--module_path=${path.resolve(dir, sub(binary.module_path))}`, ...(napi ? [`--napi_build_version=${napi}`] : [])];
}

// npm's own node-gyp, and the running node's prefix: its headers are in
// prefix/include/node when it has them (then node-gyp downloads nothing).
// gcfuzz's scripts/node-gyp.js finds it the same way.
function findNodeGyp() {
  const prefix = path.resolve(path.dirname(fs.realpathSync(process.execPath)), '..');
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(prefix, 'lib', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  return {
    gyp: candidates.find((p) => fs.existsSync(p)) || null,
    candidates,
    prefix,
    headers: fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')),
  };
}

function main() {
  const here = __dirname;
  const pkg = path.dirname(here);
  const out = path.join(here, 'asan');

  // Top-level entries of the package not copied: what is built or installed,
  // and this folder (the copy lives in it).
  const skip = new Set(['node_modules', 'build', '.git', path.basename(here)]);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const name of fs.readdirSync(pkg))
    if (!skip.has(name)) fs.cpSync(path.join(pkg, name), path.join(out, name), { recursive: true });
  if (fs.existsSync(path.join(pkg, 'node_modules'))) fs.symlinkSync(path.join(pkg, 'node_modules'), path.join(out, 'node_modules'), 'dir');

  const { gyp, prefix, headers } = findNodeGyp();
  if (!gyp) {
    process.stderr.write('build-asan: node-gyp not found (npm bundles it: install npm, or set npm_config_node_gyp)\n');
    process.exit(2);
  }
  let binary = null;
  try {
    binary = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).binary;
  } catch {
    // no package.json to read: plain node-gyp
  }
  const env = { ...process.env, CFLAGS: FLAGS, CXXFLAGS: FLAGS, LDFLAGS: '-fsanitize=address' };
  const nodedir = headers ? [`--nodedir=${prefix}`] : [];
  const r = spawnSync(process.execPath, [gyp, 'rebuild', ...nodedir, ...preGypArgs(binary, out)], { cwd: out, env, stdio: 'inherit' });
  if (r.status === 0) process.stdout.write(`build-asan: built ${path.relative(process.cwd(), out) || '.'}\n`);
  process.exit(r.status === null ? 1 : r.status);
}

if (require.main === module) main();
module.exports = { preGypArgs, findNodeGyp, FLAGS };

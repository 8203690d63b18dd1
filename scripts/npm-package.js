#!/usr/bin/env node
// make npm: turns the installed tree under DIR (make install PREFIX=/
// DESTDIR=DIR) into an npm package: its package.json, the README npm shows,
// cJSON's licence beside the library it ships. bin/gcfuzz is the runner
// itself (an ELF file, linked by npm into node_modules/.bin): it finds its
// data in ../share/gcfuzz as an installed runner does, so the package is
// the install layout and nothing else (doc/install.md).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const dir = process.argv[2];
if (!dir || !fs.existsSync(path.join(dir, 'bin', 'gcfuzz'))) {
  process.stderr.write('usage: npm-package.js DIR (a make install tree with bin/gcfuzz)\n');
  process.exit(2);
}
const header = fs.readFileSync(path.join(ROOT, 'runner', 'gf_version.h'), 'utf8');
const version = header.match(/#define GF_VERSION "([^"]+)"/)[1];
const harness = './share/gcfuzz/harness/index.js';

const pkg = {
  name: 'gcfuzz',
  version,
  description: 'Stress-testing fuzzer for GC use-after-free bugs in Node.js native addons',
  license: 'MIT',
  keywords: ['fuzzing', 'native-addon', 'napi', 'node-addon-api', 'use-after-free', 'garbage-collector'],
  // The runner is built for this platform: npm refuses the package elsewhere
  // (EBADPLATFORM) rather than installing a binary that cannot start.
  os: ['linux'],
  cpu: ['x64'],
  engines: { node: '>=18' },
  bin: { gcfuzz: 'bin/gcfuzz' },
  main: harness,
  // hunt/rt: the runtime the targets of gcfuzz init and hunt require
  exports: { '.': harness, './harness': harness, './hunt/rt': './share/gcfuzz/harness/hunt/rt.js', './package.json': './package.json' },
  files: ['bin/', 'lib/', 'share/', 'doc/'],
};

// A unit naming /bin/gcfuzz means nothing in a node_modules tree: the
// service is make install's (doc/install.md).
fs.rmSync(path.join(dir, 'lib', 'systemd'), { recursive: true, force: true });
fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
// The README npm shows links doc/*.md: the pages go beside it, as in the tree.
fs.copyFileSync(path.join(ROOT, 'README.md'), path.join(dir, 'README.md'));
fs.cpSync(path.join(ROOT, 'doc'), path.join(dir, 'doc'), { recursive: true });
const cjsonCopyright = '/usr/share/doc/libcjson1/copyright';
if (fs.existsSync(cjsonCopyright))
  fs.copyFileSync(cjsonCopyright, path.join(dir, 'lib', 'gcfuzz', 'libcjson.copyright'));

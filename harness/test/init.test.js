'use strict';
// gcfuzz init's ASan build script (harness/init/build-asan.js) is the one
// definition of the ASan flags and of node-pre-gyp's arguments: hunt's
// builds use it too, and the script a user commits runs with node alone.
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { preGypArgs, FLAGS } = require('../init/build-asan.js');

test('node-pre-gyp packages get module_name, module_path and the highest napi version; others nothing', () => {
  const binary = { module_name: 'x', module_path: './lib/binding/{node_abi}-{platform}-{arch}-{libc}/{configuration}', napi_versions: [3, 6] };
  assert.deepStrictEqual(preGypArgs(binary, '/p'), [
    '--module_name=x',
    `--module_path=${path.join('/p', 'lib', 'binding', `node-v${process.versions.modules}-${process.platform}-${process.arch}-glibc`, 'Release')}`,
    '--napi_build_version=6',
  ]);
  assert.deepStrictEqual(preGypArgs(null, '/p'), []);
  assert.deepStrictEqual(preGypArgs({ module_name: 3 }, '/p'), []);
  assert.match(FLAGS, /-fsanitize=address/);
});

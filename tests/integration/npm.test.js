'use strict';
// The npm package (make npm, doc/install.md) as a user gets it: in a fresh
// folder with no gcfuzz tree, `npm i -D` the packed tarball, then `npx
// gcfuzz` fuzzes the user's own addon (the tests' Buffer addon, built there)
// with the control from the installation. Nothing on the command lines or in
// the config points into this checkout, and build/ is not on PATH.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT, tmpdir, readJson, records } = require('./helpers.js');

const VERSION = fs.readFileSync(path.join(ROOT, 'runner', 'gf_version.h'), 'utf8').match(/GF_VERSION "([^"]+)"/)[1];
const TARBALL = path.join(ROOT, 'build', 'npm', `gcfuzz-${VERSION}.tgz`);
const BUF = path.join(ROOT, 'tests', 'fixtures', 'bufaddon');
// PATH as a user's: node and npm, no build tree of gcfuzz.
const ENV = { ...process.env, PATH: process.env.PATH.split(':').filter((p) => !p.startsWith(ROOT)).join(':') };

function run(cmd, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

// The user's addon, in the user's folder: the Buffer addon's sources, built
// offline (node-gyp needs no download here: scripts/node-gyp.js).
function userAddon(dir) {
  for (const f of ['bufsum.c', 'binding.gyp', 'target.js']) fs.copyFileSync(path.join(BUF, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bufsum', version: '1.0.0', private: true }));
  const gyp = path.join(ROOT, 'scripts', 'node-gyp.js');
  const r = spawnSync(process.execPath, [gyp, 'rebuild', '--silent', `--directory=${dir}`], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
}

test('npm i -D the tarball in a fresh folder, then npx gcfuzz ci: control from the package detected, the addon\'s bug found', { timeout: 180000 }, async (t) => {
  assert.ok(fs.existsSync(TARBALL), `${TARBALL} missing: make npm builds it (make test does)`);
  const dir = tmpdir('npm');
  userAddon(dir);
  const t0 = process.hrtime.bigint();
  const inst = await run('npm', ['install', '--save-dev', '--offline', '--no-audit', '--no-fund', TARBALL], dir);
  assert.strictEqual(inst.code, 0, inst.out);
  t.diagnostic(`npm install: ${Number(process.hrtime.bigint() - t0) / 1e6} ms`);
  const bin = fs.realpathSync(path.join(dir, 'node_modules', '.bin', 'gcfuzz'));
  assert.ok(bin.startsWith(fs.realpathSync(path.join(dir, 'node_modules', 'gcfuzz'))), bin);
  // The harness library is requirable for helpers.
  const lib = await run(process.execPath, ['-e', 'process.stdout.write(typeof require("gcfuzz/harness").main)'], dir);
  assert.strictEqual(lib.out, 'function');
  fs.writeFileSync(path.join(dir, 'gcfuzz.json'), JSON.stringify({
    target: 'target.js', build: 'asan', entries: ['sum_bytes', 'sum_bytes_borrowed'], entry: 'sum_bytes',
    target_frames: ['bufsum'], confirm_runs: 2, limits: { max_elems: 64, max_elem_len: 8192 }, control: 'builtin',
  }));
  const r = await run('npx', ['--no', 'gcfuzz', 'ci', '--config', 'gcfuzz.json', '--out', 'out',
    '--entry', 'sum_bytes_borrowed', '--max-time', '8', '--seed', '1', '--workers', '2'], dir);
  assert.strictEqual(r.code, 1, r.out);
  const summary = readJson(path.join(dir, 'out', 'summary.json'));
  assert.strictEqual(summary.control.detected, true, r.out);
  const uaf = records(path.join(dir, 'out')).find((x) => x.kind === 'asan');
  assert.ok(uaf, r.out);
  assert.match(uaf.signature, /job_execute/);
  assert.doesNotMatch(fs.readFileSync(path.join(dir, 'gcfuzz.json'), 'utf8') + r.out, new RegExp(ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

'use strict';
// The npm package (make npm) and gcfuzz init as a user meets them: in a
// fresh folder with no gcfuzz tree, `npm i -D` the packed tarball, `npx
// gcfuzz init` writes the target, config, ASan build and workflow, and
// `npx gcfuzz ci` fuzzes the user's own addon (the tests' Buffer addon)
// with the control from the installation. Nothing on the command lines or
// in the files written points into this checkout; build/ is not on PATH.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const YAML = require('yaml');
const { ROOT, tmpdir, readJson, records } = require('./helpers.js');

const VERSION = fs.readFileSync(path.join(ROOT, 'runner', 'gf_version.h'), 'utf8').match(/GF_VERSION "([^"]+)"/)[1];
const TARBALL = path.join(ROOT, 'build', 'npm', `gcfuzz-${VERSION}.tgz`);
const FIX = path.join(ROOT, 'tests', 'fixtures');
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

// The user's addon, in the user's folder: the Buffer addon behind a JS
// wrapper (the hunt's fixture package), not built yet.
function userAddon(dir) {
  fs.cpSync(path.join(FIX, 'huntpkg'), dir, { recursive: true });
  fs.copyFileSync(path.join(FIX, 'bufaddon', 'bufsum.c'), path.join(dir, 'bufsum.c'));
}

const INIT_FILES = ['gcfuzz/target.js', 'gcfuzz/config.json', 'gcfuzz/build-asan.js', 'gcfuzz/.gitignore', '.github/workflows/gcfuzz.yml'];

test('npm i -D the tarball, npx gcfuzz init, npx gcfuzz ci in a fresh folder: the control detected, the addon\'s bug found', { timeout: 180000 }, async (t) => {
  assert.ok(fs.existsSync(TARBALL), `${TARBALL} missing: make npm builds it (make test does)`);
  const dir = tmpdir('npm');
  userAddon(dir);
  const t0 = process.hrtime.bigint();
  const inst = await run('npm', ['install', '--save-dev', '--offline', '--no-audit', '--no-fund', TARBALL], dir);
  assert.strictEqual(inst.code, 0, inst.out);
  t.diagnostic(`npm install: ${Number(process.hrtime.bigint() - t0) / 1e6} ms`);
  // The README npm shows: every page it links is in the package beside it.
  const pkgDir = path.join(dir, 'node_modules', 'gcfuzz');
  for (const m of fs.readFileSync(path.join(pkgDir, 'README.md'), 'utf8').matchAll(/\]\((doc\/[^)#]+)/g))
    assert.ok(fs.existsSync(path.join(pkgDir, m[1])), `the package's README links ${m[1]}`);
  const bin = fs.realpathSync(path.join(dir, 'node_modules', '.bin', 'gcfuzz'));
  assert.ok(bin.startsWith(fs.realpathSync(path.join(dir, 'node_modules', 'gcfuzz'))), bin);
  // The harness library is requirable for helpers.
  const lib = await run(process.execPath, ['-e', 'process.stdout.write(typeof require("gcfuzz/harness").main)'], dir);
  assert.strictEqual(lib.out, 'function');

  const init = await run('npx', ['--no', 'gcfuzz', 'init'], dir);
  assert.strictEqual(init.code, 0, init.out);
  for (const f of INIT_FILES) assert.match(init.out, new RegExp(`wrote .*${f.replace(/\./g, '\\.')}`), init.out);
  assert.ok(fs.existsSync(path.join(dir, 'build', 'Release', 'bufsum.node')), 'the release build, made when missing');
  assert.ok(fs.existsSync(path.join(dir, 'gcfuzz', 'asan', 'build', 'Release', 'bufsum.node')), 'the ASan flavour beside it');
  const cfg = readJson(path.join(dir, 'gcfuzz', 'config.json'));
  assert.strictEqual(cfg.control, 'builtin');
  assert.strictEqual(cfg.sanitizer, 'address');
  const wf = YAML.parse(fs.readFileSync(path.join(dir, '.github', 'workflows', 'gcfuzz.yml'), 'utf8'));
  assert.ok(wf.jobs.fuzz.steps.every((s) => !/apt-get|clang|git clone/.test(s.run || '') && !(s.with && s.with.repository)), 'no gcfuzz checkout, no toolchain');
  const root = new RegExp(ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  for (const f of INIT_FILES) assert.doesNotMatch(fs.readFileSync(path.join(dir, f), 'utf8'), root, f);

  // Never overwritten: a second init keeps the user's edits.
  fs.appendFileSync(path.join(dir, 'gcfuzz', 'target.js'), '// mine\n');
  const again = await run('npx', ['--no', 'gcfuzz', 'init'], dir);
  assert.strictEqual(again.code, 0, again.out);
  assert.match(fs.readFileSync(path.join(dir, 'gcfuzz', 'target.js'), 'utf8'), /\/\/ mine\n$/);
  assert.doesNotMatch(again.out, /^wrote /m, again.out);

  // --pr stops at the first new bucket: the test waits on the finding, not
  // on a night's length (5 s of ci left the target phase 2 s under load).
  const r = await run('npx', ['--no', 'gcfuzz', 'ci', '--pr', '--config', 'gcfuzz/config.json', '--out', 'gcfuzz/out',
    '--max-time', '60', '--seed', '1', '--workers', '2'], dir);
  assert.strictEqual(r.code, 1, r.out);
  const summary = readJson(path.join(dir, 'gcfuzz', 'out', 'summary.json'));
  assert.strictEqual(summary.control.detected, true, r.out);
  const uaf = records(path.join(dir, 'gcfuzz', 'out')).find((x) => x.kind === 'asan' && x.bug_type === 'heap-use-after-free');
  assert.ok(uaf, r.out);
  assert.doesNotMatch(r.out, root);
});

test('gcfuzz init outside a package: exit 2, the file named; nothing written', async () => {
  const dir = tmpdir('init-empty');
  const r = await run(path.join(ROOT, 'build', 'gcfuzz'), ['init', dir], ROOT);
  assert.strictEqual(r.code, 2, r.out);
  assert.match(r.out, new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/package\\.json: not found`));
  assert.deepStrictEqual(fs.readdirSync(dir), []);
  const two = await run(path.join(ROOT, 'build', 'gcfuzz'), ['init', dir, dir], ROOT);
  assert.strictEqual(two.code, 2, two.out);
});

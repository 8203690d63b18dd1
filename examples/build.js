#!/usr/bin/env node
// Fetches an example's npm package and builds it offline, release and ASan:
//   node examples/build.js NAME      (examples/NAME/example.json says what)
// The tarball comes from the npm registry (`npm pack`); the package's own
// dependencies (nan, node-addon-api, ...) from `npm install --ignore-scripts`;
// the addon is compiled by node-gyp against the running node's headers
// (scripts/node-gyp.js: --nodedir, never a download). Prebuilt binaries in
// the tarball are deleted, so the package can only load what we built.
// Result: .cache/examples/NAME/{release,asan}/ (the unpacked package, built).
// An example may list `mutants`: the package with its GC fix taken out
// (`remove`: one exact line of `file`), built as ASan into
// .cache/examples/NAME/mutant-<name>/ - proof that the example's target
// would find the bug class in this very code if the fix were missing.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');
const ASAN_FLAGS = '-fsanitize=address -fno-omit-frame-pointer -g -O1';

// Runs cmd (argv, no shell); its stderr (compiler warnings of the package)
// goes to `log` when given, and its tail into the error when it fails.
function run(cmd, args, opts = {}, log = null) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (log) fs.appendFileSync(log, r.stderr || '');
  if (r.status !== 0) {
    const tail = (r.stderr || '').split('\n').slice(-15).join('\n');
    throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}${r.error ? ` (${r.error.message})` : ''}\n${tail}`);
  }
  return r.stdout;
}

function cacheDir(name) {
  return path.join(ROOT, '.cache', 'examples', name);
}

function readExample(name) {
  const file = path.join(__dirname, name, 'example.json');
  const ex = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const k of ['package', 'version'])
    if (typeof ex[k] !== 'string' || !/^[@a-z0-9._/-]+$/.test(ex[k])) throw new Error(`${file}: ${k}: must be an npm name/version`);
  for (const [i, m] of (ex.mutants || []).entries())
    for (const k of ['name', 'file', 'remove'])
      if (typeof m[k] !== 'string' || !m[k] || (k === 'name' && !/^[a-z0-9_-]+$/.test(m[k])))
        throw new Error(`${file}: mutants[${i}].${k}: must be a non-empty string`);
  return ex;
}

function fetchTarball(ex, cache) {
  fs.mkdirSync(cache, { recursive: true });
  const want = `${ex.package}@${ex.version}`;
  const out = run('npm', ['pack', want, '--silent', '--pack-destination', cache], { cwd: cache });
  const tgz = path.join(cache, out.trim().split('\n').pop());
  if (!fs.existsSync(tgz)) throw new Error(`npm pack ${want}: no tarball`);
  return tgz;
}

// Takes the fix out: the line must be there exactly once, or we stop.
function applyMutant(dir, m) {
  const file = path.join(dir, m.file);
  const text = fs.readFileSync(file, 'utf8');
  if (text.split(m.remove).length !== 2) throw new Error(`mutant ${m.name}: '${m.remove}' is not in ${m.file} exactly once`);
  fs.writeFileSync(file, text.replace(m.remove, `/* gcfuzz mutant ${m.name}: removed */;`));
}

function buildOne(ex, tgz, dir, flavour, mutant = null) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  run('tar', ['xzf', tgz, '-C', dir, '--strip-components=1']);
  fs.rmSync(path.join(dir, 'prebuilds'), { recursive: true, force: true });
  if (mutant) applyMutant(dir, mutant);
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: dir });
  const env = { ...process.env };
  if (flavour === 'asan') Object.assign(env, { CFLAGS: ASAN_FLAGS, CXXFLAGS: ASAN_FLAGS, LDFLAGS: '-fsanitize=address' });
  const log = `${dir}.log`;
  fs.rmSync(log, { force: true });
  run(process.execPath, [path.join(ROOT, 'scripts', 'node-gyp.js'), 'rebuild', '--silent', `--directory=${dir}`, ...(ex.gyp_args || [])], { env }, log);
}

function build(name) {
  const ex = readExample(name);
  const cache = cacheDir(name);
  const stamp = path.join(cache, 'built.json');
  const id = `${ex.package}@${ex.version} node ${process.version} ${JSON.stringify(ex.mutants || [])}`;
  if (fs.existsSync(stamp) && JSON.parse(fs.readFileSync(stamp, 'utf8')).id === id) return ex;
  const tgz = fetchTarball(ex, cache);
  for (const flavour of ['release', 'asan']) {
    process.stderr.write(`examples: building ${ex.package}@${ex.version} (${flavour})\n`);
    buildOne(ex, tgz, path.join(cache, flavour), flavour);
  }
  for (const m of ex.mutants || []) {
    process.stderr.write(`examples: building ${ex.package}@${ex.version} (mutant ${m.name}, asan)\n`);
    buildOne(ex, tgz, path.join(cache, `mutant-${m.name}`), 'asan', m);
  }
  fs.writeFileSync(stamp, JSON.stringify({ id }));
  return ex;
}

if (require.main === module) {
  try {
    for (const name of process.argv.slice(2)) build(name);
  } catch (e) {
    process.stderr.write(`examples: ${e.message}\n`);
    process.exit(1);
  }
}

module.exports = { build, cacheDir, readExample, applyMutant, fetchTarball };

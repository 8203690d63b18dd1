#!/usr/bin/env node
// gcfuzz init [DIR]: a start for fuzzing the addon in DIR (default .), in
// its own repository, with hunt's discovery instead of a target written by
// hand. It writes, and never overwrites:
//   gcfuzz/target.js      a target for the async calls discovery found
//   gcfuzz/config.json    limits chosen for them, the ASan build, the builtin control
//   gcfuzz/build-asan.js  the ASan build of the addon into gcfuzz/asan/ (run by init)
//   gcfuzz/.gitignore     asan/ and out/ are built, not sources
//   .github/workflows/gcfuzz.yml  nightly + pull-request jobs on the npm package
// The release build is the package's own (build/Release, as npm install
// made it); init runs node-gyp there only when the package has none.
// Exit: 0 done (files written or kept), 1 nothing to fuzz found, 2 usage
// or a package it cannot read or build.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { discover, nativeFiles } = require('./hunt/discover.js');
const { bindingStyle, framePatterns, optionKeys } = require('./hunt/hints.js');
const gen = require('./hunt/gen.js');
const { cleanText } = require('./hunt/text.js');

const ROOT = path.join(__dirname, '..');
const TEMPLATES = path.join(__dirname, 'init');

class InitError extends Error {}

function readPackage(dir) {
  const file = path.join(dir, 'package.json');
  let meta;
  try {
    meta = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InitError(`${file}: ${e.code === 'ENOENT' ? 'not found (init runs in an addon\'s package directory)' : e.message}`);
  }
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) throw new InitError(`${file}: not a JSON object`);
  return meta;
}

// node-gyp offline against the running node, in dir; env adds flags.
function nodeGyp(dir, env = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'node-gyp.js'), 'rebuild', '--silent', `--directory=${dir}`],
    { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new InitError(`node-gyp rebuild in ${dir} failed:\n${cleanText(`${r.stdout}${r.stderr}`).split('\n').slice(-8).join('\n')}`);
}

// How the target requires rt.js: by package name when DIR resolves gcfuzz
// to this installation (npm i -D gcfuzz), so the file holds no path of the
// machine; else this installation's absolute path.
function rtRequire(dir) {
  const own = path.join(__dirname, 'hunt', 'rt.js');
  try {
    if (fs.realpathSync(require.resolve('gcfuzz/hunt/rt', { paths: [dir] })) === fs.realpathSync(own)) return 'gcfuzz/hunt/rt';
  } catch {
    // not installed as a package here
  }
  return own;
}

// Writes file unless it exists; says which.
function place(file, text, mode = 0o644) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, { flag: 'wx', mode });
    return `wrote ${file}`;
  } catch (e) {
    if (e.code === 'EEXIST') return `kept  ${file} (it exists: not overwritten)`;
    throw new InitError(`${file}: ${e.message}`);
  }
}

async function init(dir, say) {
  const meta = readPackage(dir);
  const gyp = fs.existsSync(path.join(dir, 'binding.gyp'));
  const work = path.join(dir, 'gcfuzz');
  // before the ASan copy exists: its sources would count as the package's
  const frames = framePatterns(dir, nativeFiles(dir));
  if (gyp && nativeFiles(dir).length === 0) {
    say('building the release flavour (node-gyp, offline) ...');
    nodeGyp(dir);
  }
  const lines = [place(path.join(work, 'build-asan.js'), fs.readFileSync(path.join(TEMPLATES, 'build-asan.js'), 'utf8'), 0o755)];
  lines.push(place(path.join(work, '.gitignore'), 'asan/\nout/\n'));
  let asan = false;
  if (gyp) {
    say('building the ASan flavour: node gcfuzz/build-asan.js ...');
    const r = spawnSync(process.execPath, [path.join(work, 'build-asan.js')], { encoding: 'utf8' });
    if (r.status !== 0) throw new InitError(`gcfuzz/build-asan.js failed:\n${cleanText(`${r.stdout}${r.stderr}`).split('\n').slice(-8).join('\n')}`);
    asan = true;
  }
  say('discovering the async calls ...');
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'gcfuzz-init-'));
  let d;
  try {
    d = await discover(dir, probe, optionKeys(dir));
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
  if (d.entries.length === 0) {
    const why = d.load_errors.length ? `cannot load it: ${d.load_errors[0]}` : 'no asynchronous call found';
    return { code: 1, lines: [...lines, `nothing to fuzz in ${dir}: ${cleanText(why, 300)}`] };
  }
  const spec = `${meta.name || path.basename(dir)}@${meta.version || '0.0.0'}`;
  const target = gen.targetSource(d, { spec, tool: 'init', rt: rtRequire(dir) });
  const binding = bindingStyle(dir, meta, nativeFiles(dir));
  const builds = { release: '..', asan: asan ? './asan' : null, prebuilt: !gyp, frames, binding };
  // Paths relative to the config file (gcfuzz/): the package (its release
  // build) is "..", the ASan copy "./asan"; the control is the installation's.
  const config = { ...gen.configFor(d, builds), control: 'builtin' };
  lines.push(place(path.join(work, 'target.js'), target));
  lines.push(place(path.join(work, 'config.json'), `${JSON.stringify(config, null, 2)}\n`));
  lines.push(place(path.join(dir, '.github', 'workflows', 'gcfuzz.yml'), fs.readFileSync(path.join(ROOT, 'dist', 'github', 'gcfuzz.yml'), 'utf8')));
  lines.push(`found ${d.entries.length} entr${d.entries.length === 1 ? 'y' : 'ies'}: ${d.entries.map((e) => `${e.name} (${e.signature || e.id})`).join(', ')}`);
  lines.push('next: npx gcfuzz ci --config gcfuzz/config.json --out gcfuzz/out');
  return { code: 0, lines };
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.length > 1) {
    process.stdout.write('usage: node init.js [DIR]\n');
    process.exit(args.includes('--help') ? 0 : 2);
  }
  const dir = path.resolve(args[0] || '.');
  const say = (l) => process.stderr.write(`gcfuzz init: ${l}\n`);
  try {
    const r = await init(dir, say);
    for (const l of r.lines) process.stdout.write(`${cleanText(l, 2000)}\n`);
    process.exit(r.code);
  } catch (e) {
    if (!(e instanceof InitError)) throw e;
    say(e.message);
    process.exit(2);
  }
}

if (require.main === module) main();
module.exports = { init, InitError };

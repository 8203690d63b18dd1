// hunt's fetch and build phases: a SPEC (name@version from the npm registry,
// a tarball, or a package directory) unpacked with its dependencies, then
// built release and ASan with node-gyp offline against the running node
// (scripts/node-gyp.js: --nodedir, never a download), as examples/build.js
// does for the examples. Prebuilt binaries shipped in the tarball are
// deleted, so the package can only load what we built; a package with no
// binding.gyp (napi-rs and other prebuilt-only packages) is hunted on its
// prebuilt binary, release only. Builds are cached by package, version,
// source, node and flags. Every child is spawned with an argv (no shell).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');
// The script gcfuzz init writes is the one definition of the flags and of
// node-pre-gyp's arguments (it must run with nothing of gcfuzz).
const { preGypArgs, FLAGS: ASAN_FLAGS } = require('../init/build-asan.js');
const BUILD_TIMEOUT_MS = 600000;
const INSTALL_TIMEOUT_MS = 300000;

class PhaseError extends Error {}

// cmd argv; its output goes to `log`; a failure says the first error lines.
function run(cmd, args, opts = {}, log = null) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  if (log) fs.appendFileSync(log, `$ ${cmd} ${args.join(' ')}\n${out}\n`);
  if (r.status !== 0) {
    const lines = out.split('\n').filter((l) => l.trim());
    const errs = lines.filter((l) => /\berror\b|ERR!/i.test(l)).slice(0, 8);
    const why = r.error ? (r.error.code === 'ETIMEDOUT' ? `timed out after ${opts.timeout / 1000} s` : r.error.message) : `exit ${r.status}`;
    throw new PhaseError(`${path.basename(cmd)} ${args[0]}: ${why}\n${(errs.length ? errs : lines.slice(-8)).join('\n')}`);
  }
  return r.stdout || '';
}

const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));

// Unpacks SPEC into work/src; returns what the package says of itself.
function fetchPackage(spec, work) {
  const src = path.join(work, 'src');
  fs.rmSync(src, { recursive: true, force: true });
  fs.mkdirSync(src, { recursive: true });
  let source;
  if (fs.existsSync(spec) && fs.statSync(spec).isDirectory()) {
    const skip = new Set(['node_modules', 'build', '.git', 'prebuilds']);
    fs.cpSync(spec, src, { recursive: true, filter: (f) => !skip.has(path.basename(f)) || path.resolve(f) === path.resolve(spec) });
    source = { kind: 'directory', path: path.resolve(spec), id: dirStamp(spec) };
  } else {
    let tgz = spec;
    if (!fs.existsSync(spec)) {
      const out = run('npm', ['pack', spec, '--silent', '--pack-destination', work], { cwd: work, timeout: INSTALL_TIMEOUT_MS });
      tgz = path.join(work, out.trim().split('\n').pop());
    }
    run('tar', ['xzf', tgz, '-C', src, '--strip-components=1', '--no-same-owner']);
    source = { kind: fs.existsSync(spec) ? 'tarball' : 'registry', path: fs.existsSync(spec) ? path.resolve(spec) : spec, id: sha1(fs.readFileSync(tgz)) };
  }
  const pj = path.join(src, 'package.json');
  if (!fs.existsSync(pj)) throw new PhaseError(`${spec}: no package.json`);
  const meta = readJson(pj);
  fs.rmSync(path.join(src, 'prebuilds'), { recursive: true, force: true });
  // devDependencies are not installed, but npm still resolves git-hosted
  // ones (a GitHub fetch even with --omit=dev): the package loses them.
  if (meta.devDependencies) {
    delete meta.devDependencies;
    fs.writeFileSync(pj, `${JSON.stringify(meta, null, 2)}\n`);
  }
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: src, timeout: INSTALL_TIMEOUT_MS }, path.join(work, 'install.log'));
  return { name: String(meta.name || path.basename(spec)), version: String(meta.version || '0.0.0'), source, gyp: fs.existsSync(path.join(src, 'binding.gyp')), binary: meta.binary || null };
}

const sha1 = (b) => crypto.createHash('sha1').update(b).digest('hex');

// A directory's state, for the build cache: every file's path, size, mtime.
function dirStamp(dir) {
  const h = crypto.createHash('sha1');
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (['node_modules', 'build', '.git'].includes(e.name)) continue;
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.isFile()) {
        const st = fs.statSync(f);
        h.update(`${path.relative(dir, f)}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  walk(dir);
  return h.digest('hex');
}

// Builds one flavour into cache/<key>/<flavour>, unless already there.
function buildFlavour(fetched, work, cache, flavour, gypArgs) {
  const key = `${fetched.name.replace(/\//g, '+')}@${fetched.version}-${fetched.source.id.slice(0, 12)}`;
  const dir = path.join(cache, key, flavour);
  const stamp = path.join(cache, key, `${flavour}.stamp`);
  const flags = flavour === 'asan' ? ASAN_FLAGS : '';
  const id = JSON.stringify({ source: fetched.source.id, node: process.version, flags, gypArgs });
  if (fs.existsSync(stamp) && readJson(stamp).id === id && fs.existsSync(dir)) return { dir, cached: true, seconds: readJson(stamp).seconds ?? null };
  const t0 = Date.now();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.cpSync(path.join(work, 'src'), dir, { recursive: true });
  const env = { ...process.env };
  if (flags) Object.assign(env, { CFLAGS: flags, CXXFLAGS: flags, LDFLAGS: '-fsanitize=address' });
  const log = path.join(work, `build-${flavour}.log`);
  fs.rmSync(log, { force: true });
  const args = [...preGypArgs(fetched.binary, dir), ...gypArgs];
  run(process.execPath, [path.join(ROOT, 'scripts', 'node-gyp.js'), 'rebuild', '--silent', `--directory=${dir}`, ...args], { env, timeout: BUILD_TIMEOUT_MS }, log);
  const seconds = (Date.now() - t0) / 1000;
  fs.writeFileSync(stamp, JSON.stringify({ id, seconds }));
  return { dir, cached: false, seconds };
}

// Both flavours; a flavour that fails is an error of its own, never an abort.
function buildPackage(fetched, work, cache, gypArgs = []) {
  const out = { release: null, asan: null, prebuilt: false, errors: {}, cached: {}, cold_s: {} };
  if (!fetched.gyp) {
    out.prebuilt = true;
    out.release = path.join(work, 'src');
    return out;
  }
  for (const flavour of ['release', 'asan']) {
    const t0 = Date.now();
    try {
      const b = buildFlavour(fetched, work, cache, flavour, gypArgs);
      out[flavour] = b.dir;
      out.cached[flavour] = b.cached;
      out.cold_s[flavour] = b.seconds; // what the build took when it was made
    } catch (e) {
      out.errors[flavour] = e.message;
    }
    out[`${flavour}_s`] = (Date.now() - t0) / 1000;
  }
  return out;
}

module.exports = { fetchPackage, buildPackage, PhaseError, run };

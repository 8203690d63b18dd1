// hunt's discovery: runs probe.js on a built package in child processes (a
// probe that crashes or hangs is recorded with its call, and the next child
// goes on after it), then ranks what can have the bug: async calls whose
// work waits on the libuv threadpool first.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { DATA_RANK, describe } = require('./shapes.js');
const { cleanText } = require('./text.js');

const PROBE = path.join(__dirname, 'probe.js');
const SILENCE_MS = 15000; // no line from a probe for this long: it hangs
const MAX_RESTARTS = 24;
const MAX_ENTRIES = 8;
const POOL = 4;

// The package's own .node files: node-gyp's build/Release, or a prebuilt
// binary (napi-rs ships it in a per-platform optional dependency).
function nativeFiles(dir) {
  const out = [];
  const rel = (...p) => path.join(...p);
  const release = path.join(dir, 'build', 'Release');
  if (fs.existsSync(release)) for (const f of fs.readdirSync(release)) if (f.endsWith('.node')) out.push(rel('build', 'Release', f));
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.node')) out.push(f);
  const nm = path.join(dir, 'node_modules');
  if (fs.existsSync(nm))
    for (const d of fs.readdirSync(nm).flatMap((x) => (x.startsWith('@') ? fs.readdirSync(path.join(nm, x)).map((y) => `${x}/${y}`) : [x])))
      if (/linux-x64/.test(d) && !/musl/.test(d)) for (const f of fs.readdirSync(path.join(nm, d))) if (f.endsWith('.node')) out.push(rel('node_modules', d, f));
  return out.slice(0, 8);
}

// One probe child until it ends, dies or goes silent.
function runProbe(dir, natives, skipFile, optKeys) {
  return new Promise((resolve) => {
    const args = ['--expose-gc', PROBE, '--pkg', dir, ...(skipFile ? ['--skip', skipFile] : [])];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, UV_THREADPOOL_SIZE: String(POOL), GCFUZZ_HUNT_NATIVE: JSON.stringify(natives), GCFUZZ_HUNT_OPTKEYS: JSON.stringify(optKeys) },
    });
    const lines = [];
    let stderr = '';
    let buf = '';
    let silent = null;
    const arm = () => {
      clearTimeout(silent);
      silent = setTimeout(() => child.kill('SIGKILL'), SILENCE_MS);
    };
    arm();
    child.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          lines.push(JSON.parse(line));
        } catch {
          // the package printed something itself
        }
        arm();
      }
    });
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-8192);
    });
    child.on('close', (code, signal) => {
      clearTimeout(silent);
      resolve({ lines, code, signal, stderr, silent: signal === 'SIGKILL' });
    });
  });
}

async function probeAll(dir, work, optKeys) {
  const natives = nativeFiles(dir);
  const state = { done: {}, crashed: [] };
  const crashes = [];
  const loadErrors = new Set();
  const skipFile = path.join(work, 'probe-skip.json');
  for (let restart = 0; restart <= MAX_RESTARTS; restart++) {
    fs.writeFileSync(skipFile, JSON.stringify(state));
    const r = await runProbe(dir, natives, restart ? skipFile : null, optKeys);
    let at = null;
    for (const l of r.lines) {
      if (l.at) at = l;
      if (l.callable) state.done[l.callable.id] = l.callable;
      if (l.inverse && state.done[l.inverse.id]) state.done[l.inverse.id].async[l.inverse.index || 0].inverse = l.inverse.inverse;
      if (l.load_error) loadErrors.add(l.load_error);
    }
    if (r.lines.some((l) => l.end)) break;
    if (!at || state.done[at.at]) {
      // died outside any call: loading the package, or between probes
      crashes.push({ id: at ? at.at : '(loading)', args: [], how: how(r), stderr: tail(r.stderr) });
      break;
    }
    state.crashed.push(at.at);
    crashes.push({ id: at.at, args: at.args, step: at.step || 'probe', how: how(r), stderr: tail(r.stderr) });
  }
  return { natives, callables: Object.values(state.done), crashes, loadErrors: [...loadErrors] };
}

const how = (r) => (r.silent ? 'hang (no progress for 15 s)' : r.signal ? `signal ${r.signal}` : `exit ${r.code}`);
const tail = (s) => cleanText(s.split('\n').filter((l) => l.trim()).slice(-12).join('\n'));

// An entry name of [a-z0-9_]{1,31}, unique in `taken`.
function entryName(c, shape, taken) {
  const words = [...c.path, c.method || ''].filter(Boolean).join('_');
  let base = words.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'call';
  base = base.slice(0, 24);
  const opt = shape.args.find((a) => a.startsWith('O:'));
  if (opt) base = `${base.slice(0, 16)}_${opt.slice(2).toLowerCase().replace(/[^a-z0-9_]+/g, '_')}`.slice(0, 28);
  let name = taken.has(base) ? `${base}_${shape.data}` : base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

// The async calls, threadpool ones first, Buffers before strings.
function rankEntries(callables) {
  const cands = [];
  // Per callable its best plain shape and its best shape with an options
  // object (a Buffer field plain shapes never reach: {secret}); the plain
  // ones of every callable first, since the entry cap may leave some out.
  const isOpt = (s) => s.args.some((a) => a.startsWith('O:'));
  for (const c of callables) {
    const plain = (c.async || []).find((s) => !isOpt(s));
    const opt = (c.async || []).find(isOpt);
    if (plain) cands.push({ c, s: plain, tier: 0 });
    if (opt) cands.push({ c, s: opt, tier: 1 });
  }
  cands.sort((a, b) => (a.tier - b.tier) || (b.s.threadpool - a.s.threadpool) || (DATA_RANK.indexOf(a.s.data) - DATA_RANK.indexOf(b.s.data)));
  const taken = new Set();
  return cands.slice(0, MAX_ENTRIES).map(({ c, s }) => ({
    name: entryName(c, s, taken), id: c.id, root: c.root, path: c.path, method: c.method || null, via: c.via || null,
    args: s.args, data: s.data, style: s.style, signature: describe(s.args), threadpool: s.threadpool,
    deterministic: s.deterministic, input_dependent: s.input_dependent, sizes: s.sizes, ms: Math.round(s.ms * 10) / 10,
    oracle: s.deterministic ? 'differential' : s.inverse ? 'inverse' : 'none', inverse: s.inverse || null,
  }));
}

async function discover(dir, work, optKeys = []) {
  fs.mkdirSync(work, { recursive: true });
  const p = await probeAll(dir, work, optKeys);
  const asyncCalls = p.callables.filter((c) => (c.async || []).length > 0);
  return {
    natives: p.natives,
    option_keys: optKeys,
    load_errors: p.loadErrors,
    exports: p.callables.length,
    callables: p.callables,
    async_calls: asyncCalls.length,
    threadpool_calls: asyncCalls.filter((c) => c.async.some((s) => s.threadpool)).length,
    probe_crashes: p.crashes,
    entries: rankEntries(p.callables),
  };
}

module.exports = { discover, nativeFiles, rankEntries };

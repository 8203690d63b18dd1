#!/usr/bin/env node
// hunt's probe process: loads a package, enumerates what it exports and
// calls each callable with the shapes of shapes.js, one call at a time.
//   node --expose-gc probe.js --pkg DIR [--skip FILE]
// stdout, one JSON line each: {"at": ID, "args": [...]} before every call
// (so the parent can blame a crash or a hang on it), {"callable": {...}}
// when one is done, {"end": true} at the end. The parent (discover.js)
// restarts us with --skip after a crash; nothing here needs to survive one.
//
// Classes of a call: throws | rejects | sync | object (returned something
// with methods) | promise | callback (settled later) | hang (neither, within
// the wait). For the async ones: does the work run on the libuv threadpool
// (held back by the window gate), is the result deterministic, which input
// sizes it accepts.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { makeRng } = require('../prng.js');
const { PoolGate } = require('../gate.js');
const { allShapes, argValues, CTOR_SHAPES, DATA_RANK } = require('./shapes.js');
const { plain, errorText } = require('./rt.js');
const { isDeepStrictEqual } = require('node:util');
const { enumerate } = require('./surface.js');
const { findInverse } = require('./inverse.js');

const WAIT_MS = 1000; // an async call that has not settled by then is a hang
const CB_WAIT_MS = 150; // a call that returned without calling back
const SIZES = [0, 1, 4096, 65536];

const emit = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One call of fn on receiver with the shape's arguments; its class.
function callOnce(fn, self, shape, size, seed = 1) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
    let done = false;
    const finish = (r) => {
      if (!done) {
        done = true;
        resolve({ ...r, ms: ms() });
      }
    };
    let called = false;
    const cb = (err, ...v) => {
      called = true;
      finish(err ? { class: 'rejects', error: errorText(err), async: true } : { class: 'callback', value: plain(v.length > 1 ? v : v[0]) });
    };
    let ret;
    try {
      ret = fn.apply(self, argValues(shape, makeRng(seed), size, cb));
    } catch (e) {
      return finish({ class: 'throws', error: errorText(e) });
    }
    if (called) return finish({ class: 'sync', value: '(callback called synchronously)' });
    if (ret && typeof ret.then === 'function') {
      ret.then((v) => finish({ class: 'promise', value: plain(v) }), (e) => finish({ class: 'rejects', error: errorText(e), async: true }));
      return setTimeout(() => finish({ class: 'hang' }), WAIT_MS);
    }
    const hasCb = shape.args.includes('cb');
    const isObj = ret && typeof ret === 'object' && !ArrayBuffer.isView(ret) && !Array.isArray(ret) && methodsOf(ret).length > 0;
    if (!hasCb) return finish(isObj ? { class: 'object', ret } : { class: 'sync', value: plain(ret) });
    // waited: the callback was not called (a shape it ignores, or a hang)
    setTimeout(() => finish({ ...(ret !== undefined ? { class: isObj ? 'object' : 'sync', ret, value: isObj ? undefined : plain(ret) } : { class: 'hang' }), waited: true }), CB_WAIT_MS);
  });
}

// Node's own prototypes a package's objects inherit (streams, emitters):
// their methods are not the package's, except where a stream takes data.
const stream = require('node:stream');
const CORE_PROTOS = new Set([require('node:events').prototype, stream.prototype, stream.Readable.prototype,
  stream.Writable.prototype, stream.Duplex.prototype, stream.Transform.prototype]);
const CORE_KEPT = new Set(['write', 'end']);

function methodsOf(obj) {
  const names = new Set();
  for (let p = obj; p && p !== Object.prototype && p !== Function.prototype; p = Object.getPrototypeOf(p))
    for (const k of Object.getOwnPropertyNames(p)) {
      if (k === 'constructor' || k.startsWith('_') || (CORE_PROTOS.has(p) && !CORE_KEPT.has(k))) continue;
      const d = Object.getOwnPropertyDescriptor(p, k);
      if (d && typeof d.value === 'function') names.add(k);
    }
  return [...names].slice(0, 32);
}

// How to get a `this` for the callable: nothing, a new instance, or what a
// factory returned.
function receiverFor(c) {
  if (!c.via) return { fn: c.fn, self: c.parent };
  const ctor = c.via.fn;
  const self = c.via.kind === 'new' ? new ctor(...argValues({ args: c.via.args }, makeRng(2), 16)) : ctor.apply(c.via.parent, argValues({ args: c.via.args }, makeRng(2), 16));
  return { fn: self[c.method], self };
}

async function callFresh(c, shape, size, seed) {
  let r;
  try {
    r = receiverFor(c);
  } catch (e) {
    return { class: 'throws', error: `constructing the receiver: ${errorText(e)}` };
  }
  return callOnce(r.fn, r.self, shape, size, seed);
}

// With every pool thread held, work queued on the threadpool cannot run: a
// call that settles while held does not (only) use the pool.
async function onThreadpool(c, shape, ms) {
  const gate = new PoolGate();
  gate.hold();
  let settled = false;
  const p = callFresh(c, shape, 64).then((r) => {
    settled = true;
    return r;
  });
  const deadline = Date.now() + Math.max(100, 4 * ms + 50);
  while (!settled && Date.now() < deadline) await sleep(5);
  const held = settled;
  gate.release();
  const r = await p;
  return { threadpool: !held && r.class !== 'hang', afterRelease: r.class };
}

async function characterise(c, shape, first) {
  const pool = await onThreadpool(c, shape, first.ms);
  const a = await callFresh(c, shape, 64, 7);
  const b = await callFresh(c, shape, 64, 7);
  const other = await callFresh(c, shape, 64, 8);
  const deterministic = isDeepStrictEqual([a.class, a.value, a.error], [b.class, b.value, b.error]);
  const sizes = [];
  for (const n of SIZES) {
    const r = await callFresh(c, shape, n);
    if (r.class === 'promise' || r.class === 'callback') sizes.push(n);
  }
  return {
    ...pool, deterministic, input_dependent: !isDeepStrictEqual(a.value, other.value), sizes,
    ms: Math.max(first.ms, a.ms, b.ms),
  };
}

// Shapes with an options object come last in allShapes(): past two plain
// hits, only they are still tried.
const isOpt = (shape) => shape.args.some((a) => a.startsWith('O:'));
const isOptHit = (h) => isOpt(h.shape);

async function probeCallable(c) {
  const tries = [];
  const hits = [];
  let hangs = 0;
  for (const shape of allShapes(JSON.parse(process.env.GCFUZZ_HUNT_OPTKEYS || '[]'))) {
    if (shape.args.includes('cb') && hangs >= 3) continue;
    const plain = hits.filter((h) => !isOptHit(h)).length;
    if (!isOpt(shape) && (plain >= 2 || hits.some((h) => h.shape.data === shape.data))) continue;
    emit({ at: c.id, args: shape.args });
    const r = await callFresh(c, shape, 64);
    if (r.waited) hangs++; // three callbacks never called: it takes none
    tries.push({ args: shape.args, class: r.class, error: r.error });
    if (r.class === 'object' && r.ret && !c.via) c.factory = { args: shape.args, methods: methodsOf(r.ret) };
    if (r.class === 'promise' && shape.args.at(-1) === 'cb') {
      // a Promise API that ignored our callback: call it without one
      const bare = { ...shape, args: shape.args.slice(0, -1) };
      const r2 = await callFresh(c, bare, 64);
      if (r2.class === 'promise') hits.push({ shape: bare, r: r2 });
      else hits.push({ shape, r });
    } else if (r.class === 'promise' || r.class === 'callback') hits.push({ shape, r });
    if (hits.some(isOptHit)) break;
  }
  const rank = (h) => DATA_RANK.indexOf(h.shape.data) + (isOptHit(h) ? DATA_RANK.length : 0);
  hits.sort((x, y) => rank(x) - rank(y));
  const asyncShapes = [];
  for (const h of hits) {
    emit({ at: c.id, args: h.shape.args, step: 'characterise' });
    asyncShapes.push({ args: h.shape.args, data: h.shape.data, style: h.r.class, ...(await characterise(c, h.shape, h.r)) });
  }
  return { tries, async: asyncShapes };
}

function constructible(ctor) {
  for (const args of CTOR_SHAPES) {
    try {
      const o = new ctor(...argValues({ args }, makeRng(2), 16));
      if (o && typeof o === 'object') return { args, methods: methodsOf(o) };
    } catch {
      // the next shape
    }
  }
  return null;
}

async function loadRoots(pkg) {
  const roots = [];
  try {
    // pkg + '/': a directory, even where a file pkg.js or pkg.json sits beside it
    roots.push({ name: 'main', value: require(`${pkg}/`) });
  } catch (e) {
    if (e && e.code === 'ERR_REQUIRE_ESM') {
      const main = require.resolve(`${pkg}/`);
      roots.push({ name: 'main', value: await import(pathToFileURL(main).href) });
    } else emit({ load_error: `require('${path.basename(pkg)}'): ${errorText(e)}` });
  }
  for (const rel of JSON.parse(process.env.GCFUZZ_HUNT_NATIVE || '[]')) {
    try {
      roots.push({ name: `native:${rel}`, value: require(path.join(pkg, rel)) });
    } catch (e) {
      emit({ load_error: `${rel}: ${errorText(e)}` });
    }
  }
  return roots;
}

// Methods of a constructed instance, or of what a factory returned, are
// callables too (one level: no factory of a factory).
function methodItems(c, kind, args, methods) {
  return methods.map((m) => ({
    id: `${c.id}${kind === 'new' ? '#' : '()#'}${m}`, path: c.path, kind: 'method', method: m,
    via: { kind, fn: c.fn, parent: c.parent, path: c.path, args },
  }));
}

async function probeOne(c) {
  const out = {
    id: c.id, path: c.path, kind: c.kind, method: c.method,
    via: c.via && { kind: c.via.kind, path: c.via.path, args: c.via.args },
  };
  if (c.kind === 'class') {
    emit({ at: c.id, args: ['new'] });
    out.ctor = constructible(c.fn);
    return { out, more: out.ctor ? methodItems(c, 'new', out.ctor.args, out.ctor.methods) : [] };
  }
  Object.assign(out, await probeCallable(c));
  const more = c.factory && !c.via ? methodItems(c, 'call', c.factory.args, c.factory.methods) : [];
  if (c.factory) out.factory = { args: c.factory.args, methods: c.factory.methods };
  return { out, more };
}

// For each async function whose result is not deterministic, a partner
// that checks it (inverse.js); one line per pair found.
async function pairUp(functions) {
  for (const f of functions)
    for (const [index, shape] of (f.out.async || []).entries()) {
      if (shape.deterministic || shape.inverse) continue;
      emit({ at: f.id, args: shape.args, step: 'inverse' });
      const inverse = await findInverse(f, shape, functions.filter((g) => g !== f));
      if (inverse) emit({ inverse: { id: f.id, index, inverse } });
    }
}

async function main() {
  const argv = process.argv.slice(2);
  const pkg = path.resolve(argv[argv.indexOf('--pkg') + 1]);
  // --skip FILE: {done: {id: callable}, crashed: [id]} of earlier probes
  const skip = argv.includes('--skip') ? JSON.parse(fs.readFileSync(argv[argv.indexOf('--skip') + 1], 'utf8')) : { done: {}, crashed: [] };
  process.chdir(require('node:os').tmpdir());
  const roots = await loadRoots(pkg);
  const seen = new Set();
  for (const root of roots) {
    const queue = enumerate(root, seen);
    const functions = [];
    while (queue.length) {
      const c = queue.shift();
      if (skip.crashed.includes(c.id)) continue;
      const done = skip.done[c.id];
      if (done) {
        // probed before a restart: only its methods are still to do
        if (done.ctor) queue.unshift(...methodItems(c, 'new', done.ctor.args, done.ctor.methods));
        if (done.factory && !c.via) queue.unshift(...methodItems(c, 'call', done.factory.args, done.factory.methods));
        if (c.kind === 'function') functions.push({ ...c, out: done });
        continue;
      }
      const { out, more } = await probeOne(c);
      out.root = root.name;
      emit({ callable: out });
      queue.unshift(...more);
      if (c.kind === 'function') functions.push({ ...c, out }); // partners need not be async
    }
    await pairUp(functions);
  }
  emit({ end: true });
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`probe: ${e && e.stack}\n`);
  process.exit(70);
});

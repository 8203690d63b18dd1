// Writes the target and the config hunt fuzzes a package with, from what
// discovery found: plain, commented code a user can read, edit and run again
// with `gcfuzz ci --config DIR/config.json`. Nothing here is special to
// hunt at run time: the generated target is an ordinary one (doc/target.md "The
// target contract"); its calls report outcomes (rt.js), and its oracle is the
// same call on kept copies of the inputs, when discovery saw it deterministic.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { FIXED, isData, describe, optKey } = require('./shapes.js');
const { KINDS } = require('./values.js');

const ROOT = path.join(__dirname, '..', '..');
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const access = (base, p) => p.reduce((s, k) => (IDENT.test(k) ? `${s}.${k}` : `${s}[${JSON.stringify(k)}]`), base);
const rootVar = (root, natives) => (root === 'main' ? 'pkg' : `native${natives.indexOf(root.slice('native:'.length))}`);

// The partner of an inverse pair on the first call's result `v` and the
// copy `c` of the input (its data slots), as inverse.js found it.
function partnerCall(inv, base) {
  const args = inv.args.map((s) => (s === 'R' ? 'v' : FIXED[s] ? FIXED[s].expr : optKey(s) ? `{ ${JSON.stringify(optKey(s))}: c }` : 'c'));
  if (inv.style === 'callback') args.push('cb');
  const call = `${access(base, inv.path)}(${args.join(', ')})`;
  return inv.style === 'callback' ? `rt.viaCallback((cb) => ${call})` : call;
}

// The expressions of one entry: what an input is, how a call is made on one.
function entryCode(e, natives) {
  const base = rootVar(e.root, natives);
  const dataSlots = e.args.filter(isData).length;
  const receiver = !!e.via;
  const single = dataSlots === 1 && !receiver;
  const names = [];
  let d = 0;
  const argExpr = e.args.map((s) => {
    if (s === 'cb') return 'cb';
    if (FIXED[s]) return FIXED[s].expr;
    const n = single ? 'x' : `x.d${d++}`;
    names.push(n);
    return optKey(s) ? `{ ${JSON.stringify(optKey(s))}: ${n} }` : n;
  });
  const make = (k) => KINDS[optKey(k) ? 'buf' : k].expr.replace('size', 'n');
  const dataFields = names.map((n, i) => `d${i}: ${make(e.args.filter(isData)[i])}`);
  let newSelf = '';
  if (receiver) {
    // the constructor's or factory's own arguments: constants, a no-op
    // callback, small data of their own (the case's input is the method's)
    const ctorArg = (s) => {
      if (s === 'cb') return '() => {}';
      if (FIXED[s]) return FIXED[s].expr;
      if (optKey(s)) return `{ ${JSON.stringify(optKey(s))}: rt.make('buf', rng, 16) }`;
      return `rt.make(${JSON.stringify(s)}, rng, 16)`;
    };
    const ctorArgs = e.via.args.map(ctorArg).join(', ');
    const ctor = access(`ctx.${base}`, e.via.path);
    newSelf = e.via.kind === 'new' ? `new ${ctor}(${ctorArgs})` : `${ctor}(${ctorArgs})`;
  }
  // the smallest input the call accepted in discovery (0 when it took an empty one)
  const minSize = e.sizes.includes(0) ? 0 : Math.min(64, ...e.sizes.filter((s) => s > 0));
  const input = single
    ? `(rng, size) => ${make(e.args.find(isData)).replace(/\bn\b/, `Math.max(size, ${minSize})`)}`
    : `(rng, size, ctx) => {\n        const n = Math.max(size, ${minSize});\n        return { ${[...(receiver ? [`self: ${newSelf}`] : []), ...dataFields].join(', ')} };\n      }`;
  const fn = receiver ? `x.self.${IDENT.test(e.method) ? e.method : `[${JSON.stringify(e.method)}]`}` : access(base, e.path);
  const invoke = `${fn}(${argExpr.join(', ')})`;
  let body = e.style === 'callback' ? `rt.viaCallback((cb) => ${invoke})` : invoke;
  if (e.inverse && single) body = `rt.pair(${body}, rt.copy(x), (v, c) => ${partnerCall(e.inverse, base)})`;
  const ctxArg = receiver ? '' : `{ ${base} }`;
  const copy = single ? '' : `, (x) => ({ ${[...(receiver ? [`self: ${newSelf.replace(/rng/g, 'rt.rng(2)')}`] : []), ...names.map((n, i) => `d${i}: rt.copy(${n})`)].join(', ')} })`;
  return { input, call: `(x) => ${body}`, ctxArg, copy, receiver, usesCtxInCopy: receiver };
}

function comment(e) {
  const what = e.via ? `${e.via.kind === 'new' ? 'new ' : ''}${e.via.path.join('.')}(${describe(e.via.args)}).${e.method}` : e.path.join('.') || '(the module)';
  const lines = [
    `${what}(${describe(e.args)}) - ${e.style === 'callback' ? 'calls back later' : 'returns a Promise'}; ` +
      `${e.threadpool ? 'its work waits on the libuv threadpool (held by the window gate)' : 'not held by the window gate (not the libuv threadpool)'}.`,
    {
      differential: 'Deterministic in discovery: the oracle is the same call on kept copies of the inputs.',
      inverse: `Not deterministic in discovery, but ${e.inverse && e.inverse.path.join('.')} checks its result: each call is the pair, and the oracle the pair on kept copies.`,
      none: 'Not deterministic in discovery: no oracle, only crashes and sanitizer reports count.',
    }[e.oracle],
    `Input sizes accepted in discovery: ${e.sizes.length ? e.sizes.join(', ') : 'only 64'} bytes.`,
  ];
  return lines.map((l) => `    // ${l}`).join('\n');
}

// meta.tool: the subcommand that wrote it (hunt, init); meta.rt: how the
// target requires rt.js (default its absolute path in this installation).
function targetSource(disc, meta) {
  const natives = disc.natives; // indices stay those of discovery; only used ones are loaded
  const out = [];
  out.push(`// Generated by \`gcfuzz ${meta.tool || 'hunt'}\` for ${meta.spec}: a gcfuzz target (gcfuzz's doc/target.md, "The`);
  out.push('// target contract") - edit it freely and rerun `gcfuzz ci --config config.json`.');
  out.push('// Every call reports an outcome ({value} or {error}), so an argument the');
  out.push('// package refuses is refused with the inputs kept too, and is no finding.');
  out.push("'use strict';");
  out.push("const path = require('node:path');");
  out.push(`const rt = require(${JSON.stringify(meta.rt || path.join(__dirname, 'rt.js'))});`);
  out.push('');
  out.push('module.exports = {');
  out.push(`  name: ${JSON.stringify(meta.spec)},`);
  out.push('  // build: the package directory (a release or an ASan build of it). The');
  out.push('  // worker runs in a scratch directory: a string input may be used as a path.');
  out.push('  setup: ({ build }) => ({');
  out.push('    scratch: rt.scratchDir(),');
  out.push("    pkg: require(`${path.resolve(build)}/`), // the package's own entry (its package.json main)");
  natives.forEach((n, i) => {
    if (disc.entries.some((e) => e.root === `native:${n}`)) out.push(`    native${i}: require(path.join(path.resolve(build), ${JSON.stringify(n)})),`);
  });
  out.push('  }),');
  out.push('  entries: {');
  for (const e of disc.entries) {
    const c = entryCode(e, natives);
    out.push(comment(e));
    out.push(`    ${e.name}: {`);
    if (c.receiver) out.push('      distinct: true, // a fresh receiver per input: one call in flight on each');
    out.push(`      input: ${c.input},`);
    const ctxParam = c.receiver ? '' : `, ${c.ctxArg}`;
    out.push(`      call: (inputs${ctxParam}) => rt.each(inputs, ${c.call}),`);
    if (e.oracle !== 'none') {
      const oracleParam = c.receiver ? ', ctx' : `, ${c.ctxArg}`;
      out.push(`      oracle: (inputs${oracleParam}) => rt.kept(inputs, ${c.call}${c.copy}),`);
    }
    out.push('    },');
  }
  out.push('  },');
  out.push('};');
  return `${out.join('\n')}\n`;
}

// Limits for this package: sizes it accepted, few inputs per call (a call
// per input), a timeout from the slowest call discovery saw.
function configFor(disc, builds, meta = {}) {
  const maxSize = Math.max(64, ...disc.entries.flatMap((e) => e.sizes));
  const slowest = Math.max(1, ...disc.entries.map((e) => e.ms));
  // A case is elems x concurrency calls: keep its nominal time near a
  // second (an ASan build is slower still), so a slow call (a password
  // hash: 100 ms) gets fewer inputs per call rather than timeouts.
  const elems = Math.max(1, Math.min(16, Math.floor(1000 / (slowest * 4))));
  // A prebuilt binary (no ASan build) runs under the ASan runtime all the
  // same: it intercepts malloc/free and memcpy, so a copy out of a freed
  // Buffer is reported even in code that was not instrumented.
  const asan = !!builds.asan || !!builds.prebuilt;
  return {
    target: 'target.js',
    build: builds.asan || builds.release,
    sanitizer: asan ? 'address' : 'none',
    entries: disc.entries.map((e) => e.name),
    entry: null,
    target_frames: builds.frames && builds.frames.length ? builds.frames : disc.natives.map((n) => path.basename(n, '.node')),
    confirm_runs: Number.isInteger(meta.confirmRuns) ? meta.confirmRuns : 3,
    timeout_ms: Math.min(60000, Math.max(5000, Math.ceil(slowest * 64 * 4))),
    limits: { max_elems: elems, max_elem_len: Math.min(maxSize, 65536), max_concurrency: 4 },
    // a napi-rs async fn runs on tokio's workers, which the libuv gate
    // cannot hold (doc/target.md, "Other thread pools")
    ...(builds.binding && builds.binding.style === 'napi-rs' ? { env: { GCFUZZ_GATE_THREADS: 'tokio-runtime-w' } } : {}),
    control: {
      target: path.join(ROOT, 'addon', 'target.js'), seeds: path.join(ROOT, 'corpus', 'seeds'),
      build: asan ? 'asan' : 'release', entry: 'sum_borrowed', max_s: 30,
    },
  };
}

function write(dir, disc, meta, builds) {
  const files = { target: path.join(dir, 'target.js'), config: path.join(dir, 'config.json') };
  fs.writeFileSync(files.target, targetSource(disc, meta));
  fs.writeFileSync(files.config, `${JSON.stringify(configFor(disc, builds, meta), null, 2)}\n`);
  return files;
}

module.exports = { write, targetSource, configFor };

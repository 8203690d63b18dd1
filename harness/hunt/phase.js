#!/usr/bin/env node
// One phase of `gcfuzz hunt` for one package, run by the daemon in its own
// process with a deadline (runner/gf_hunt.c):
//   node phase.js fetch    --spec SPEC --work W     -> W/src, W/fetch.json
//   node phase.js build    --work W --cache C       -> W/build.json
//   node --expose-gc phase.js discover --work W     -> W/discover.json, W/target.js, W/config.json
//   node phase.js summarize --work W                -> W/summarize.json (one row of hunt.json)
// Each writes its JSON (with `error` when it failed) and exits 0, or 1 when
// the phase failed; what failed is in the JSON, said in a line or two.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { fetchPackage, buildPackage } = require('./package.js');
const { discover, nativeFiles } = require('./discover.js');
const { bindingStyle, sourceHints, framePatterns, optionKeys } = require('./hints.js');
const gen = require('./gen.js');
const { cleanText } = require('./text.js');

const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
// Strings made well-formed: a package's export names and messages may hold
// lone surrogates, which JSON.stringify escapes (\ud800) and the daemon's
// JSON parser (cJSON) refuses, losing the whole row.
const wellFormed = (k, v) => (typeof v === 'string' && typeof v.toWellFormed === 'function' ? v.toWellFormed() : v);
const writeJson = (f, o) => {
  fs.writeFileSync(`${f}.tmp`, `${JSON.stringify(o, wellFormed, 2)}\n`);
  fs.renameSync(`${f}.tmp`, f);
};

const readIf = (f) => {
  try {
    return readJson(f);
  } catch {
    return null;
  }
};
const rate = (r) => (r && Number.isFinite(r.runs) ? `${r.reproduced}/${r.runs}` : '-');

// The findings of the fuzz phase: each bucket of OUT with its record's
// confirmation rates and needs-GC control.
function findings(work) {
  const sum = readIf(path.join(work, 'out', 'summary.json'));
  const calls = Object.fromEntries(((readIf(path.join(work, 'discover.json')) || {}).entries || []).map((e) => [e.name, e.id]));
  if (!sum) return { findings: [], not_lifetime: [], not_reproduced: [], execs: 0, bugs: 0, control: null, fuzz_exit: null };
  const list = (sum.buckets || []).map((b) => {
    const rec = readIf(path.join(work, 'out', 'crashes', `${b.hash}.json`)) || {};
    return {
      hash: b.hash, signature: cleanText(b.signature, 300), entry: b.entry, kind: b.kind, count: b.count,
      needs_gc: b.needs_gc, fresh: rate(rec.reproducibility), warm: rate(rec.reproducibility_warm),
      record: path.join('out', 'crashes', `${b.hash}.json`), same_bug_as: rec.same_bug_as || null,
      // 'native': found through a .node export, which the package's own JS
      // may keep from users (a wrapper that holds the receiver)
      surface: /^native:/.test((calls[b.entry] || '')) ? 'native' : 'public',
    };
  });
  // A bucket whose control failed too (it fails with its inputs kept) is a
  // bug of another kind, not a lifetime finding; one whose confirmation ran
  // and never reproduced it, fresh or warm, has no case to act on (a race
  // between calls, say): both listed apart.
  const unseen = (x) => /^0\/[1-9]/.test(x.fresh) && (x.warm === '-' || /^0\//.test(x.warm));
  return {
    findings: list.filter((x) => x.needs_gc !== 'no' && !unseen(x)),
    not_lifetime: list.filter((x) => x.needs_gc === 'no'),
    not_reproduced: list.filter((x) => x.needs_gc !== 'no' && unseen(x)),
    execs: (sum.target && sum.target.execs) || 0, bugs: sum.bugs || 0, control: sum.control ? !!sum.control.detected : null, fuzz_exit: sum.exit_code,
  };
}

const phases = {
  fetch(o) {
    const f = fetchPackage(o.spec, o.work);
    return { ...f, spec: o.spec };
  },
  build(o) {
    const fetched = readJson(path.join(o.work, 'fetch.json'));
    const b = buildPackage(fetched, o.work, o.cache);
    const src = path.join(o.work, 'src');
    const meta = readJson(path.join(src, 'package.json'));
    const natives = nativeFiles(b.release || src);
    const binding = bindingStyle(src, meta, natives);
    const out = { ...b, binding, hints: sourceHints(src), frames: framePatterns(src, natives), option_keys: optionKeys(src) };
    if (!b.release && !b.asan) out.error = `build failed: ${b.errors.release || b.errors.asan}`;
    return out;
  },
  async discover(o) {
    const fetched = readJson(path.join(o.work, 'fetch.json'));
    const builds = readJson(path.join(o.work, 'build.json'));
    const dir = builds.release || builds.asan;
    const d = await discover(dir, path.join(o.work, 'probe'), builds.option_keys || []);
    const out = { ...d, callables: d.callables.length };
    fs.writeFileSync(path.join(o.work, 'callables.json'), `${JSON.stringify(d.callables, null, 1)}\n`);
    if (d.entries.length === 0) out.error = d.load_errors.length ? `cannot load: ${d.load_errors[0]}` : 'no async call found';
    else gen.write(o.work, d, { spec: `${fetched.name}@${fetched.version}`, confirmRuns: o['confirm-runs'] === undefined ? 3 : Number(o['confirm-runs']) }, builds);
    return out;
  },
  // One row of hunt.json: what every phase said, in one object.
  summarize(o) {
    const f = readIf(path.join(o.work, 'fetch.json')) || {};
    const b = readIf(path.join(o.work, 'build.json')) || {};
    const d = readIf(path.join(o.work, 'discover.json')) || {};
    const fz = findings(o.work);
    const builds = b.prebuilt ? ['prebuilt (release only)'] : ['release', 'asan'].filter((k) => b[k]);
    return {
      name: f.name || null, version: f.version || null, source: f.source ? f.source.kind : null, node: process.version,
      binding: b.binding || null, builds, build_errors: b.errors || {}, build_cold_s: b.cold_s || {}, hints: (b.hints || []).filter((h) => h.suspect).map((h) => h.file),
      exports: d.callables || 0, async_calls: d.async_calls || 0, threadpool_calls: d.threadpool_calls || 0,
      entries: (d.entries || []).map((e) => ({ name: e.name, call: e.id, signature: e.signature, style: e.style, threadpool: e.threadpool, oracle: e.oracle, partner: e.inverse ? e.inverse.id : null })),
      probe_crashes: (d.probe_crashes || []).map((c) => ({ call: c.id, args: c.args, how: c.how })),
      load_errors: d.load_errors || [],
      sanitizer: fs.existsSync(path.join(o.work, 'config.json')) ? readJson(path.join(o.work, 'config.json')).sanitizer : null,
      ...fz,
    };
  },
};

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { spec: { type: 'string' }, work: { type: 'string' }, cache: { type: 'string' }, 'confirm-runs': { type: 'string' } } });
  const name = positionals[0];
  if (!phases[name] || !values.work) {
    process.stderr.write('usage: node phase.js fetch|build|discover|summarize --work DIR [--spec SPEC] [--cache DIR]\n');
    process.exit(2);
  }
  fs.mkdirSync(values.work, { recursive: true });
  const file = path.join(values.work, `${name}.json`);
  let out;
  try {
    out = await phases[name](values);
  } catch (e) {
    out = { error: cleanText(e && e.message ? e.message : String(e)) };
  }
  writeJson(file, out);
  if (out.error) process.stderr.write(`${cleanText(out.error.split('\n')[0], 300)}\n`);
  process.exit(out.error ? 1 : 0);
}

main();

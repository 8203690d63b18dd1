#!/usr/bin/env node
// Writes a standalone reproducer of a crash record (gcfuzz repro): one
// plain Node script that needs no gcfuzz. It carries the record's case and
// what gcfuzz ran it with (V8 flags, threadpool size, sanitizer, timeout),
// the harness modules that run a case (PRNG, inputs, reference dropping,
// GC schedule, window gate) and the target's source, each inlined as a
// module; the target's own requires (its addon, its helpers) still resolve
// from where the target is. The body is repro-run.js.
//   node harness/repro.js --spec JSON [-o FILE]
// The spec comes from the runner (cmd_repro.c): record, target, build,
// node_args, args, threadpool_size, timeout_ms, sanitizer, asan_options.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseCase } = require('./case.js');
const { checkRecord } = require('./record.js');

const HARNESS = __dirname;

class ReproError extends Error {}

// require('literal') calls of a source: the literals, in order.
const REQUIRE_RE = /\brequire\(\s*(['"])((?:\\.|(?!\1).)*)\1\s*\)/g;

function requiresOf(src) {
  return [...src.matchAll(REQUIRE_RE)].map((m) => m[2]);
}

// The modules to inline, from `file` (the target) down: a require that
// resolves into gcfuzz's harness directory is inlined, any other stays a
// real require. A template-literal or computed require stays real too.
function collect(file) {
  const mods = new Map(); // id -> {file, src}
  const idOf = (f) => (f === file ? 'target' : `harness/${path.relative(HARNESS, f)}`);
  // The file a literal require of f resolves to when it is a harness module
  // to inline, else null (node: modules, packages, the target's own files,
  // or what is not there: left to the run).
  const inlined = (lit, f) => {
    if (lit.startsWith('node:') || !/^[./]/.test(lit)) return null;
    try {
      const real = require.resolve(lit, { paths: [path.dirname(f)] });
      return real.startsWith(HARNESS + path.sep) && /\.(js|json)$/.test(real) ? real : null;
    } catch {
      return null;
    }
  };
  const visit = (f) => {
    const id = idOf(f);
    if (mods.has(id)) return id;
    const mod = { file: f, src: '' };
    mods.set(id, mod);
    // Inlined requires by their ids (the loader's gcfuzz:ID): no path of
    // this machine in the text.
    mod.src = fs.readFileSync(f, 'utf8').replace(REQUIRE_RE, (all, q, lit) => {
      const real = inlined(lit, f);
      return real ? `require(${JSON.stringify(`gcfuzz:${visit(real)}`)})` : all;
    });
    return id;
  };
  visit(file);
  for (const dep of ['case.js', 'driver.js', 'gate.js', 'window.js', 'target.js', 'repro-run.js']) visit(path.join(HARNESS, dep));
  return mods;
}

function moduleText(id, mod) {
  const head = `${JSON.stringify(id)}: { file: ${JSON.stringify(path.basename(mod.file))},`;
  if (mod.file.endsWith('.json')) return `${head} json: ${JSON.stringify(JSON.parse(mod.src))} }`;
  // The harness's own comments are for its readers, not a reproducer's:
  // comment lines of inlined harness modules go (a third of the text).
  let src = mod.src.replace(/^#!.*\n/, '\n');
  if (id !== 'target') src = src.replace(/^[ \t]*\/\/.*\n/gm, '');
  return `${head} fn: function (exports, require, module, __filename, __dirname) {\n${src}\n} }`;
}

// The loader of the inlined modules: CommonJS, each module once; a
// harness module's own file is beside the script, the target's is `file`.
const LOADER = `
const __cache = new Map();
function __load(id, file) {
  if (__cache.has(id)) return __cache.get(id).exports;
  const m = __MODULES[id];
  if (m.json) return m.json;
  const f = file || require('node:path').join(__dirname, m.file);
  const real = require('node:module').createRequire(f);
  const module = { exports: {} };
  __cache.set(id, module);
  const req = (x) => (x.startsWith('gcfuzz:') ? __load(x.slice(7)) : real(x));
  m.fn.call(module.exports, module.exports, req, module, f, require('node:path').dirname(f));
  return module.exports;
}
`;

function readRecord(file) {
  let rec;
  try {
    rec = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ReproError(`${file}: ${e.message}`);
  }
  try {
    const { record, dropped } = checkRecord(rec);
    if (dropped.length) process.stderr.write(`gcfuzz: ${file}: field(s) dropped: ${dropped.join(', ')}\n`);
    return record;
  } catch (e) {
    throw new ReproError(`${file}: not a gcfuzz crash record (${e.message})`);
  }
}

function rateText(r) {
  return r && Number.isInteger(r.runs) && Number.isInteger(r.reproduced) && r.runs > 0 ? `${r.reproduced}/${r.runs}` : '';
}

// What counts as the record's failure: its signature's kind and bug type,
// and those of its bug's other manifestations (same_bug_as, manifestations).
function expectOf(rec) {
  const sigs = [rec.signature];
  if (rec.same_bug_as && typeof rec.same_bug_as.signature === 'string') sigs.push(rec.same_bug_as.signature);
  if (Array.isArray(rec.manifestations)) for (const m of rec.manifestations) if (m && typeof m.signature === 'string') sigs.push(m.signature);
  return sigs.map((s) => {
    const [kind, bugType] = s.split(':');
    return { kind, bug_type: bugType || '', signature: s };
  });
}

// The case: the minimized one when the record has it (minimize keeps a
// reduction only if it reproduces at least as often), else the found one.
function caseOf(rec, file) {
  for (const key of ['minimized_case', 'case']) {
    if (!rec[key]) continue;
    try {
      return { key, case: parseCase(rec[key]), rate: rateText(key === 'case' ? rec.reproducibility : rec.minimized_rate) };
    } catch (e) {
      if (key === 'case') throw new ReproError(`${file}: case: ${e.message}`);
    }
  }
  throw new ReproError(`${file}: no case`);
}

// portable: the script is meant to live beside the target (an issue's
// reproducer), so it names the target by its file name only.
function generate(spec, outFile, { portable = false } = {}) {
  const rec = readRecord(spec.record);
  const { key, case: c, rate } = caseOf(rec, spec.record);
  // The script inlines the main-thread harness only.
  if (c.teardown)
    throw new ReproError(`${spec.record}: a teardown case runs in a worker_threads Worker, which the standalone reproducer does not do yet: replay it with gcfuzz replay`);
  if (spec.entry) c.entry = spec.entry;
  const target = path.resolve(spec.target);
  const outDir = outFile ? path.dirname(path.resolve(outFile)) : process.cwd();
  const mods = collect(target);
  const run = {
    case: c,
    build: spec.build,
    args: spec.args || [],
    env: (spec.env || []).filter((kv) => kv.includes('=')),
    node_args: spec.node_args.includes('--expose-gc') ? spec.node_args : ['--expose-gc', ...spec.node_args],
    threadpool_size: spec.threadpool_size,
    timeout_ms: spec.timeout_ms,
    sanitizer: spec.sanitizer,
    asan_options: spec.asan_options,
    target_name: path.basename(target),
    target_rel: portable ? path.basename(target) : path.relative(outDir, target),
    expect: expectOf(rec),
    record_rate: `${rate || 'unknown'} fresh${rateText(rec.reproducibility_warm) ? `, ${rateText(rec.reproducibility_warm)} warm` : ''}`,
  };
  const header = [
    '#!/usr/bin/env node',
    `// A standalone reproducer, written by gcfuzz ${spec.version} (gcfuzz repro); it needs no gcfuzz.`,
    `//   ${rec.signature.replace(/[^\x20-\x7e]/g, '?')}`,
    `//   record ${String(rec.hash || '').replace(/[^0-9a-f]/g, '')}, entry ${c.entry}, the ${key === 'case' ? 'case found' : 'minimized case'}; reproduced ${run.record_rate}`,
    '// Run: node repro.js [RUNS] [--build B] [--dir D]   (exit 1: reproduced, 0: not, 2: never ran)',
    '//   RUNS fresh processes (default 10); --build: the build given to the target\'s setup',
    '//   (default the record\'s); --dir: where the target\'s own requires resolve from.',
    "'use strict';",
  ];
  const body = [...mods].map(([id, m]) => moduleText(id, m)).join(',\n');
  return `${header.join('\n')}\nconst __SPEC = ${JSON.stringify(run, null, 1)};\nconst __MODULES = {\n${body}\n};\n${LOADER}\n__load('harness/repro-run.js').main(__SPEC, __load, __filename);\n`;
}

// The command line of the runner's JS tools (repro.js, issue.js): --spec
// JSON [-o FILE]; produce(spec, out) gives the text, written to FILE
// (atomically) or stdout; an error is one line, exit 2.
function toolMain(cmd, produce, { mode = 0o644, wrote = (out) => `wrote ${out}` } = {}) {
  try {
    const argv = process.argv.slice(2);
    let spec, out;
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === '--spec' && i + 1 < argv.length) spec = JSON.parse(argv[++i]);
      else if (argv[i] === '-o' && i + 1 < argv.length) out = argv[++i];
      else throw new ReproError(`unknown argument '${argv[i]}'`);
    }
    if (!spec) throw new ReproError('--spec is required');
    const text = produce(spec, out);
    if (!out) return process.stdout.write(text);
    const tmp = `${out}.tmp.${process.pid}`;
    fs.writeFileSync(tmp, text, { mode });
    fs.renameSync(tmp, out);
    process.stderr.write(`gcfuzz ${cmd}: ${wrote(out)}\n`);
  } catch (e) {
    process.stderr.write(`gcfuzz ${cmd}: ${e instanceof ReproError ? e.message : e.stack}\n`);
    process.exit(2);
  }
}

if (require.main === module) toolMain('repro', generate, { mode: 0o755, wrote: (out) => `wrote ${out}: node ${out} [runs]` });

module.exports = { generate, requiresOf, expectOf, readRecord, caseOf, ReproError, toolMain };

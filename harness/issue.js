#!/usr/bin/env node
// An upstream-ready report of one crash record (gcfuzz report --issue):
// the Markdown a maintainer wants in an issue tracker. What happens in one
// sentence, the package and environment, the case in words, the stacks
// with the target's frames marked, the needs-GC control, the rates, a fix
// hint for the shape, and the standalone reproducer (repro.js) inlined.
// No path of the finding machine is in it: a path keeps its last part.
//   node harness/issue.js --spec JSON [-o FILE]   (the spec: gf_repro.h)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { generate, readRecord, caseOf, toolMain } = require('./repro.js');
const { cleanText } = require('./hunt/text.js');

// Inline text: one line, control bytes escaped, no Markdown of its own.
const text = (s, max = 300) => cleanText(String(s), max).replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
const code = (s, max = 300) => `\`${cleanText(String(s), max).replace(/[\r\n`]+/g, ' ')}\``;

// A location or build without the machine's directories: the last part of
// an absolute path (`/usr/bin/node+0xc71348` -> `node+0xc71348`); a
// relative one (node-gyp's `../src/core.c:82`) as it is.
function noMachinePath(s) {
  const t = String(s || '');
  return t.startsWith('/') ? t.slice(t.lastIndexOf('/', t.search(/[:+]|$/) - 1) + 1) : t;
}

function rate(r) {
  return r && Number.isInteger(r.runs) && r.runs > 0 && Number.isInteger(r.reproduced) ? `${r.reproduced}/${r.runs}` : null;
}

const topTarget = (frames) => (Array.isArray(frames) ? frames.find((f) => f && f.target) : null);
const anyFrame = (frames, re) => Array.isArray(frames) && frames.some((f) => f && re.test(`${f.function} ${f.location}`));
const ON_POOL = /ThreadPoolWork|uv__work|threadpool\.c|\bworker\b/;
// Freed by the GC: a Node-API/ObjectWrap finalizer, a weak callback, or
// V8 sweeping an ArrayBuffer's backing store (a TypedArray, a Buffer).
const BY_GC = /Finaliz|finaliz|WeakCallback|ArrayBufferSweeper|BackingStore::~|v8::internal::(Heap|GlobalHandles)::/;

function where(rec) {
  const f = topTarget(rec.frames);
  if (!f) return '';
  return ` in ${code(f.function)}${f.location ? ` (${code(noMachinePath(f.location))})` : ''}`;
}

// One sentence on what happens.
function summary(rec) {
  const pool = anyFrame(rec.frames, ON_POOL) ? ' on a libuv threadpool thread' : '';
  switch (rec.kind) {
    case 'asan': {
      const freed = topTarget(rec.free_frames);
      const gc = !anyFrame(rec.free_frames, BY_GC) ? ''
        : freed ? `, of memory the addon's finalizer ${code(freed.function)} freed when the garbage collector collected its JS object, while the call was still in flight`
        : ', of memory the garbage collector freed with its JS object (a Buffer or TypedArray backing store, say), while the call was still in flight';
      return `AddressSanitizer reports a ${text(rec.bug_type)}${rec.access ? ` ${text(rec.access)}` : ''}${where(rec)}${pool}${gc}.`;
    }
    case 'signal':
      return `The process dies with ${text(rec.bug_type || rec.signal)}${where(rec)}${pool}.`;
    case 'mismatch':
      if (typeof rec.result === 'string')
        return `The call resolves with a wrong result: ${Number.isInteger(rec.call) ? `call ${rec.call}` : 'a call'} gives ${code(rec.result)}, where the oracle computes ${code(rec.expected ?? '?')}.`;
      return `The call resolves with a wrong result (${text(rec.message || 'not what the oracle computed')}).`;
    case 'exception':
      if (rec.distinct_hint === true)
        return `The call rejects with ${code(rec.message || '(empty message)')}, but only when the case passes one input twice (\`dups\` or \`shared\` > 0), never otherwise: if the API takes an input once only, that is the API refusing it, not a bug - mark the entry \`distinct\` and fuzz again.`;
      return `The call rejects with ${code(rec.message || '(empty message)')}, where the same call with its inputs kept alive does not.`;
    case 'timeout':
      return 'The call never settles: the process hangs.';
    case 'v8_fatal':
      return `V8 aborts the process: ${code(rec.message || rec.bug_type)}.`;
    case 'oom':
      return 'The process runs out of memory.';
    default:
      return `The process fails: ${text(rec.signature)}.`;
  }
}

const STEP_WORDS = {
  gc: (s) => `${s.type} GC`, immediate: (s) => `${s.n} setImmediate turn(s)`, sleep_ms: (s) => `sleep ${s.ms} ms`,
  alloc_kb: (s) => `allocate ${s.kb} KiB of garbage`, release: (s) => `release ${s.n} threadpool thread(s)`,
  await: (s) => `await ${s.n} call(s)`, truncate: (s) => `truncate each input array to ${s.len}`,
  pop: (s) => `pop ${s.n} input(s) of each array`, splice: (s) => `remove the first ${s.n} input(s) of each array`,
  replace: (s) => `replace the first ${s.n} input(s) of each array`,
};

// The case in words: what the calls got and what happened meanwhile.
function caseWords(c) {
  const out = [
    `${c.concurrency} call(s) of ${code(c.entry)} at once${c.stagger && c.concurrency > 1 ? `, ${c.stagger} setImmediate turn(s) apart` : ''}, each given an array of ${c.elems} input(s) of size ${c.len_mix ? `up to ${c.elem_len}` : c.elem_len} (data seed ${c.seed})${c.shared ? `, the first ${c.shared} the same objects in every call` : ''}${c.dups ? `, the last ${c.dups} repeating earlier ones` : ''};`,
    c.keep ? 'every input stays referenced until its call settles;' : 'no reference to any input is kept once the calls are made;',
  ];
  if (c.delay_us) out.push(`the worker's delay ${c.delay_us} µs (for targets with a delay knob);`);
  if (c.gate) out.push('the window gate holds every threadpool thread until the GC schedule is over, so the native work starts after it;');
  out.push(c.gc.length ? `then: ${c.gc.map((s) => (STEP_WORDS[s.op] || ((x) => x.op))(s)).join(', ')}; then every call is awaited.` : 'then every call is awaited.');
  return out.map((l) => `- ${l}`).join('\n');
}

function stack(title, frames) {
  if (!Array.isArray(frames) || frames.length === 0) return '';
  const lines = frames.slice(0, 16).map((f, i) => `${f && f.target ? '=>' : '  '} #${i} ${cleanText(f && f.function, 200)}${f && f.location ? ` ${cleanText(noMachinePath(f.location), 200)}` : ''}`);
  return `**${title}** (\`=>\`: the addon's frames)\n\n\`\`\`\n${lines.join('\n').replace(/`/g, "'")}\n\`\`\`\n`;
}

function needsGc(rec) {
  const c = rec.control;
  if (!c || !Number.isInteger(c.runs) || c.runs === 0) return 'unknown (no control run)';
  if (c.failed === 0) return `yes: with every input kept referenced until its call settled, the case failed in 0 of ${c.runs} runs. The failure needs the GC to collect an input mid-call: a lifetime bug.`;
  return `no: it failed in ${c.failed} of ${c.runs} runs with every input kept, so it is not (only) a lifetime bug.`;
}

// The addon modules the failure ran in: an ASan frame's module, a release
// frame's "x.node+0x12".
function addonModules(rec) {
  const out = [];
  for (const f of [...(rec.frames || []), ...(rec.free_frames || [])]) {
    if (!f || !f.target) continue;
    const m = typeof f.module === 'string' && f.module.endsWith('.node') ? f.module : (/^(\/.*\.node)\+0x/.exec(String(f.location)) || [])[1];
    if (m && !out.includes(m)) out.push(m);
  }
  return out;
}

function readPackage(dir) {
  try {
    const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    // a private package only when it is an addon (the demo's), not a tool's
    const addon = p && (p.gypfile || p.napi || fs.existsSync(path.join(dir, 'binding.gyp')));
    return p && typeof p.name === 'string' && (!p.private || addon) ? p : null;
  } catch {
    return null;
  }
}

// The package under test: the nearest package.json above the addon module
// the failure ran in, else the build when it is a package directory, else
// the nearest one above the target.
function packageOf(rec, spec) {
  const up = (d, n) => Array.from({ length: n }, (_, i) => path.resolve(d, ...Array(i).fill('..')));
  const dirs = [...addonModules(rec).flatMap((m) => up(path.dirname(m), 6)), spec.build, ...up(path.dirname(path.resolve(spec.target)), 4)];
  for (const d of dirs) {
    const p = d && readPackage(d);
    if (p) return p;
  }
  return null;
}

const HINTS = [
  ['napi-rs', (p) => p.napi || Object.keys(p.optionalDependencies || {}).some((d) => /-(linux|darwin|win32)-/.test(d)), 'napi-rs: take owned values (`Vec<T>`, `Buffer`, `String`) instead of borrowed ones (`&T`, `Vec<&T>`, `&[u8]`) in an `async fn` or `Task`, or hold a `Ref<T>` until it completes'],
  ['node-addon-api', (p) => deps(p).includes('node-addon-api'), 'node-addon-api: copy the data in the `AsyncWorker` constructor, or keep the object in a `Napi::Reference` (`Napi::Persistent(obj)`) released in `OnOK`/`OnError`'],
  ['nan', (p) => deps(p).includes('nan'), 'nan: `SaveToPersistent(key, obj)` in the `Nan::AsyncWorker` constructor (released with the worker), or copy the data before `AsyncQueueWorker`'],
  ['Node-API', () => false, 'Node-API: copy the data in the call before `napi_queue_async_work`, or `napi_create_reference` to the object there and `napi_delete_reference` in the complete callback'],
];
const deps = (p) => Object.keys({ ...(p.dependencies || {}), ...(p.devDependencies || {}), ...(p.peerDependencies || {}) });

function fixHint(rec, pkg) {
  if (!(rec.control && rec.control.failed === 0 && rec.control.runs > 0) && rec.kind !== 'asan') return '';
  // The binding the package depends on first; none found: plain Node-API.
  const rank = (h) => (pkg && h[1](pkg) ? 0 : h[0] === 'Node-API' ? 1 : 2);
  const ordered = [...HINTS].sort((a, b) => rank(a) - rank(b));
  return `## How to fix it\n\nThe native side keeps a pointer into a JS object (an input, \`this\`, a Buffer in an options object) and reads it after the call returned, without keeping the object alive. Either make an owning copy before the work is queued, or hold a reference until the work completes:\n\n${ordered.map(([, , h]) => `- ${h}`).join('\n')}\n`;
}

function issue(spec) {
  const rec = readRecord(spec.record);
  const { key, case: c } = caseOf(rec, spec.record);
  const pkg = packageOf(rec, spec);
  const portable = { ...spec, build: noMachinePath(spec.build) };
  const script = generate(portable, null, { portable: true });
  // A fence longer than any run of backticks in the script.
  const fence = '`'.repeat(Math.max(3, ...(script.match(/`+/g) || []).map((r) => r.length + 1)));
  const fresh = rate(key === 'case' ? rec.reproducibility : rec.minimized_rate);
  const warm = rate(rec.reproducibility_warm);
  const title = `${rec.kind === 'asan' ? text(rec.bug_type) : text(rec.kind)}${where(rec)} (${code(c.entry)})${pkg ? ` in ${text(pkg.name)}@${text(pkg.version || '?')}` : ''}`;
  const env = [
    pkg ? `- package: ${code(`${pkg.name}@${pkg.version || '?'}`)}` : '- package: (no package.json beside the target)',
    `- Node: ${code(rec.node_version || '?')} on ${process.platform} ${process.arch}`,
    `- build: ${code(noMachinePath(rec.addon_build || spec.build))}${spec.sanitizer === 'address' ? ' (AddressSanitizer)' : ''}${Array.isArray(rec.v8_flags) && rec.v8_flags.length ? `, V8 flags ${code(rec.v8_flags.join(' '))}` : ''}`,
    `- threadpool: ${spec.threadpool_size} thread(s) (\`UV_THREADPOOL_SIZE\`)`,
    `- found by gcfuzz ${text(spec.version)}: ${Number.isInteger(rec.count) ? rec.count : '?'} occurrence(s), first ${text(rec.first_seen || '?')}`,
  ];
  const rates = [`fresh processes: ${fresh || 'not confirmed'}`, ...(warm ? [`warm processes: ${warm}`] : [])];
  return [
    `# ${title}`,
    '',
    summary(rec),
    '',
    '## Environment',
    '',
    env.join('\n'),
    '',
    `## The case${key === 'case' ? '' : ' (minimized)'}`,
    '',
    caseWords(c),
    '',
    ...[stack('Access', rec.frames), stack('Freed by', rec.free_frames), stack('Allocated by', rec.alloc_frames)].filter(Boolean),
    '## Does it need the GC?',
    '',
    needsGc(rec),
    '',
    `Reproduced in ${rates.join(', ')}.`,
    '',
    fixHint(rec, pkg),
    '## Reproducer',
    '',
    `A standalone script (no fuzzer needed). Save it as \`repro.js\` beside the target (\`${text(path.basename(spec.target))}\`, inlined below; its own requires resolve from there, or from \`--dir D\`) and run \`node repro.js 10${spec.build !== portable.build ? ' --build <your build>' : ''}\`: it runs the case in 10 fresh processes and says for each whether the failure showed.`,
    '',
    `<details><summary>repro.js (${script.split('\n').length} lines)</summary>`,
    '',
    `${fence}js`,
    script,
    fence,
    '',
    '</details>',
    '',
  ].join('\n');
}

if (require.main === module) toolMain('report', (spec) => issue(spec));

module.exports = { issue, summary, caseWords, noMachinePath };

#!/usr/bin/env node
// gcfuzz harness: the adapter the runner drives. Run as
//   node --expose-gc addon/harness.js [--build release|asan|PATH.node] [--once]
// Protocol (README "Harness contract"): one JSON case per stdin line; on
// stdout, JSON lines: a `ready` line at start, then per case a `start` line
// *before* any work (so a runner knows what was in flight if we die) and one
// `result` line. --once: run one case, then exit.
'use strict';
const readline = require('node:readline');
const { load } = require('./index.js');
const { parseCase, CaseError, ARRAY_OPS } = require('./lib/case.js');

// Case entry -> addon function and what it takes: `elems` (an array of
// Elem), `typed` (an array of Float64Array) or `self` (an Elem method).
// bug: a positive control, the bug on purpose (README "The zoo").
const ENTRIES = {
  sum: { fn: 'sumAsync', kind: 'elems' },
  sum_ref: { fn: 'sumRefAsync', kind: 'elems' },
  sum_borrowed: { fn: 'sumBorrowedAsync', kind: 'elems', bug: true },
  sum_array_ref: { fn: 'sumArrayRefAsync', kind: 'elems', bug: true },
  sum_array_ref_fixed: { fn: 'sumArrayRefFixedAsync', kind: 'elems' },
  sum_weak_ref: { fn: 'sumWeakRefAsync', kind: 'elems', bug: true },
  sum_typed: { fn: 'sumTypedAsync', kind: 'typed', bug: true },
  sum_typed_copy: { fn: 'sumTypedCopyAsync', kind: 'typed' },
  sum_self: { fn: 'sumSelfAsync', kind: 'self', bug: true },
  sum_self_ref: { fn: 'sumSelfRefAsync', kind: 'self' },
};

function parseArgs(argv) {
  const opts = { build: process.env.GCFUZZ_BUILD || 'release', once: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--once') opts.once = true;
    else if (argv[i] === '--build' && i + 1 < argv.length) opts.build = argv[++i];
    else {
      process.stderr.write(`harness: unknown argument '${argv[i]}'\n`);
      process.exit(2);
    }
  }
  return opts;
}

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

// Elem seeds per (call k, element i): distinct, reproducible from the case.
function elemSeed(c, k, i) {
  return (Math.imul(c.seed, 2654435761) + Math.imul(k, 65599) + i) >>> 0;
}

// One input object of the entry's kind, and its exact sum.
function makeItem(addon, kind, len, seed) {
  if (kind === 'typed') {
    const a = addon.fillValues(new Float64Array(len), seed);
    let sum = 0;
    for (let i = 0; i < len; i++) sum += a[i];
    return { item: a, sum };
  }
  const e = new addon.Elem(len, seed);
  return { item: e, sum: e.sum() };
}

function callEntry(addon, entry, arr, opts) {
  if (entry.kind !== 'self') return addon[entry.fn](arr, opts);
  return Promise.all(arr.map((e) => e[entry.fn](opts))).then((v) => v.reduce((a, b) => a + b, 0));
}

// Not async on purpose: the inputs are created and handed to the entry inside
// this frame, and once it returns no JS reference to them is left - unless
// the schedule has array ops, in which case the arrays (not their elements)
// are returned in `held` for those ops to edit.
function launch(addon, entry, c, hold) {
  const calls = [];
  const held = [];
  for (let k = 0; k < c.concurrency; k++) {
    const arr = new Array(c.elems);
    let expected = 0;
    for (let i = 0; i < c.elems; i++) {
      const { item, sum } = makeItem(addon, entry.kind, c.elem_len, elemSeed(c, k, i));
      arr[i] = item;
      expected += sum;
    }
    calls.push({ expected, promise: callEntry(addon, entry, arr, { delayUs: c.delay_us }) });
    if (hold) held.push(arr);
  }
  return { calls, held };
}

// Array ops edit the held arrays: what they remove becomes unreachable.
function editArrays(addon, entry, c, held, step) {
  for (const arr of held) {
    if (step.op === 'truncate') arr.length = Math.min(arr.length, step.len);
    else if (step.op === 'pop') for (let i = 0; i < step.n && arr.length; i++) arr.pop();
    else if (step.op === 'splice') arr.splice(0, step.n);
    else if (step.op === 'replace')
      for (let i = 0; i < Math.min(step.n, arr.length); i++) arr[i] = makeItem(addon, entry.kind, c.elem_len, 0).item;
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function runStep(step, edit) {
  switch (step.op) {
    case 'gc':
      global.gc({ type: step.type, execution: 'sync' });
      break;
    case 'immediate':
      for (let i = 0; i < step.n; i++) await turn();
      break;
    case 'sleep_ms':
      await new Promise((resolve) => setTimeout(resolve, step.ms));
      break;
    case 'alloc_kb': {
      // Short-lived garbage: about 1 KiB per array of 128 doubles.
      let junk = [];
      for (let i = 0; i < step.kb; i++) junk.push(new Array(128).fill(i + 0.5));
      junk = null;
      break;
    }
    default:
      edit(step);
  }
}

async function runCase(addon, c) {
  const t0 = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
  const entry = ENTRIES[c.entry];
  let calls;
  let held;
  try {
    ({ calls, held } = launch(addon, entry, c, c.gc.some((s) => ARRAY_OPS.includes(s.op))));
  } catch (e) {
    return { outcome: 'exception', message: String(e && e.message), ms: ms() };
  }
  for (const step of c.gc) await runStep(step, (st) => editArrays(addon, entry, c, held, st));
  held = null;
  const settled = await Promise.allSettled(calls.map((x) => x.promise));
  const expected = calls.reduce((a, x) => a + x.expected, 0);
  let result = 0;
  for (let k = 0; k < settled.length; k++) {
    const s = settled[k];
    if (s.status === 'rejected')
      return { outcome: 'exception', call: k, message: String(s.reason && s.reason.message), ms: ms() };
    result += s.value;
    if (s.value !== calls[k].expected)
      return { outcome: 'mismatch', call: k, result: s.value, expected: calls[k].expected, ms: ms() };
  }
  return { outcome: 'ok', result, expected, ms: ms() };
}

// A valid case, or an error result naming the field; the line is parsed once
// and a string id in it is reported back even when the case is rejected.
function decode(line) {
  let obj;
  try {
    obj = JSON.parse(line);
  } catch (e) {
    return { error: `not JSON: ${e.message}`, id: null };
  }
  const id = obj && typeof obj.id === 'string' ? obj.id : null;
  try {
    const c = parseCase(obj);
    if (!(c.entry in ENTRIES))
      throw new CaseError(`entry: unknown entry '${c.entry}' (this harness has ${Object.keys(ENTRIES).join(', ')})`);
    return { case: c };
  } catch (e) {
    return { error: e.message, id }; // a bad line never stops the harness
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (typeof global.gc !== 'function') {
    process.stderr.write('harness: run node with --expose-gc\n');
    process.exit(2);
  }
  const addon = load(opts.build);
  emit({ event: 'ready', pid: process.pid, node: process.version, build: addon.build, entries: Object.keys(ENTRIES) });
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    const d = decode(line);
    if (d.error) {
      emit({ event: 'result', id: d.id, outcome: 'error', message: d.error });
      if (opts.once) break;
      continue;
    }
    const c = d.case;
    emit({ event: 'start', id: c.id });
    emit({ event: 'result', id: c.id, ...(await runCase(addon, c)) });
    if (opts.once) break;
  }
  rl.close();
  process.stdin.destroy();
}

main().catch((e) => {
  process.stderr.write(`harness: ${e && e.stack}\n`);
  process.exit(1);
});

// One case, for any target: build the inputs, call the entry, drop every
// reference, run the GC schedule (with the window gate), await, compare with
// the oracle. Nothing here knows what an input is; the target's entry says.
'use strict';
const { isDeepStrictEqual } = require('node:util');
const { makeRng } = require('./prng.js');
const { ARRAY_OPS } = require('./case.js');
const { WindowProbe } = require('./window.js');

const SHARED_STREAM = 0xffff; // the PRNG stream of the shared inputs

// An error in the target's own code (input, oracle, equal, the hooks), not
// in the addon's: the case could not be run as written. Reported as its own
// outcome, `target_error`, never as the addon's exception.
class TargetCodeError extends Error {
  constructor(where, error) {
    super(messageOf(error));
    this.where = where;
    this.error = error;
  }
}

function targetCode(where, fn) {
  try {
    return fn();
  } catch (e) {
    throw new TargetCodeError(where, e);
  }
}

// The outcome of a TargetCodeError: where, what, and the first frames.
function targetError(e, ms) {
  return { outcome: 'target_error', where: e.where, ...exceptionOf(e.error), ms };
}

function inputSize(c, rng) {
  return c.len_mix ? rng.below(c.elem_len + 1) : c.elem_len;
}

function makeInputs(entry, ctx, c, rng, n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = targetCode('input', () => entry.input(rng, inputSize(c, rng), ctx));
  return out;
}

// Call k's array: `shared` objects common to every call first, fresh ones
// next, and the last `dups` slots repeating earlier slots of the same array.
// An entry marked `distinct` (an input may be in flight once only, by its
// API's contract) gets neither. The probe watches each new object.
function buildArray(entry, ctx, c, k, shared, probe) {
  const rng = makeRng(c.seed, k);
  const n = c.elems;
  const nDups = entry.distinct ? 0 : Math.min(c.dups, Math.max(n - 1, 0));
  const distinct = n - nDups;
  const nShared = Math.min(shared.length, distinct);
  const arr = new Array(n);
  if (nShared > 0) probe.share();
  for (let i = 0; i < distinct; i++) {
    if (i < nShared) {
      arr[i] = shared[i];
      if (k === 0) probe.watch(arr[i], 0);
    } else {
      arr[i] = targetCode('input', () => entry.input(rng, inputSize(c, rng), ctx));
      probe.watch(arr[i], k);
    }
  }
  for (let i = distinct; i < n; i++) arr[i] = arr[(i - distinct) % distinct];
  return arr;
}

// Marks call k settled (the probe keeps which calls are pending) without
// capturing anything else: a closure that saw the inputs would keep them
// alive and hide the bug.
function track(promise, probe, k) {
  const done = () => probe.settled(k);
  return promise.then(done, done);
}

// Not async on purpose: the inputs exist only in this frame, and once it
// returns no JS reference to them is left, unless `hold` asks for the array
// (array ops edit it; its elements go when the ops remove them).
function launch(entry, ctx, c, k, shared, run) {
  const arr = buildArray(entry, ctx, c, k, shared, run.probe);
  const expected = entry.oracle ? targetCode('oracle', () => entry.oracle(arr, ctx)) : undefined;
  let promise;
  try {
    promise = Promise.resolve(entry.call(arr, ctx, c));
  } catch (e) {
    promise = Promise.reject(e);
  }
  track(promise, run.probe, k);
  if (run.held) run.held.push(arr);
  if (run.kept) run.kept.push([...arr]); /* keep: the elements, whatever array ops do */
  return settling({ expected, promise, state: null });
}

// Keeps how the call settled in call.state, as soon as it did: a teardown
// judges the calls settled by then without waiting for the others.
function settling(call) {
  call.promise.then(
    (value) => (call.state = { status: 'fulfilled', value }),
    (reason) => (call.state = { status: 'rejected', reason }),
  );
  return call;
}

// The calls, `stagger` turns apart. Its own frame holds the shared inputs:
// once it has returned nothing of runCase's can (a suspended async frame
// keeps its registers, and kept them alive while every call ran).
async function launchAll(entry, ctx, c, run, calls) {
  const shared = c.shared && !entry.distinct ? makeInputs(entry, ctx, c, makeRng(c.seed, SHARED_STREAM), Math.min(c.shared, c.elems)) : [];
  for (let k = 0; k < c.concurrency; k++) {
    if (k > 0) for (let i = 0; i < c.stagger; i++) await turn();
    calls.push(launch(entry, ctx, c, k, shared, run));
  }
}

function editArrays(entry, ctx, c, held, step) {
  const rng = makeRng(c.seed, SHARED_STREAM + 1);
  for (const arr of held) {
    if (step.op === 'truncate') arr.length = Math.min(arr.length, step.len);
    else if (step.op === 'pop') for (let i = 0; i < step.n && arr.length; i++) arr.pop();
    else if (step.op === 'splice') arr.splice(0, step.n);
    else if (step.op === 'replace')
      for (let i = 0; i < Math.min(step.n, arr.length); i++) arr[i] = targetCode('input', () => entry.input(rng, inputSize(c, rng), ctx));
  }
}

// Three kinds of forced GC, because they differ where it matters (Node 20,
// measured): the options form gc({type:'major'}) is quick but leaves
// unreachable plain JS objects, WeakRef targets and Buffers in place (8 of 8
// WeakRef targets still alive after it); a plain gc() ('full') frees them
// all but takes longer, so a short worker delay may be over before the
// finalizers run. Napi-wrapped objects are finalized by both.
function runGc(type) {
  if (type === 'full') global.gc();
  else global.gc({ type, execution: 'sync' });
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitSettled(probe, n) {
  while (probe.settledCount() < n) await turn();
}

async function runStep(step, run) {
  switch (step.op) {
    case 'gc':
      run.probe.beforeGc();
      runGc(step.type);
      break;
    case 'immediate':
      for (let i = 0; i < step.n; i++) await turn();
      break;
    case 'sleep_ms':
      await sleep(step.ms);
      break;
    case 'alloc_kb': {
      // Short-lived garbage: about 1 KiB per array of 128 doubles.
      let junk = [];
      for (let i = 0; i < step.kb; i++) junk.push(new Array(128).fill(i + 0.5));
      junk = null;
      break;
    }
    case 'release':
      run.gate.release(step.n);
      break;
    case 'await':
      run.gate.beforeAwait();
      await waitSettled(run.probe, Math.min(step.n, run.calls));
      break;
    default:
      if (ARRAY_OPS.includes(step.op)) editArrays(run.entry, run.ctx, run.c, run.held, step);
      else throw new Error(`unknown step ${step.op}`);
  }
}

// A JSON-safe, short rendering of a value for a result line.
function brief(v) {
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Buffer.isBuffer(v) || ArrayBuffer.isView(v)) return `<${v.constructor.name} ${Buffer.from(v.buffer, v.byteOffset, Math.min(v.byteLength, 32)).toString('hex')}${v.byteLength > 32 ? '...' : ''}>`;
  let s;
  try {
    s = JSON.stringify(v);
  } catch {
    s = undefined;
  }
  if (s === undefined) s = String(v);
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

function messageOf(e) {
  return String(e && typeof e === 'object' && 'message' in e ? e.message : e);
}

// An exception outcome's fields: an empty message still says what it was
// (its name and code), and the first frames say where.
function exceptionOf(e) {
  const isObj = e !== null && typeof e === 'object';
  const name = isObj && e.name ? String(e.name) : typeof e;
  const code = isObj && e.code !== undefined ? String(e.code) : undefined;
  const message = messageOf(e) || `${name}${code ? ` ${code}` : ''} (empty message)`;
  const stack = isObj && typeof e.stack === 'string' ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 5).map((l) => l.trim()) : [];
  return { message, name, ...(code !== undefined ? { code } : {}), stack };
}

// The verdict on the calls' results: settled[k] is how call k settled, or
// null for a call still in flight when a teardown ended its Worker (its
// result never comes, so it is not judged; nor one whose oracle, a
// Promise, has not answered by then).
async function compare(entry, calls, settled) {
  let checked = 0;
  for (let k = 0; k < settled.length; k++) {
    const s = settled[k];
    if (!s) continue;
    if (s.status === 'rejected') return { outcome: 'exception', call: k, ...exceptionOf(s.reason) };
    if (!entry.oracle) continue;
    // An oracle may answer with a Promise (hunt's differential oracle runs
    // the same call on kept copies); it was started before the call.
    const expected = await hook('oracle', () => calls[k].expected);
    const same = entry.equal ? targetCode('equal', () => entry.equal(s.value, expected)) : isDeepStrictEqual(s.value, expected);
    if (!same) return { outcome: 'mismatch', call: k, result: brief(s.value), expected: brief(expected) };
    checked++;
  }
  return { outcome: 'ok', checked }; // checked: calls compared with the oracle
}

// beforeCase, the gate, the inputs and the calls, every reference to the
// inputs dropped: { run, calls }, or { result } when it failed before the
// schedule.
async function startCalls(target, ctx, c, gate, probe, ms) {
  const entry = target.entries[c.entry];
  const run = { entry, ctx, c, gate, probe, calls: c.concurrency, held: null, kept: c.keep ? [] : null };
  probe.begin(c.concurrency, c.stagger > 0);
  if (c.gc.some((s) => ARRAY_OPS.includes(s.op))) run.held = [];
  const calls = [];
  try {
    if (target.beforeCase) await hook('beforeCase', () => target.beforeCase(ctx, c));
    if (c.gate) gate.hold();
    await launchAll(entry, ctx, c, run, calls);
  } catch (e) {
    gate.release();
    await Promise.allSettled(calls.map((x) => x.promise));
    return { result: e instanceof TargetCodeError ? targetError(e, ms()) : { outcome: 'exception', ...exceptionOf(e), ms: ms() } };
  }
  return { run, calls };
}

function stopwatch() {
  const t0 = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - t0) / 1e6;
}

async function runCase(target, ctx, c, gate, probe = new WindowProbe()) {
  const ms = stopwatch();
  const started = await startCalls(target, ctx, c, gate, probe, ms);
  if (started.result) return started.result;
  const { run, calls } = started;
  let res;
  try {
    try {
      for (const step of c.gc) await runStep(step, run);
    } finally {
      gate.release(); // the schedule is over: the rest of the window opens
    }
    run.held = null;
    res = await compare(run.entry, calls, await Promise.allSettled(calls.map((x) => x.promise)));
  } catch (e) {
    if (!(e instanceof TargetCodeError)) throw e;
    await Promise.allSettled(calls.map((x) => x.promise));
    return targetError(e, ms());
  }
  run.kept = null; // every call settled: a kept input may go now
  const elapsed = ms();
  await turn(); // lets the last GC entries and finalization callbacks in
  const window = probe.end();
  if (target.afterCase) {
    try {
      await hook('afterCase', () => target.afterCase(ctx, c));
    } catch (e) {
      return targetError(e, elapsed);
    }
  }
  return { ...res, ms: elapsed, window };
}

// A teardown case's part, in its Worker (harness/teardown-worker.js): the
// calls and the first `at` steps of the schedule, then the verdict on the
// calls settled by then and how many are still in flight. The gate stays
// as it is: the harness lets it go once the Worker is ending, so held work
// runs against an environment being torn down. No afterCase: the
// environment ends instead.
async function runCaseUntil(target, ctx, c, gate, probe, at) {
  const ms = stopwatch();
  const started = await startCalls(target, ctx, c, gate, probe, ms);
  if (started.result) return started.result;
  const { run, calls } = started;
  try {
    for (const step of c.gc.slice(0, at)) await runStep(step, run);
    const settled = calls.map((x) => (x.state && (x.state.status === 'rejected' || !isThenable(x.expected)) ? x.state : null));
    const res = await compare(run.entry, calls, settled);
    return { ...res, ms: ms(), pending: calls.filter((x) => !x.state).length };
  } catch (e) {
    if (!(e instanceof TargetCodeError)) throw e;
    return targetError(e, ms());
  }
}

const isThenable = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';

// A hook that may be async: a throw or a rejection is the target's own.
async function hook(where, fn) {
  try {
    return await fn();
  } catch (e) {
    throw new TargetCodeError(where, e);
  }
}

module.exports = { runCase, runCaseUntil, brief, exceptionOf, TargetCodeError };

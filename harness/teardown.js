// Environment teardown (case field `teardown`, doc/case-format.md): the
// case's calls run in a worker_threads Worker (harness/teardown-worker.js),
// which ends at step `teardown_at` of the schedule with calls in flight -
// terminated by us (1) or by its own process.exit() (2). Addons that work
// on the main thread crash there: a complete callback or a finalizer runs
// against a torn-down environment, a cleanup hook is missing.
//
// The order, for each case: the Worker sets the target up, makes the calls
// and runs its steps (gate operations done here, on the process's pool);
// at its teardown point it says how the calls settled so far; we announce
// the teardown to the runner (a `teardown` line: what dies from now on
// dies of it), end the Worker, let the libuv pool go (held work now runs
// against the environment being torn down: Node waits for its Node-API
// async work before the cleanup hooks), wait for its exit, and let the
// other pools the gate holds go (their work comes back to an environment
// that is gone; nothing waits for it). Then for what it left
// running on other threads (an addon's own pool still working for it): the
// case is answered once they are all parked, so a crash they cause is
// blamed on this case. A Worker that never exits is a hang at exit: the
// runner's timeout.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { exceptionOf } = require('./driver.js');

const TERMINATE = 1;
const WORKER = path.join(__dirname, 'teardown-worker.js');
const HOW = { 1: 'terminate', 2: 'exit' };

// Bounds the wait for the other threads to park: above the time an ASan
// report takes (measured: 2 s of symbolizing node, ERROR line to abort).
// A thread that was not parked before the Worker started (a target's busy
// poller) is not waited for.
const QUIET_MAX_MS = 5000;
// x86-64 system calls an idle thread of Node's, V8's or a pool's waits in
// (futex, epoll_wait, epoll_pwait, epoll_pwait2). Not a read: an ASan
// report is written by a thread that reads its symbolizer's answers (a
// read counted as parked let a case be answered before its report, 1 run
// in 3); a target's thread that waits in one costs the bound.
const PARKED = new Set(['202', '232', '281', '441']);

// Whether thread tid is parked: sleeping (its /proc stat state is S; a
// thread woken but not yet on a CPU is R, though its system call has not
// returned) in one of the PARKED calls (/proc/self/task/TID/syscall, as
// harness/native/gate.c reads it). A thread gone meanwhile is.
function parked(tid) {
  let stat, call;
  try {
    stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    call = fs.readFileSync(`/proc/self/task/${tid}/syscall`, 'utf8');
  } catch {
    return true;
  }
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'S' && PARKED.has(call.split(' ')[0]);
}

const WATCHED = process.platform === 'linux' && process.arch === 'x64';

// The threads but the main one that are not parked now (Linux x86-64;
// elsewhere none).
function busyThreads() {
  let tids = [];
  try {
    if (WATCHED) tids = fs.readdirSync('/proc/self/task');
  } catch {
    // no /proc: nothing to watch
  }
  return tids.filter((tid) => Number(tid) !== process.pid && !parked(tid));
}

// Until the threads but `before` (busy before the Worker) have been parked
// twice in a row a millisecond apart, at most QUIET_MAX_MS.
async function quiet(before) {
  if (!WATCHED) return;
  const end = Date.now() + QUIET_MAX_MS;
  for (let calm = 0; calm < 2 && Date.now() < end; ) {
    calm = busyThreads().every((tid) => before.includes(tid)) ? calm + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

class Teardown {
  // opts: the harness's (target, build, args); gate: its PoolGate; emit:
  // writes a protocol line.
  constructor(opts, gate, emit) {
    this.opts = opts;
    this.gate = gate;
    this.emit = emit;
    this.noWorker = null; // why the target cannot run in a Worker, once known
  }

  async run(c) {
    const t0 = Date.now();
    if (!this.noWorker) {
      const before = busyThreads();
      const ended = await this.inWorker(c);
      if (!ended.noWorker) return this.verdict(c, ended, before, Date.now() - t0);
      this.noWorker = ended.noWorker;
    }
    // Not run: said in the result, once per run by the runner.
    return { outcome: 'ok', checked: 0, ms: Date.now() - t0, lacks: ['worker'], message: `the target cannot run in a worker_threads Worker: ${this.noWorker}` };
  }

  // Runs c in a Worker until it has exited: { result, code } or { noWorker }.
  inWorker(c) {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const data = { target: path.resolve(this.opts.target), build: this.opts.build, args: this.opts.args, c, flag };
    let worker;
    try {
      worker = new Worker(WORKER, { workerData: data });
    } catch (e) {
      return Promise.resolve({ noWorker: exceptionOf(e).message });
    }
    return new Promise((resolve) => {
      let result = null;
      let noWorker = null;
      const answer = () => {
        Atomics.add(flag, 0, 1);
        Atomics.notify(flag, 0);
      };
      worker.on('message', (m) => {
        if (m.gate) {
          this.gate[m.gate](m.n);
          answer();
        } else if (m.event === 'no_worker') {
          noWorker = m.message;
        } else if (m.event === 'end') {
          result = m.result;
          this.emit({ event: 'teardown', id: c.id, how: HOW[c.teardown], pending: result.pending || 0 });
          if (c.teardown === TERMINATE) worker.terminate();
          else answer();
          this.gate.releaseLibuv();
        }
      });
      // Before its teardown point, the Worker's own failure (after it,
      // the environment is going, and what it throws then is not a call's).
      worker.on('error', (e) => {
        if (!result) result = { outcome: 'exception', ...exceptionOf(e) };
      });
      worker.on('exit', (code) => {
        this.gate.release();
        resolve(noWorker ? { noWorker } : { result, code });
      });
    });
  }

  async verdict(c, ended, before, ms) {
    if (!ended.result)
      return { outcome: 'target_error', where: 'worker', name: 'Error', message: `the Worker exited (code ${ended.code}) before its teardown point`, stack: [], ms };
    await quiet(before);
    const { pending = 0, ...res } = ended.result;
    return { ...res, teardown: { how: HOW[c.teardown], at: Math.min(c.teardown_at, c.gc.length), pending, exit_code: ended.code } };
  }
}

module.exports = { Teardown, busyThreads };

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
// dies of it), end the Worker, let the gate go (held work now runs against
// the environment being torn down: Node waits for its Node-API async work
// before the cleanup hooks), and wait for its exit. Then for what it left
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

// Bounds the wait for the other threads to park: a target's thread that
// never does (a busy poller) costs a teardown case this much, no more.
const QUIET_MAX_MS = 1000;
// x86-64 system calls a thread waits in when it is parked (read, poll,
// select, futex, epoll_wait, pselect6, ppoll, epoll_pwait, epoll_pwait2):
// not sleeping for a time, not running.
const PARKED = new Set(['0', '7', '23', '202', '232', '270', '271', '281', '441']);

// Whether every thread but the main one is parked (/proc/self/task/TID/
// syscall, as harness/native/gate.c reads it).
function othersParked() {
  let tids;
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return true;
  }
  for (const tid of tids) {
    if (Number(tid) === process.pid) continue;
    let line;
    try {
      line = fs.readFileSync(`/proc/self/task/${tid}/syscall`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (!PARKED.has(line.split(' ')[0])) return false;
  }
  return true;
}

// Until the other threads have been parked twice in a row a millisecond
// apart (a thread just woken to take queued work may not run yet), at most
// QUIET_MAX_MS. Linux x86-64 only; elsewhere at once.
async function quiet() {
  if (process.platform !== 'linux' || process.arch !== 'x64') return;
  const end = Date.now() + QUIET_MAX_MS;
  for (let calm = 0; calm < 2 && Date.now() < end; ) {
    calm = othersParked() ? calm + 1 : 0;
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
      const ended = await this.inWorker(c);
      if (!ended.noWorker) return this.verdict(c, ended, Date.now() - t0);
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
      worker.on('message', (m) => {
        if (m.gate) {
          this.gate[m.gate](m.n);
          Atomics.add(flag, 0, 1);
          Atomics.notify(flag, 0);
        } else if (m.event === 'no_worker') {
          noWorker = m.message;
        } else if (m.event === 'end') {
          result = m.result;
          this.emit({ event: 'teardown', id: c.id, how: HOW[c.teardown], pending: result.pending || 0 });
          if (c.teardown === TERMINATE) worker.terminate();
          this.gate.release();
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

  async verdict(c, ended, ms) {
    if (!ended.result)
      return { outcome: 'target_error', where: 'worker', name: 'Error', message: `the Worker exited (code ${ended.code}) before its teardown point`, stack: [], ms };
    await quiet();
    const { pending = 0, ...res } = ended.result;
    return { ...res, teardown: { how: HOW[c.teardown], at: Math.min(c.teardown_at, c.gc.length), pending, exit_code: ended.code } };
  }
}

module.exports = { Teardown, othersParked };

// The worker_threads Worker of a teardown case (harness/teardown.js starts
// it): loads the target in a fresh environment, makes the case's calls, runs
// the first `teardown_at` steps of its schedule, says how the calls settled
// by then, and ends with calls in flight - blocked until the harness
// terminates it (teardown 1), or by process.exit() (teardown 2).
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { loadTarget } = require('./target.js');
const { runCaseUntil, exceptionOf } = require('./driver.js');
const { WindowProbe } = require('./window.js');

const EXIT = 2;

// Posts msg and waits until the harness has acted on it (it bumps flag).
function ask(flag, msg) {
  const seen = Atomics.load(flag, 0);
  parentPort.postMessage(msg);
  Atomics.wait(flag, 0, seen);
}

// The harness's window gate, which is the main thread's: the libuv pool is
// the process's, and held reads queued by this environment would keep its
// teardown waiting on them. Each operation runs there before this returns
// (a message, then Atomics.wait until the harness has done it), so a hold
// comes before the calls as in the main thread.
class GateProxy {
  constructor(flag) {
    this.flag = flag;
  }

  ask(op, n) {
    ask(this.flag, { gate: op, n });
  }

  hold() {
    this.ask('hold');
  }

  release(n) {
    this.ask('release', n);
  }

  beforeAwait() {
    this.ask('beforeAwait');
  }
}

// A target whose setup fails here but not on the main thread cannot run
// in a Worker at all (an addon that is not context-aware: "Module did not
// self-register"): said once, never a finding.
async function setup(w) {
  try {
    const target = loadTarget(w.target);
    return { target, ctx: (target.setup && (await target.setup({ build: w.build, args: w.args }))) || {} };
  } catch (e) {
    const x = exceptionOf(e);
    parentPort.postMessage({ event: 'no_worker', message: `${x.name}: ${x.message}` });
    return null;
  }
}

async function main(w) {
  const s = await setup(w);
  if (!s) return;
  const c = w.c;
  const result = await runCaseUntil(s.target, s.ctx, c, new GateProxy(w.flag), new WindowProbe(), Math.min(c.teardown_at, c.gc.length));
  // Once the harness has said `teardown` to the runner: an exit handler
  // that kills the process must die of the teardown (it raced the line
  // 1 run in 4 when the exit came at once).
  ask(w.flag, { event: 'end', result });
  if (c.teardown === EXIT) process.exit(0);
  // Nothing of this environment runs until the harness has terminated it:
  // what is in flight now is in flight at the teardown.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

main(workerData);

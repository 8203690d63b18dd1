// The window gate: occupy every libuv threadpool thread so that async work a
// target queues waits, deterministically, until we let the threads go.
//
// How: one FIFO, opened read+write (on Linux that never blocks) and unlinked
// at once, so nothing is left on disk even after SIGKILL. A 1-byte fs.read on
// it blocks one pool thread until a byte is written; `size` reads queued
// before the target's call hold every thread, and the pool's queue is FIFO,
// so the target's work starts only after release(). Writing n bytes lets n
// threads go, and the queued work then starts in call order. A byte written
// before its read started is simply read at once: no deadlock either way.
//
// Pools that are not libuv's (a napi-rs async fn's tokio workers, an
// addon's own threads) cannot be given blocking work; GCFUZZ_GATE_THREADS
// names them by thread-name prefix (comma-separated, e.g.
// "tokio-runtime-w"), and native/gate.c holds their idle threads in a
// signal handler for the same span, with a watchdog deadline.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

// libuv's default, and what the runner sets (config threadpool_size).
function poolSize(env = process.env) {
  const n = Number.parseInt(env.UV_THREADPOOL_SIZE || '', 10);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 1024) : 4;
}

// The thread-name prefixes of GCFUZZ_GATE_THREADS (at most 8, each at most
// 15 bytes: a Linux thread name's length).
function gateThreads(env = process.env) {
  return String(env.GCFUZZ_GATE_THREADS || '').split(',').map((p) => p.trim()).filter((p) => p && p.length <= 15).slice(0, 8);
}

// Past this a hold of other pools' threads is let go by the watchdog, the
// main thread blocked or not: a parked thread that holds a lock the GC
// needs cannot deadlock the worker for longer.
const THREADS_DEADLINE_MS = 2000;

function loadNative() {
  try {
    return require(path.join(__dirname, 'native', 'gcfuzz_gate.node'));
  } catch (e) {
    process.stderr.write(`gcfuzz gate: GCFUZZ_GATE_THREADS is set, but the thread gate cannot load (${e.message}): only the libuv pool is held\n`);
    return null;
  }
}

class PoolGate {
  constructor(size = poolSize(), threads = gateThreads()) {
    this.size = size;
    this.held = 0; // threads holding (or about to hold) a read
    this.fd = -1;
    this.threads = threads;
    this.native = threads.length ? loadNative() : null;
    this.threadsHeld = 0; // other pools' threads held by the last hold()
    this.timeoutsSeen = 0;
  }

  open() {
    if (this.fd >= 0) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcfuzz-gate-'));
    const fifo = path.join(dir, 'gate');
    try {
      execFileSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore' }); // argv, no shell
      this.fd = fs.openSync(fifo, 'r+');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  // Queues one blocking read per pool thread.
  hold() {
    this.open();
    const buf = Buffer.alloc(1);
    for (let i = this.held; i < this.size; i++) fs.read(this.fd, buf, 0, 1, null, onGateRead);
    this.held = this.size;
    if (this.native) this.threadsHeld = this.native.hold(this.threads, THREADS_DEADLINE_MS);
  }

  // The other pools' threads go with the last libuv thread.
  release(n = this.held) {
    const k = Math.min(n, this.held);
    if (k > 0) fs.writeSync(this.fd, Buffer.alloc(k));
    this.held -= k;
    if (this.held === 0 && this.native) {
      this.native.release();
      const t = this.native.timeouts();
      if (t > this.timeoutsSeen)
        process.stderr.write(`gcfuzz gate: a hold of ${this.threads.join(', ')} threads outlived ${THREADS_DEADLINE_MS} ms; the watchdog let them go (${t} in all)\n`);
      this.timeoutsSeen = t;
    }
  }

  // The libuv threads only: the other pools' stay held until release().
  // A teardown lets the libuv pool go as its Worker ends (Node waits for
  // that work before the environment's cleanup), the other pools once it
  // has exited (nothing waits for them: their work then comes back to an
  // environment that is gone, every time).
  releaseLibuv() {
    if (this.held > 0) fs.writeSync(this.fd, Buffer.alloc(this.held));
    this.held = 0;
  }

  // Before an await step: with every libuv thread held nothing can settle,
  // so all go; other pools' threads have no partial release, and a call on
  // them cannot settle while they are held, so they go in any case.
  beforeAwait() {
    if (this.holdsAll) this.release();
    else if (this.native) this.native.release();
  }

  // Holds the watchdog had to end (a hold that outlived its deadline).
  get threadTimeouts() {
    return this.native ? this.native.timeouts() : 0;
  }

  get holdsAll() {
    return this.held === this.size;
  }
}

function onGateRead(err) {
  if (err) process.stderr.write(`gcfuzz gate: read failed: ${err.message}\n`);
}

module.exports = { PoolGate, poolSize, gateThreads };

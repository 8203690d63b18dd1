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

class PoolGate {
  constructor(size = poolSize()) {
    this.size = size;
    this.held = 0; // threads holding (or about to hold) a read
    this.fd = -1;
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
  }

  release(n = this.held) {
    const k = Math.min(n, this.held);
    if (k > 0) fs.writeSync(this.fd, Buffer.alloc(k));
    this.held -= k;
  }

  get holdsAll() {
    return this.held === this.size;
  }
}

function onGateRead(err) {
  if (err) process.stderr.write(`gcfuzz gate: read failed: ${err.message}\n`);
}

module.exports = { PoolGate, poolSize };

// iltorb@2.4.5: compress() lets its input Buffer be collected while the
// threadpool still reads it (src/enc/stream_encode_worker.cc:14).
//   UV_THREADPOOL_SIZE=4 node --expose-gc repro.js ILTORB_DIR [runs]
// With an ASan build of iltorb, preload the runtime:
//   LD_PRELOAD=$(cc -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0 ...
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const iltorb = require(path.resolve(process.argv[2] || 'node_modules/iltorb'));
const runs = Number(process.argv[3] || 10);
const POOL = Number(process.env.UV_THREADPOOL_SIZE || 4);

// Hold every pool thread with a blocking read on a FIFO: queued work waits.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repro-'));
execFileSync('mkfifo', [path.join(dir, 'gate')]);
const gate = fs.openSync(path.join(dir, 'gate'), 'r+');
fs.rmSync(dir, { recursive: true });
const hold = () => { for (let i = 0; i < POOL; i++) fs.read(gate, Buffer.alloc(1), 0, 1, null, () => {}); };
const release = (n) => fs.writeSync(gate, Buffer.alloc(n));

// The callback is made where no input is in scope: a closure beside one
// that mentions `input` would keep it alive (V8 shares their context).
const settle = (res, rej) => (e, out) => (e ? rej(e) : res(out));
const compress = (input) => new Promise((res, rej) => iltorb.compress(input, settle(res, rej)));

// In a function of its own: once it returns, nothing refers to the inputs.
function start(n, len, seed) {
  const calls = [];
  for (let i = 0; i < n; i++) calls.push(compress(Buffer.allocUnsafeSlow(len).fill(seed + i)));
  return calls;
}

const turn = () => new Promise((r) => setImmediate(r));

async function once(seed) {
  hold();
  const calls = start(11, 512, seed);
  // two full GCs; V8 frees the Buffers' memory on a platform thread
  // (ArrayBufferSweeper), so give it a few milliseconds before the pool runs
  global.gc();
  global.gc({ type: 'minor' });
  release(1);
  global.gc();
  global.gc({ type: 'minor' });
  for (let i = 0; i < 7; i++) await turn();
  await new Promise((r) => setTimeout(r, 1));
  release(POOL - 1);
  const outs = await Promise.all(calls);
  return outs.every((out, i) => iltorb.decompressSync(out).equals(Buffer.alloc(512, seed + i)));
}

(async () => {
  let bad = 0;
  for (let i = 0; i < runs; i++) if (!(await once(i * 11))) bad++;
  console.log(`${bad}/${runs} runs compressed something other than their input`);
  process.exit(bad ? 1 : 0);
})();

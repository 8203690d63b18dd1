// @node-rs/argon2@1.1.0: hash(password, {secret}) reads options.secret on
// the threadpool without keeping it alive (napi 2.1.0: a bindgen Buffer took
// no reference). A hash made while the secret was collected does not verify.
//   UV_THREADPOOL_SIZE=4 node --expose-gc repro.js PACKAGE_DIR [runs]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const argon2 = require(path.resolve(process.argv[2] || 'node_modules/@node-rs/argon2'));
const runs = Number(process.argv[3] || 10);
const POOL = Number(process.env.UV_THREADPOOL_SIZE || 4);

// Hold every pool thread with a blocking read on a FIFO: queued work waits.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repro-'));
execFileSync('mkfifo', [path.join(dir, 'gate')]);
const gate = fs.openSync(path.join(dir, 'gate'), 'r+');
fs.rmSync(dir, { recursive: true });
const hold = () => { for (let i = 0; i < POOL; i++) fs.read(gate, Buffer.alloc(1), 0, 1, null, () => {}); };
const release = (n) => fs.writeSync(gate, Buffer.alloc(n));
const secretOf = (seed) => Buffer.allocUnsafeSlow(3000).fill(seed);

// In a function of its own: once it returns, nothing refers to the secrets.
function start(n, seed) {
  const calls = [];
  for (let i = 0; i < n; i++) calls.push(argon2.hash('password', { secret: secretOf(seed + i) }));
  return calls;
}

async function once(seed) {
  hold();
  const calls = start(8, seed);
  global.gc();
  await new Promise((r) => setImmediate(r));
  global.gc();
  release(POOL);
  const hashes = await Promise.all(calls);
  const ok = await Promise.all(hashes.map((h, i) => argon2.verify(h, 'password', { secret: secretOf(seed + i) })));
  return ok.every(Boolean);
}

(async () => {
  let bad = 0;
  for (let i = 0; i < runs; i++) if (!(await once(i * 8))) bad++;
  console.log(`${bad}/${runs} runs made a hash that does not verify with its own secret`);
  process.exit(bad ? 1 : 0);
})();

// A harness that leaves temporary files behind and is then killed: its
// first case writes a file and a directory under os.tmpdir(), names them
// in $GCFUZZ_TEST_PIDFILE's folder (temp.log), and aborts. gcfuzz gives each
// worker a TMPDIR of its own and removes it when the worker has ended, so
// nothing a killed target made is left (0.5.0 left them all).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
out({ event: 'ready', node: process.version, build: 'litter' });
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  out({ event: 'start', id: c.id });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'target-db-'));
  fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.alloc(4096));
  const log = path.join(path.dirname(process.env.GCFUZZ_TEST_PIDFILE), 'temp.log');
  fs.appendFileSync(log, `${JSON.stringify({ dir, tmpdir: os.tmpdir(), env: process.env.GCFUZZ_TMPDIR })}\n`);
  process.kill(process.pid, 'SIGKILL');
});

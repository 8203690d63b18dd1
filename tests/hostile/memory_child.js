// A harness whose first case starts a helper process that allocates
// native memory without end while the worker itself stays small: the
// worker's whole process tree counts against rss_limit_mb (0.5.0 measured
// the worker's own pid only: a helper reached 648 MB under a 150 MB limit).
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
out({ event: 'ready', node: process.version, build: 'child-hog' });
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  out({ event: 'start', id: c.id });
  const hog = spawn(process.execPath, ['-e', 'const k = []; const g = () => { k.push(Buffer.alloc(16 << 20, 1)); setImmediate(g); }; g();'], { stdio: 'ignore' });
  if (process.env.GCFUZZ_TEST_PIDFILE) fs.appendFileSync(process.env.GCFUZZ_TEST_PIDFILE, `${hog.pid}\n`);
});

// A harness that prints a forged crash report before it really crashes:
// its frames name the module files GCFUZZ_TEST_FORGED (a file the test
// wrote, tests/integration/hostile_files.js) holds - a FIFO, wrapping and
// 65 535-section ELFs, a 4 GiB sparse file, a decoy - then the process
// kills itself with SIGSEGV, and the preloaded handler's real report
// follows. The daemon must never open a file the forged lines name.
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');
const forged = fs.readFileSync(process.env.GCFUZZ_TEST_FORGED);
process.stdout.write(JSON.stringify({ event: 'ready', node: process.version, build: 'forged' }) + '\n');
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  process.stdout.write(JSON.stringify({ event: 'start', id: c.id }) + '\n');
  fs.writeSync(2, forged);
  process.kill(process.pid, 'SIGSEGV');
});

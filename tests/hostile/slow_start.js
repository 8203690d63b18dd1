// A harness that takes 600 ms to say it is ready (a large addon loading
// under ASan on a busy machine) and then answers every case at once. With
// timeout_ms 200 its workers must still start: a case's time limit is not
// the startup's (startup_timeout_ms).
'use strict';
const readline = require('node:readline');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
setTimeout(() => {
  out({ event: 'ready', node: process.version, build: 'slow-start' });
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const c = JSON.parse(line);
    out({ event: 'start', id: c.id });
    out({ event: 'result', id: c.id, outcome: 'ok', ms: 0 });
  });
}, 600);

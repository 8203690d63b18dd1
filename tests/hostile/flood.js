// A harness that floods: 8 MB on stderr and a 4 MB stdout line per case,
// around a correct answer. Memory must not follow the flood (stderr keeps
// a 64 KiB tail, a long stdout line is cut and counted as one bad line).
'use strict';
const readline = require('node:readline');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
out({ event: 'ready', node: process.version, build: 'flood' });
const chunk = 'flood '.repeat(1 << 20 / 6) + '\n';
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  out({ event: 'start', id: c.id });
  for (let i = 0; i < 8; i++) process.stderr.write(chunk);
  process.stdout.write('x'.repeat(4 << 20) + '\n');
  out({ event: 'result', id: c.id, outcome: 'ok', ms: 0 });
});

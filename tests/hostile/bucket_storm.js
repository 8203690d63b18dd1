// A harness whose every case throws an exception with a message made of
// random words: each normalises to a signature of its own, so every case
// opens a new bucket. The daemon's memory must stay bounded and its
// confirmations fair while buckets pile up.
'use strict';
const readline = require('node:readline');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const word = () => Array.from({ length: 6 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');
out({ event: 'ready', node: process.version, build: 'storm' });
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  out({ event: 'start', id: c.id });
  process.stderr.write(`stack of ${c.id}\n`.repeat(2000)); // a tail of ~30 KB per bucket
  out({ event: 'result', id: c.id, outcome: 'exception', message: `TypeError: no ${word()} in ${word()}`, ms: 0 });
});

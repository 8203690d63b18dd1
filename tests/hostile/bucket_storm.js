// A harness whose every case throws an exception with a message made of
// random words: each normalises to a signature of its own, so every case
// opens a new bucket. Once the file $GCFUZZ_TEST_STORM_CRASH exists, one
// case in 7 (by seed) aborts instead: a real crash amid the storm. The
// daemon's memory must stay bounded, and the real crash must not wait
// behind the storm's confirmations.
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const word = () => Array.from({ length: 6 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');
out({ event: 'ready', node: process.version, build: 'storm' });
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  out({ event: 'start', id: c.id });
  // A tail of a few KB per bucket ($GCFUZZ_TEST_STORM_TAIL lines: more).
  process.stderr.write(`stack of ${c.id}\n`.repeat(Number(process.env.GCFUZZ_TEST_STORM_TAIL || 200)));
  const armed = process.env.GCFUZZ_TEST_STORM_CRASH && fs.existsSync(process.env.GCFUZZ_TEST_STORM_CRASH);
  if (armed && (c.seed ?? 0) % 7 === 0) process.abort();
  out({ event: 'result', id: c.id, outcome: 'exception', message: `TypeError: no ${word()} in ${word()}`, ms: 0 });
});

// A harness whose exceptions carry terminal escapes: ESC sequences (clear
// screen, set the window title), BEL, BS and a newline, JSON-escaped as a
// real harness's message would be. None may reach the daemon's terminal
// lines, the record or the report raw. Every other case (by its id: a
// worker ends at each failure) is a wrong result whose rendering is the
// same, and long: 600 two-byte characters.
'use strict';
const readline = require('node:readline');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
out({ event: 'ready', node: process.version, build: 'esc' });
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  out({ event: 'start', id: c.id });
  const esc = '\u001b[2J\u001b]0;pwned\u0007\b\bok\nnext line';
  if (Number(c.id.replace(/\D/g, '')) % 2) out({ event: 'result', id: c.id, outcome: 'mismatch', call: 3, result: `got${esc}${'é'.repeat(600)}`, expected: 42, ms: 0 });
  else out({ event: 'result', id: c.id, outcome: 'exception', message: `boom${esc}`, ms: 0 });
});

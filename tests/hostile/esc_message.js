// A harness whose exceptions carry terminal escapes: ESC sequences (clear
// screen, set the window title), BEL, BS and a newline, JSON-escaped as a
// real harness's message would be. None may reach the daemon's terminal
// lines, the record or the report raw.
'use strict';
const readline = require('node:readline');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
out({ event: 'ready', node: process.version, build: 'esc' });
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  out({ event: 'start', id: c.id });
  out({ event: 'result', id: c.id, outcome: 'exception', message: 'boom\u001b[2J\u001b]0;pwned\u0007\b\bok\nnext line', ms: 0 });
});

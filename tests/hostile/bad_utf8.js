// A harness whose protocol lines carry invalid UTF-8 inside JSON strings
// (a build name, an exception message with a lone continuation byte, an
// overlong encoding, a surrogate): records, events and stats must still be
// valid UTF-8 JSON, the bad bytes replaced.
'use strict';
const readline = require('node:readline');
const raw = (s) => process.stdout.write(Buffer.concat([Buffer.from(s, 'latin1'), Buffer.from('\n')]));
raw('{"event":"ready","node":"v20\xff","build":"b\xc0\xafd"}');
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  raw(JSON.stringify({ event: 'start', id: c.id }));
  raw(`{"event":"result","id":"${c.id}","outcome":"exception","message":"TypeError: bad \x80 byte \xed\xa0\x80 here","ms":0}`);
});

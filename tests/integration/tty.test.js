'use strict';
// On a terminal (a pty from script(1)): the live status line and the lines
// around a stop. 0.5.0 printed the last status line again after the
// "SIGINT: finishing" line, so the end of a soak showed it twice.
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, tmpdir } = require('./helpers.js');

const GCFUZZ = path.join(ROOT, 'build', 'gcfuzz');

test('a soak stopped with Ctrl-C on a terminal: one status line, then the stop, then the summary', async () => {
  const out = path.join(tmpdir('tty'), 'out');
  const cmd = `'${GCFUZZ}' soak --config '${path.join(ROOT, 'config', 'soak.json')}' --out '${out}' --max-time 60 --workers 1`;
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  let sent = false;
  child.stdout.on('data', (d) => {
    text += d;
    // Ctrl-C through the pty once the first status line is up: SIGINT.
    if (!sent && /\r\[soak sum\]/.test(text)) {
      sent = true;
      child.stdin.write('\x03');
    }
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.strictEqual(code, 0, text);
  const after = text.slice(text.indexOf('SIGINT: finishing'));
  assert.ok(after.length < text.length, text);
  assert.doesNotMatch(after, /\[soak sum\]/, 'no status line after the stop message');
  assert.match(after, /gcfuzz soak: \d+ execs in /);
});

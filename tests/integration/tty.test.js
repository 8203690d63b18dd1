'use strict';
// On a terminal (a pty from script(1)): the live status line and the lines
// around a stop. 0.5.0 printed the last status line again after the
// "SIGINT: finishing" line, so the end of a soak showed it twice.
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const { ROOT, tmpdir, writeConfig } = require('./helpers.js');

const GCFUZZ = path.join(ROOT, 'build', 'gcfuzz');

// The soak under script(1); ready(text) says when to send Ctrl-C, checked
// on each output and on each poke() (another event the test waits on).
// script runs its command with $SHELL -c. dash (/bin/sh, and script's
// choice when SHELL is unset, as in CI) waits for the command, dies of the
// same SIGINT and exits 130 for it: hence exec, and SHELL set, so every
// machine runs the same shell path.
function ctrlC(config, out, ready) {
  const cmd = `exec '${GCFUZZ}' soak --config '${config}' --out '${out}' --max-time 60 --workers 1`;
  const env = { ...process.env, SHELL: '/bin/sh' };
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let text = '';
  let sent = false;
  const send = () => {
    if (!sent && ready(text)) {
      sent = true;
      child.stdin.write('\x03'); // Ctrl-C through the pty: SIGINT
    }
  };
  child.stdout.on('data', (d) => {
    text += d;
    send();
  });
  const done = new Promise((resolve) => child.on('close', (code) => resolve({ code, text })));
  return { done, poke: send };
}

test('a soak stopped with Ctrl-C on a terminal: one status line, then the stop, then the summary', async () => {
  const out = path.join(tmpdir('tty'), 'out');
  const config = path.join(ROOT, 'config', 'soak.json');
  const { code, text } = await ctrlC(config, out, (t) => /\r\[soak sum\]/.test(t)).done;
  assert.strictEqual(code, 0, text);
  const after = text.slice(text.indexOf('SIGINT: finishing'));
  assert.ok(after.length < text.length, text);
  assert.doesNotMatch(after, /\[soak sum\]/, 'no status line after the stop message');
  assert.match(after, /gcfuzz soak: \d+ execs in /);
});

// A case still in flight at the stop keeps the soak up for its grace; the
// stats ticks of that time write stats.json, not a status line (0.5.0 and
// the fix of the test above still printed one per tick: CI saw it once,
// when a case outlived a tick).
test('Ctrl-C with a case in flight: no status line while it finishes', async () => {
  const dir = tmpdir('tty-inflight');
  const mark = path.join(dir, 'in-flight');
  const config = writeConfig(dir, 'soak', {
    target: path.join(ROOT, 'tests', 'fixtures', 'hang_marked.js'), entry: 'hang', entries: ['hang'],
    seeds: null, control: { target: path.join(ROOT, 'addon', 'target.js'), entry: 'sum_borrowed' }, stats_interval_ms: 100, grace_ms: 1500, timeout_ms: 60000,
    env: { GCFUZZ_TEST_MARK: mark },
  });
  let inFlight = false;
  const run = ctrlC(config, path.join(dir, 'out'), (t) => inFlight && /\r\[soak hang\]/.test(t));
  const watcher = fs.watch(dir, () => {
    inFlight = inFlight || fs.existsSync(mark);
    run.poke();
  });
  const { code, text } = await run.done;
  watcher.close();
  assert.strictEqual(code, 0, text);
  const after = text.slice(text.indexOf('SIGINT: finishing'));
  assert.ok(after.length < text.length, text);
  assert.doesNotMatch(after, /\[soak hang\]/, 'no status line during the grace');
  assert.match(after, /gcfuzz soak: \d+ execs in /);
});

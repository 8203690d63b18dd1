'use strict';
// One output folder, several commands at once: a running soak holds OUT;
// a second soak and cmin are refused with the holder named; minimize goes
// through the daemon's inbox, so the daemon's own rewrites of the record
// (it crashes on every case) cannot drop the minimized case.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, tmpdir, gcfuzz, writeConfig, records } = require('./helpers.js');

test('a second writer is refused; minimize during a soak lands in the record', { timeout: 90000 }, async (t) => {
  const dir = tmpdir('out-lock');
  const out = path.join(dir, 'out');
  const cfg = writeConfig(dir, 'soak', {
    harness: path.join(ROOT, 'tests/fixtures/nul_stderr_harness.js'), target: null,
    confirm_runs: 0, feedback: false, minimize_new: false,
  });
  let onNew;
  const newBucket = new Promise((resolve) => (onNew = resolve));
  const soak = gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '1', '--seed', '1'], {
    onStderr(text, child) { if (text.includes('gcfuzz: NEW ')) onNew(child); },
  });
  const daemon = await newBucket;
  t.after(() => daemon.kill('SIGKILL')); // a failed assertion must not leave it running

  const second = await gcfuzz(['soak', '--config', cfg, '--out', out, '--max-time', '1']);
  assert.strictEqual(second.code, 2, second.stderr);
  assert.match(second.stderr, new RegExp(`in use by another gcfuzz \\(pid ${daemon.pid}`));
  const cmin = await gcfuzz(['cmin', out]);
  assert.strictEqual(cmin.code, 2, cmin.stderr);
  assert.match(cmin.stderr, /in use by another gcfuzz/);

  const [rec] = fs.readdirSync(path.join(out, 'crashes'));
  const min = await gcfuzz(['minimize', '--config', cfg, '--runs', '1', '--max-time', '1', path.join(out, 'crashes', rec)]);
  assert.strictEqual(min.code, 0, min.stderr);
  assert.match(min.stderr, /posted to .*inbox/);
  const countThen = records(out)[0].count;

  daemon.kill('SIGTERM');
  const r = await soak;
  assert.strictEqual(r.code, 0, r.stderr);
  const [after] = records(out);
  assert.ok(after.minimized_case, 'the minimized case survived the daemon\'s rewrites');
  assert.strictEqual(after.minimized_rate.runs, 1);
  assert.ok(after.count >= countThen, `count ${after.count} never goes back (was ${countThen})`);
  assert.deepStrictEqual(fs.readdirSync(path.join(out, 'inbox')), [], 'the inbox was emptied');
});

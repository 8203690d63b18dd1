'use strict';
// One output folder, several commands at once: a running soak holds OUT;
// a second soak and cmin are refused with the holder named; minimize goes
// through the daemon's inbox, so the daemon's own rewrites of the record
// (it crashes on every case) cannot drop the minimized case.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, GCFUZZ, tmpdir, gcfuzz, writeConfig, readJson, records } = require('./helpers.js');

test('a second writer is refused; minimize during a soak lands in the record', { timeout: 90000 }, async (t) => {
  const dir = tmpdir('out-lock');
  const out = path.join(dir, 'out');
  const cfg = writeConfig(dir, 'soak', {
    harness: path.join(ROOT, 'tests/hostile/nul_stderr.js'), target: null,
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

// A record whose first write fails (here EFBIG under `prlimit --fsize`,
// as ENOSPC would) still gets its NEW line, its corpus case and its
// confirmation, and is on disk once writing works again.
test('a bucket whose record cannot be written is kept, confirmed, and written later', { timeout: 90000 }, async (t) => {
  const { spawn, execFileSync } = require('node:child_process');
  const dir = tmpdir('out-efbig');
  const out = path.join(dir, 'out');
  const cfg = writeConfig(dir, 'soak', {
    harness: path.join(ROOT, 'tests/hostile/nul_stderr.js'), target: null,
    confirm_runs: 1, feedback: false, minimize_new: false, stats_interval_ms: 100,
  });
  // 3000 bytes (soft; raised below): a record with its ASan tail is larger,
  // stats and corpus cases are not.
  const child = spawn('prlimit', ['--fsize=3000:unlimited', GCFUZZ, 'soak', '--config', cfg, '--out', out, '--workers', '1', '--seed', '1'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('close', resolve));
  const statsFile = path.join(out, 'stats.json');
  // One fresh and one warm run make the confirmation (confirm_runs 1).
  const confirmed = () => { try { return readJson(statsFile).confirm_runs >= 2; } catch { return false; } };
  while (!confirmed()) await new Promise((r) => setTimeout(r, 50)); // bounded by the test timeout
  assert.match(stderr, /gcfuzz: NEW /);
  assert.match(stderr, /cannot write crash record \(kept, retried each interval\): .*File too large/);
  assert.deepStrictEqual(fs.readdirSync(path.join(out, 'crashes')).filter((f) => f.endsWith('.json')), []);
  execFileSync('prlimit', ['--pid', String(child.pid), '--fsize=unlimited:unlimited']);
  child.kill('SIGTERM');
  assert.strictEqual(await exited, 0, stderr);
  const [rec] = records(out);
  assert.ok(rec, 'written once the limit was lifted');
  assert.ok(rec.count >= 1);
  assert.deepStrictEqual(rec.reproducibility, { runs: 1, reproduced: 1 });
  assert.deepStrictEqual(rec.reproducibility_warm, { runs: 1, reproduced: 0 }, 'it aborts in its warm-up');
  assert.match(rec.stderr_tail, /heap-use-after-free/);
  assert.ok(fs.existsSync(path.join(out, 'corpus', `${rec.hash}.json`)), 'its case is in the corpus');
});

// Background minimization cut short by kill -9 is pending work too: the
// record says so (reproduced, no minimized_case), and a resumed soak does it.
test('background minimization cut short by kill -9 is done when the soak resumes', { timeout: 90000 }, async () => {
  const dir = tmpdir('out-reminimize');
  const out = path.join(dir, 'out');
  const cfg = writeConfig(dir, 'soak', {
    harness: path.join(ROOT, 'tests/hostile/nul_stderr.js'), target: null,
    confirm_runs: 1, feedback: false, minimize_new: true,
  });
  const soakUntil = (line, signal) => {
    let sent = false;
    return gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '1', '--seed', '1'], {
      onStderr(text, child) { if (!sent && text.includes(line)) { sent = true; child.kill(signal); } },
    });
  };
  await soakUntil('minimize: original reproduces', 'SIGKILL');
  const [cut] = records(out);
  assert.deepStrictEqual(cut.reproducibility, { runs: 1, reproduced: 1 });
  assert.strictEqual(cut.minimized_case, undefined, 'killed mid-minimization');
  const r = await soakUntil('minimize: done', 'SIGTERM');
  assert.strictEqual(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`${cut.hash}: minimizing again`));
  const [done] = records(out);
  assert.ok(done.minimized_case, 'minimized after the resume');
  assert.strictEqual(done.minimized_rate.reproduced, 1);
});

// Without a daemon, minimize and replay update a record under OUT's lock for
// a moment, marked "PID brief" in OUT/.lock. A soak starting meanwhile waits
// for it instead of exiting 2 (under systemd, RestartPreventExitStatus=2
// would stop the service for good). flock(1) plays the brief writer and
// lets go when the soak says it waits.
test('a soak waits for a brief record update to let go of OUT, then runs', async () => {
  const { spawn } = require('node:child_process');
  const dir = tmpdir('out-brief');
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, '.lock'), '4242 brief\n');
  const holder = spawn('flock', ['--exclusive', path.join(out, '.lock'), process.execPath, '-e',
    "console.log('locked'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0))"],
  { stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    await new Promise((resolve) => holder.stdout.on('data', (d) => String(d).includes('locked') && resolve()));
    const cfg = writeConfig(dir, 'soak', { confirm_runs: 0, feedback: false });
    const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--max-time', '1', '--workers', '1'], {
      onStderr(text) { if (text.includes('waiting for it')) holder.stdin.end(); },
    });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, /is being updated by pid 4242 \(a record update\); waiting for it/);
    assert.match(fs.readFileSync(path.join(out, '.lock'), 'utf8'), /^\d+\n$/, 'now the daemon holds it');
  } finally {
    holder.stdin.end(); // its node exits with it
    holder.kill('SIGKILL');
  }
});

// OUT's files are OUT's (#22): links placed there do not redirect the
// daemon's appends, and what a kill -9 left mid-write is cleaned. 0.5.0
// appended events.jsonl and stats.jsonl through symlinks, and kept stale
// .tmp.PID files for good.
test('links in OUT are refused, never written through; stale temp files of dead writers are removed', async () => {
  const dir = tmpdir('out-links');
  const victim = path.join(dir, 'victim.txt');
  fs.writeFileSync(victim, 'untouched\n');
  const cfg = writeConfig(dir, 'soak', { feedback: false, stats_interval_ms: 100 });
  const a = path.join(dir, 'a');
  fs.mkdirSync(a);
  fs.symlinkSync(victim, path.join(a, 'events.jsonl'));
  const r = await gcfuzz(['soak', '--config', cfg, '--out', a, '--max-time', '1', '--workers', '1']);
  assert.strictEqual(r.code, 2, r.stderr);
  assert.match(r.stderr, /events\.jsonl: cannot open for append: it is a symbolic link \(refused\)/);
  const b = path.join(dir, 'b');
  fs.mkdirSync(path.join(b, 'crashes'), { recursive: true });
  fs.symlinkSync(victim, path.join(b, 'stats.jsonl'));
  fs.writeFileSync(path.join(b, 'crashes', 'x.json.tmp.999999999'), 'half a record');
  fs.writeFileSync(path.join(b, `stats.json.tmp.${process.pid}`), 'a live writer\'s');
  const s = await gcfuzz(['soak', '--config', cfg, '--out', b, '--max-time', '1', '--workers', '1']);
  assert.strictEqual(s.code, 0, s.stderr);
  assert.strictEqual(fs.readFileSync(victim, 'utf8'), 'untouched\n');
  assert.ok(!fs.existsSync(path.join(b, 'crashes', 'x.json.tmp.999999999')), 'a dead writer\'s temp file');
  assert.ok(fs.existsSync(path.join(b, `stats.json.tmp.${process.pid}`)), 'a live writer\'s stays');
});

// #22: events that cannot be appended (a full disk; here a file size limit,
// prlimit --fsize, below events.jsonl's size) are counted, not silent, and
// leave no half line (0.5.0: dropped without a trace).
test('events that could not be appended are counted (events_lost), and leave no half line', async () => {
  const dir = tmpdir('out-events-lost');
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  const line = JSON.stringify({ time: '2026-01-01T00:00:00Z', event: 'old', pad: 'x'.repeat(200) });
  fs.writeFileSync(path.join(out, 'events.jsonl'), `${line}\n`.repeat(1000)); // ~220 KB
  const cfg = writeConfig(dir, 'soak', { feedback: false, stats_interval_ms: 100 });
  // Stopped (SIGTERM) once a case has run, not after a fixed --max-time:
  // under load a worker can take longer than a second to be ready.
  const r = await new Promise((resolve) => {
    const child = require('node:child_process').spawn('prlimit', ['--fsize=131072', '--', GCFUZZ, 'soak', '--config', cfg, '--out', out, '--max-time', '60', '--workers', '1', '--seed', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const poll = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      let ran = false;
      try {
        ran = readJson(path.join(out, 'stats.json')).execs > 0;
      } catch {
        // not written yet
      }
      if (ran) child.kill('SIGTERM');
      else setTimeout(poll, 50);
    };
    poll();
    child.on('close', (code) => resolve({ code, stderr }));
  });
  assert.strictEqual(r.code, 0, r.stderr);
  assert.ok(readJson(path.join(out, 'stats.json')).events_lost >= 2, 'the start and stop events at least');
  const lines = fs.readFileSync(path.join(out, 'events.jsonl'), 'utf8').split('\n').filter(Boolean);
  assert.strictEqual(lines.length, 1000);
  for (const l of lines) JSON.parse(l);
  assert.match(fs.readFileSync(path.join(out, 'metrics.prom'), 'utf8'), /gcfuzz_events_lost_total\{[^}]*\} [1-9]/);
});

// Inbox posts are another process's words (#22): values of the wrong type
// are named and moved aside, each whole, while a good post beside them is
// applied and every record stays valid.
test('inbox posts of the wrong type are named and skipped; the records stay valid', { timeout: 60000 }, async () => {
  const dir = tmpdir('out-inbox');
  const out = path.join(dir, 'out');
  const inbox = path.join(out, 'inbox');
  const cfg = writeConfig(dir, 'soak', {
    harness: path.join(ROOT, 'tests/hostile/nul_stderr.js'), target: null,
    confirm_runs: 0, feedback: false, minimize_new: false, stats_interval_ms: 100,
  });
  const bad = {
    'case.json': (hash) => ({ hash, fields: { minimized_case: 'not a case' } }),
    'rate.json': (hash) => ({ hash, fields: { minimized_rate: { runs: -5, reproduced: null } } }),
    'nodes.json': (hash) => ({ hash, fields: { reproduces_on: ['v20.0.0', 3] } }),
    'fields.json': (hash) => ({ hash, fields: [] }),
    'hash.json': () => ({ hash: 42, fields: {} }),
  };
  let posted = false;
  const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '1', '--seed', '1', '--max-time', '30'], {
    onStderr(text, child) {
      if (!posted && text.includes('gcfuzz: NEW ')) {
        posted = true;
        const { hash } = records(out)[0];
        fs.mkdirSync(inbox, { recursive: true });
        for (const [name, post] of Object.entries(bad)) fs.writeFileSync(path.join(inbox, name), JSON.stringify(post(hash)));
        fs.writeFileSync(path.join(inbox, 'good.json'), JSON.stringify({ hash, fields: { minimized_rate: { runs: 2, reproduced: 1 } } }));
      }
      if (posted && (text.match(/moved to /g) || []).length >= Object.keys(bad).length && !child.stopping) {
        child.stopping = true;
        child.kill('SIGTERM');
      }
    },
  });
  assert.strictEqual(r.code, 0, r.stderr);
  for (const name of Object.keys(bad)) {
    assert.match(r.stderr, new RegExp(`inbox/${name}: .*; moved to .*${name}\\.bad`), name);
    assert.ok(fs.existsSync(path.join(inbox, `${name}.bad`)), `${name} kept aside`);
  }
  assert.match(r.stderr, /case\.json: .*minimized_case/, 'the field is named');
  assert.match(r.stderr, /rate\.json: .*minimized_rate/);
  assert.match(r.stderr, /nodes\.json: .*reproduces_on/);
  assert.match(r.stderr, /hash\.json: hash: must be/, 'a hash of the wrong type is said so, not "no such bucket"');
  assert.ok(!fs.existsSync(path.join(inbox, 'good.json')), 'the good post was applied');
  const [rec] = records(out);
  assert.deepStrictEqual(rec.minimized_rate, { runs: 2, reproduced: 1 });
  assert.strictEqual(rec.minimized_case, undefined);
  assert.strictEqual(rec.reproduces_on, undefined);
  const check = require('node:child_process').spawnSync(GCFUZZ, ['report', out], { encoding: 'utf8' });
  assert.strictEqual(check.status, 0, check.stderr);
});

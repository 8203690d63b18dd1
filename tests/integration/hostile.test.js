'use strict';
// The hostile-harness suite: every harness in tests/hostile/ misbehaves in
// one way, and each runs under a short soak. Whatever it does, the daemon
// must end on time with its exit code, and every file it wrote must be valid
// UTF-8 JSON; each entry below adds what that harness must produce. A
// harness added to the directory without an entry here fails the suite.
const { describe, it, test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, tmpdir, gcfuzz, writeConfig, readJson, records, events, soakUntil } = require('./helpers.js');
const { makeHostileFiles, forgedReport } = require('./hostile_files.js');

const HOSTILE = path.join(ROOT, 'tests', 'hostile');

// Each entry: config overrides, extra soak args, maxTime (s, default 2), the
// exit code (default 0), pidfile (GCFUZZ_TEST_PIDFILE; those pids are killed
// after), until(out) (stop the soak, SIGTERM, once it holds: what it waits
// for, not a time), setup(dir) (config overrides it makes, e.g. files the
// harness needs), and check(run).
const SUITE = {
  'bad_utf8.js': {
    check({ recs }) {
      assert.ok(recs.length >= 1);
      assert.match(recs[0].message, /^TypeError: bad \? byte \?+ here$/);
      assert.strictEqual(recs[0].addon_build, 'b??d');
    },
  },
  'bucket_storm.js': {
    maxTime: 60,
    until: (out) => records(out).length >= 5, // a storm: stop once it has shown one
    check({ recs, stats }) {
      assert.ok(recs.length >= 5, `a storm opens many buckets (${recs.length})`);
      assert.ok(recs.every((x) => x.kind === 'exception'));
      assert.strictEqual(stats.buckets, recs.length);
    },
  },
  'esc_message.js': {
    check({ recs, r, out }) {
      const exc = recs.find((x) => x.kind === 'exception');
      assert.strictEqual(exc.message, 'boom?[2J?]0;pwned???ok next line');
      // a wrong result keeps what mismatched, made text: one line, no
      // control byte, valid UTF-8 (a character cut at the bound is a '?'), bounded
      const wrong = recs.find((x) => x.kind === 'mismatch');
      assert.deepStrictEqual([wrong.call, wrong.expected], [3, '42']);
      assert.match(wrong.result, /^got\?\[2J\?\]0;pwned\?\?\?ok next lineé+\??$/);
      assert.ok(Buffer.byteLength(wrong.result) <= 255, `${Buffer.byteLength(wrong.result)} bytes`);
      assert.doesNotMatch(wrong.result, /\ufffd/);
      assert.doesNotMatch(r.stderr, /[\u0000-\u0008\u000b-\u001f\u007f]/, 'no raw control byte on the daemon\'s terminal lines');
      const md = path.join(out, 'report.md');
      assert.strictEqual(require('node:child_process').spawnSync(path.join(ROOT, 'build', 'gcfuzz'), ['report', out]).status, 0);
      assert.doesNotMatch(fs.readFileSync(md, 'utf8'), /[\u0000-\u0008\u000b-\u001f\u007f]/);
      assert.match(fs.readFileSync(md, 'utf8'), /<br>`call 3: got got\?\[2J.*, expected 42`/); // the reports say it
      assert.match(fs.readFileSync(path.join(out, 'report.html'), 'utf8'), /<span class="note">call 3: got got\?\[2J/);
      const sarif = readJson(path.join(out, 'report.sarif')).runs[0].results.find((x) => x.ruleId.startsWith('gcfuzz/mismatch/'));
      assert.match(sarif.message.text, /\)\. call 3: got got\?\[2J.*, expected 42\. Replay/);
    },
  },
  'memory_child.js': {
    config: { rss_limit_mb: 150 },
    pidfile: true,
    maxTime: 30,
    args: ['--stop-on-crash'], // the first oom ends it
    code: 1,
    check({ recs }) {
      const oom = recs.find((x) => x.kind === 'oom');
      assert.ok(oom, `an oom bucket among ${recs.map((x) => x.signature)}`);
      assert.match(oom.message, /over rss_limit_mb 150/);
    },
  },
  'temp_litter.js': {
    pidfile: true,
    until: (out) => fs.existsSync(path.join(path.dirname(out), 'temp.log')) && fs.readFileSync(path.join(path.dirname(out), 'temp.log'), 'utf8').split('\n').length > 3,
    maxTime: 30,
    check({ out }) {
      const made = fs.readFileSync(path.join(path.dirname(out), 'temp.log'), 'utf8').split('\n').filter(Boolean).map(JSON.parse);
      assert.ok(made.length >= 3);
      for (const m of made) {
        assert.strictEqual(m.env, m.tmpdir, 'os.tmpdir() is the worker\'s own directory');
        assert.match(path.basename(m.tmpdir), /^gcfuzz-worker-/);
        assert.ok(!fs.existsSync(m.dir) && !fs.existsSync(m.tmpdir), `${m.dir} is gone with its worker`);
      }
    },
  },
  'escaping_helper.js': {
    pidfile: true,
    maxTime: 3.5, // each death waits out the 1 s pipe drain
    check({ recs, stats }) {
      assert.ok(stats.restarts >= 2, `workers kept being replaced (${stats.restarts})`);
      assert.ok(recs.some((x) => x.kind === 'exit'), 'the deaths were recorded');
    },
  },
  'flag.js': { check({ recs, stats }) { assert.ok(stats.execs >= 1); assert.strictEqual(recs.length, 0); } },
  'flood.js': {
    check({ recs, stats, r }) {
      assert.ok(stats.execs >= 1, `execs ${stats.execs}`);
      assert.ok(stats.protocol_errors >= 1, 'the over-long line is one bad line');
      assert.strictEqual(recs.length, 0, r.stderr.slice(-2000));
    },
  },
  'forged_frames.js': {
    // The files a forged report names sit beside the build (a build path is
    // where modules are read from): only the report's key keeps them shut.
    setup(dir) {
      const files = makeHostileFiles(dir);
      fs.writeFileSync(path.join(dir, 'forged.txt'), forgedReport(Object.values(files), 100));
      return { build: dir, stats_interval_ms: 100, env: { GCFUZZ_TEST_FORGED: path.join(dir, 'forged.txt') } };
    },
    maxTime: 10,
    until: (out) => events(out).filter((e) => e.event === 'crash').length >= 3,
    check({ recs, out }) {
      const crashes = events(out).filter((e) => e.event === 'crash');
      assert.ok(crashes.length >= 3, `the daemon kept up with the crashes (${crashes.length} in 10 s)`);
      assert.strictEqual(recs.length, 1, recs.map((x) => x.signature).join(', '));
      assert.strictEqual(recs[0].bug_type, 'SIGSEGV');
      assert.doesNotMatch(recs[0].signature, /decoy/, 'the decoy a forged line names was never read');
      const dir = path.dirname(out);
      assert.ok(recs[0].frames.every((f) => !f.location.startsWith(dir)), 'the frames are the real report\'s');
    },
  },
  'garbage.js': {
    check({ recs, stats, r }) {
      assert.ok(stats.execs > 10, `execs ${stats.execs}`);
      assert.ok(stats.protocol_errors >= stats.execs, `protocol errors ${stats.protocol_errors}`);
      assert.strictEqual(recs.length, 0);
      assert.match(r.stderr, /bad stdout line\(s\), last: /);
    },
  },
  'late_crash.js': {
    check({ recs }) {
      assert.ok(recs.length >= 1);
      for (const x of recs) assert.strictEqual(x.case.seed % 7, 3, 'blamed on the case that answered');
    },
  },
  'memory_hog.js': {
    config: { rss_limit_mb: 256 },
    args: ['--stop-on-crash'],
    code: 1,
    check({ recs }) {
      assert.strictEqual(recs.length, 1);
      assert.strictEqual(recs[0].kind, 'oom');
      assert.strictEqual(recs[0].signature, 'oom:rss-limit:entry=sum');
      assert.match(recs[0].message, /^resident memory \d+ MB, over rss_limit_mb 256$/);
    },
  },
  'never_ready.js': {
    config: { timeout_ms: 200, startup_timeout_ms: 200 },
    code: 2,
    check({ r }) { assert.match(r.stderr, /workers exit before the harness is ready \(5 times in a row\)/); },
  },
  'nul_stderr.js': {
    check({ recs }) {
      assert.ok(recs.length >= 1);
      assert.strictEqual(recs[0].kind, 'asan');
      assert.strictEqual(recs[0].bug_type, 'heap-use-after-free');
      assert.match(recs[0].stderr_tail, /^junk\?more junk \?\?\n/);
    },
  },
  'odd_outcome.js': {
    check({ recs, stats, r }) {
      assert.ok(stats.protocol_errors >= 3, `protocol errors: ${stats.protocol_errors}`);
      assert.strictEqual(stats.execs, 0, 'an answer outside the protocol is no exec');
      assert.match(r.stderr, /result with an unknown outcome: .*"outcome":"weird"/);
      assert.strictEqual(recs.length, 0);
    },
  },
  'slow_start.js': {
    config: { timeout_ms: 200 },
    check({ recs, stats }) {
      assert.strictEqual(recs.length, 0, 'a slow start is no finding');
      assert.ok(stats.execs > 0 && stats.startup_failures === 0, JSON.stringify(stats));
    },
  },
  'spin.js': {
    config: { timeout_ms: 300 },
    pidfile: true,
    check({ recs }) { assert.ok(recs.some((x) => x.signature === 'timeout:hang:entry=sum')); },
  },
};

// Every file under OUT: *.json parses as strict UTF-8 JSON, *.jsonl line by line.
function assertOutputValid(out) {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
  for (const file of walk(out)) {
    if (!/\.jsonl?$/.test(file)) continue;
    const text = utf8.decode(fs.readFileSync(file));
    const docs = file.endsWith('.jsonl') ? text.split('\n').filter(Boolean) : [text];
    for (const d of docs) assert.doesNotThrow(() => JSON.parse(d), file);
  }
}

function killPids(pidfile) {
  const text = fs.existsSync(pidfile) ? fs.readFileSync(pidfile, 'utf8') : '';
  for (const pid of text.split('\n').filter(Boolean))
    try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
}

test('every harness in tests/hostile/ has an entry in the suite', () => {
  assert.deepStrictEqual(fs.readdirSync(HOSTILE).filter((f) => f.endsWith('.js')).sort(), Object.keys(SUITE).sort());
});

describe('hostile harnesses', { concurrency: 4 }, () => {
  for (const [name, spec] of Object.entries(SUITE)) {
    it(name, { timeout: 60000 }, async (t) => {
      const dir = tmpdir(`hostile-${path.basename(name, '.js')}`);
      const pidfile = path.join(dir, 'pids');
      if (spec.pidfile) t.after(() => killPids(pidfile));
      const cfg = writeConfig(dir, 'soak', {
        harness: path.join(HOSTILE, name), target: null, confirm_runs: 0, feedback: false,
        env: spec.pidfile ? { GCFUZZ_TEST_PIDFILE: pidfile } : {}, ...spec.config, ...spec.setup?.(dir),
      });
      const out = path.join(dir, 'out');
      const args = ['--config', cfg, '--workers', '1', '--max-time', String(spec.maxTime ?? 2), '--seed', '1', ...(spec.args || [])];
      const r = spec.until ? await soakUntil(args, out, spec.until) : await gcfuzz(['soak', ...args, '--out', out]);
      assert.strictEqual(r.code, spec.code ?? 0, r.stderr.slice(-3000));
      if (fs.existsSync(out)) assertOutputValid(out);
      const stats = fs.existsSync(path.join(out, 'stats.json')) ? readJson(path.join(out, 'stats.json')) : null;
      spec.check({ r, out, stats, recs: records(out) });
    });
  }
});

// #22: a storm of buckets stops at max_buckets: what is past it is counted,
// said once, never kept (0.5.0 kept every one: memory grew without a cap).
test('a bucket storm past max_buckets is counted, said once, not kept', async () => {
  const dir = tmpdir('hostile-cap');
  const cfg = writeConfig(dir, 'soak', { harness: path.join(HOSTILE, 'bucket_storm.js'), target: null, confirm_runs: 0, feedback: false, max_buckets: 3 });
  const out = path.join(dir, 'out');
  const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '1', '--max-time', '2', '--seed', '1']);
  assert.strictEqual(r.code, 0, r.stderr);
  assert.strictEqual(records(out).length, 3);
  const stats = readJson(path.join(out, 'stats.json'));
  assert.ok(stats.buckets_overflow > 0, JSON.stringify(stats));
  assert.strictEqual((r.stderr.match(/max_buckets 3 reached/g) || []).length, 1, r.stderr.slice(-2000));
  assert.match(fs.readFileSync(path.join(out, 'metrics.prom'), 'utf8'), /gcfuzz_buckets_overflow_total\{[^}]*\} [1-9]/);
});

// Fair confirmation: a real crash found amid a storm of buckets is
// confirmed at the next free slot, not after the storm's queue. The storm
// (3 workers) opens buckets faster than the one confirmation slot confirms
// them; after 12 of them the harness is armed to abort too.
test('a real crash amid a bucket storm is confirmed next, not after the queue', { timeout: 90000 }, async () => {
  const dir = tmpdir('hostile-fair');
  const trigger = path.join(dir, 'armed');
  const out = path.join(dir, 'out');
  const cfg = writeConfig(dir, 'soak', {
    harness: path.join(HOSTILE, 'bucket_storm.js'), target: null, confirm_runs: 1, feedback: false,
    minimize_new: false, env: { GCFUZZ_TEST_STORM_CRASH: trigger },
  });
  const events = () => fs.readFileSync(path.join(out, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map(JSON.parse);
  let stopping = false;
  const r = await gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '3', '--seed', '1'], {
    onStderr(text, child) {
      if (!fs.existsSync(trigger) && (text.match(/gcfuzz: NEW /g) || []).length >= 12) fs.writeFileSync(trigger, '');
      if (stopping || !/gcfuzz: NEW signal:SIGABRT/.test(text)) return;
      stopping = true;
      // Its confirm event is in events.jsonl once its one run ended.
      const hash = events().find((e) => e.event === 'crash' && e.kind === 'signal').hash;
      const poll = () => (events().some((e) => e.event === 'confirm' && e.hash === hash) ? child.kill('SIGTERM') : setTimeout(poll, 50));
      poll();
    },
  });
  assert.strictEqual(r.code, 0, r.stderr.slice(-2000));
  const ev = events();
  const real = ev.findIndex((e) => e.event === 'crash' && e.new && e.kind === 'signal');
  const own = ev.findIndex((e, i) => i > real && e.event === 'confirm' && e.hash === ev[real].hash);
  const waiting = ev.slice(0, real).filter((e) => e.event === 'crash' && e.new).length -
    ev.slice(0, real).filter((e) => e.event === 'confirm').length;
  const before = ev.slice(real + 1, own).filter((e) => e.event === 'confirm').length;
  assert.ok(waiting >= 4, `the storm had a queue when the real crash came (${waiting} waiting)`);
  // At most the confirmations already started (GF_PENDING_ACTIVE = 2) end first.
  assert.ok(before <= 2, `${before} confirmations went first (${waiting} were waiting)`);
});

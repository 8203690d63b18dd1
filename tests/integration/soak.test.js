'use strict';
// `gcfuzz soak`: signals, kill -9, resume. The daemon is driven by what it
// prints ("gcfuzz: NEW ..."), never by sleeping.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { tmpdir, gcfuzz, writeConfig, readJson, records, events: readEvents, soakUntil, soakUntilConfirmed } = require('./helpers.js');

const BORROWED = ['--config', 'config/ci.json', '--entry', 'sum_borrowed', '--workers', '2'];

// A borrowed-entry soak into out that gets `signal` at its first new bucket
// (the "gcfuzz: NEW" line is printed after the record is in place).
// extra: more soak arguments (a config without confirmation, say).
function soakSignalledAtNew(out, seed, signal, extra = []) {
  let sent = false;
  return gcfuzz(['soak', ...BORROWED, ...extra, '--out', out, '--seed', String(seed)], {
    onStderr(text, child) {
      if (!sent && text.includes('gcfuzz: NEW ')) {
        sent = true;
        child.kill(signal);
      }
    },
  });
}

// Every file the daemon wrote parses, whatever instant it was stopped at.
function assertOutputValid(out) {
  for (const rec of records(out)) {
    assert.strictEqual(typeof rec.signature, 'string');
    assert.ok(rec.count >= 1);
  }
  const events = fs.readFileSync(path.join(out, 'events.jsonl'), 'utf8').split('\n').filter(Boolean);
  for (const line of events) JSON.parse(line);
  return events.map((l) => JSON.parse(l));
}

test('SIGTERM mid-soak: exit 0, valid files; a resumed soak keeps buckets and counts', async () => {
  const out = tmpdir('soak-term');
  // no confirmation: an orderly stop waits up to grace_ms for queued
  // confirmation runs, and confirming is not what this test is about
  const quick = ['--config', writeConfig(tmpdir('soak-term-cfg'), 'ci', { confirm_runs: 0 })];
  const first = await soakSignalledAtNew(out, 5, 'SIGTERM', quick);
  assert.strictEqual(first.code, 0, first.stderr);
  assert.match(first.stderr, /SIGTERM: finishing in-flight cases/);
  const before = records(out);
  assert.ok(before.length >= 1);
  const stats = readJson(path.join(out, 'stats.json'));
  assert.strictEqual(stats.buckets, before.length);
  const events = assertOutputValid(out);
  assert.deepStrictEqual([events[0].event, events.at(-1).event], ['start', 'stop']);

  // the resumed soak stops at its first crash (a bucket's count can grow)
  const since2nd = (o) => {
    const ev = readEvents(o);
    const starts = ev.map((e, i) => (e.event === 'start' ? i : -1)).filter((i) => i >= 0);
    return starts.length === 2 ? ev.slice(starts[1]) : [];
  };
  const second = await soakUntil([...BORROWED, ...quick, '--seed', '6', '--max-time', '30'], out, (o) => since2nd(o).some((e) => e.event === 'crash'));
  assert.strictEqual(second.code, 0, second.stderr);
  const after = records(out);
  for (const b of before) {
    const a = after.find((x) => x.hash === b.hash);
    assert.ok(a, `bucket ${b.hash} kept`);
    assert.ok(a.count >= b.count, `count ${a.count} >= ${b.count}`);
    assert.strictEqual(a.first_seen, b.first_seen);
  }
  // The crash cases were saved and reloaded as corpus.
  assert.ok(fs.readdirSync(path.join(out, 'corpus')).length >= before.length);
  assert.strictEqual(assertOutputValid(out).filter((e) => e.event === 'start').length, 2);
});

test('a second signal stops at once; records already reported are kept', async () => {
  const out = tmpdir('soak-int2');
  let sent = 0;
  const r = await gcfuzz(['soak', ...BORROWED, '--out', out, '--seed', '8'], {
    onStderr(text, child) {
      if (sent === 0 && text.includes('gcfuzz: NEW ')) {
        sent = 1;
        child.kill('SIGINT');
      } else if (sent === 1 && text.includes('finishing in-flight')) {
        sent = 2;
        child.kill('SIGINT');
      }
    },
  });
  assert.strictEqual(r.code, 0, r.stderr);
  assert.match(r.stderr, /SIGINT: stopping now/);
  assert.ok(records(out).length >= 1);
  assertOutputValid(out);
});

test('kill -9 at a crash leaves every record valid and nothing reported lost', async () => {
  const out = tmpdir('soak-kill9');
  const r = await soakSignalledAtNew(out, 9, 'SIGKILL');
  assert.strictEqual(r.signal, 'SIGKILL');
  // Each "NEW" line was printed after its record was renamed into place.
  const reported = [...r.stderr.matchAll(/crashes\/([0-9a-f]{16})\.json/g)].map((m) => m[1]);
  assert.ok(reported.length >= 1);
  const hashes = records(out).map((x) => x.hash);
  for (const h of reported) assert.ok(hashes.includes(h), `record ${h} on disk`);
  assertOutputValid(out);
});

test('soak --stop-on-crash exits 1 when it stopped on a crash, 0 when the time ran out clean', async () => {
  const dir = tmpdir('stop-on-crash');
  const hit = await gcfuzz(['soak', ...BORROWED, '--out', path.join(dir, 'hit'), '--seed', '2', '--stop-on-crash', '--max-time', '30']);
  assert.strictEqual(hit.code, 1, hit.stderr);
  assert.ok(records(path.join(dir, 'hit')).length >= 1);
  const clean = await gcfuzz(['soak', '--config', 'config/soak.json', '--entry', 'sum', '--workers', '2', '--out', path.join(dir, 'clean'), '--stop-on-crash', '--max-time', '2']);
  assert.strictEqual(clean.code, 0, clean.stderr);
});

test('SIGHUP stops a soak in order, like SIGTERM: exit 0, a stop event, final stats', async () => {
  const out = tmpdir('soak-hup');
  const r = await soakSignalledAtNew(out, 6, 'SIGHUP', ['--config', writeConfig(tmpdir('soak-hup-cfg'), 'ci', { confirm_runs: 0 })]); // as above
  assert.strictEqual(r.code, 0, r.stderr);
  assert.match(r.stderr, /SIGHUP: finishing in-flight cases/);
  const events = assertOutputValid(out);
  assert.strictEqual(events[events.length - 1].event, 'stop');
  // Final stats were written: the crash that made the NEW line is in them
  // (execs may be 0: the first cases of both workers can crash).
  assert.ok(readJson(path.join(out, 'stats.json')).crashes >= 1);
});

test('confirmation cut short by kill -9 is redone when the run resumes', async () => {
  const out = tmpdir('soak-reconfirm');
  await soakSignalledAtNew(out, 7, 'SIGKILL'); // the new bucket's confirmation has not run yet
  const before = records(out);
  assert.ok(before.length >= 1);
  const pending = before.filter((x) => x.reproducibility.runs === 0);
  assert.ok(pending.length >= 1, 'a bucket left unconfirmed');
  // Resume on the fixed entry (no new crashes): the old buckets get
  // confirmed; the soak stops once they are (60 s is only the bound).
  const already = readEvents(out).filter((e) => e.event === 'confirm').length;
  const r = await soakUntilConfirmed(['--config', 'config/ci.json', '--entry', 'sum', '--workers', '2', '--max-time', '60', '--seed', '8'], out, already + pending.length);
  assert.strictEqual(r.code, 0, r.stderr);
  assert.match(r.stderr, /confirming again/);
  for (const p of pending) {
    const now = records(out).find((x) => x.hash === p.hash);
    assert.strictEqual(now.reproducibility.runs, 3, `${p.hash} confirmed after the resume`);
  }
});

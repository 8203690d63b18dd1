'use strict';
// gcfuzz minimize and gcfuzz report. The report is checked in a real browser
// (headless Chromium): it renders, and its table has one row per bucket.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, tmpdir, gcfuzz, readJson, records, sarifValidator } = require('./helpers.js');

const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'run');
const ASAN_HASH = '4556d7e668dad61b';

function copyFixture(name) {
  const dir = tmpdir(name);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function chromium(args) {
  return new Promise((resolve) => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gcfuzz-chromium-'));
    const child = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', `--user-data-dir=${profile}`, ...args]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('minimize: smaller in every dimension, same signature at no less than the original rate', async () => {
  const out = copyFixture('minimize');
  const rec = path.join(out, 'crashes', `${ASAN_HASH}.json`);
  // A known borrowed-entry ASan crash with a case that reproduces every
  // time whatever the machine's load (the window gate holds the pool until
  // the major GC has run), grown in every dimension so there is something
  // to take away: the allocation and the sleep are not needed.
  const original = readJson(rec);
  original.case = {
    id: 'known', entry: 'sum_borrowed', elems: 96, elem_len: 300, delay_us: 20000, concurrency: 3, seed: 7, gate: 1,
    gc: [{ op: 'alloc_kb', kb: 64 }, { op: 'gc', type: 'major' }, { op: 'immediate', n: 2 }, { op: 'sleep_ms', ms: 2 }],
  };
  fs.writeFileSync(rec, JSON.stringify(original));
  // K = 3: a reduction must hold in all 3 runs to be kept; the gate makes
  // the case reproduce every time. (Without the gate this test failed under
  // load: the delay was driven to the edge of the window, and then no GC
  // step could go.)
  const r = await gcfuzz(['minimize', '--config', 'config/ci.json', '--runs', '3', rec]);
  assert.strictEqual(r.code, 0, r.stderr);
  const baseline = Number(r.stderr.match(/original reproduces (\d)\/3/)[1]);
  assert.strictEqual(baseline, 3, r.stderr);
  assert.match(r.stderr, /minimize: accepted /);
  const updated = readJson(rec);
  const min = updated.minimized_case;
  for (const k of ['elems', 'elem_len', 'delay_us', 'concurrency']) assert.ok(min[k] <= original.case[k], `${k}: ${min[k]} <= ${original.case[k]}`);
  assert.ok(min.gc.length < original.case.gc.length, 'GC steps were removed');
  assert.ok(min.gc.some((g) => g.op === 'gc' && g.type === 'major'), 'the GC that frees the inputs stays');
  assert.ok(min.gc.every((g) => g.op === 'gc' || g.op === 'immediate'), JSON.stringify(min.gc));
  assert.ok(min.elems < original.case.elems && min.concurrency === 1, 'it did shrink');
  assert.strictEqual(updated.minimized_rate.runs, 3);
  assert.strictEqual(updated.minimized_rate.reproduced, 3, 'no less than the original 3/3');
  assert.strictEqual(updated.count, original.count, 'the bucket is otherwise untouched');
  // The minimized case is on disk and replays the same signature.
  const file = path.join(out, 'minimized', `${ASAN_HASH}.json`);
  assert.deepStrictEqual(readJson(file), min);
  const check = JSON.parse(JSON.stringify(updated));
  check.case = min;
  fs.writeFileSync(path.join(out, 'check.json'), JSON.stringify(check));
  const rep = await gcfuzz(['replay', '--config', 'config/ci.json', '--runs', '3', path.join(out, 'check.json')]);
  assert.strictEqual(rep.code, 1, rep.stderr);
  assert.ok(JSON.parse(rep.stdout).cases[0].reproduced >= 1);
});

test('minimize refuses a case that does not reproduce', async () => {
  const out = copyFixture('minimize-fixed');
  const rec = path.join(out, 'crashes', `${ASAN_HASH}.json`);
  const r = readJson(rec);
  r.case.entry = 'sum'; // the shipped fix: never reproduces
  fs.writeFileSync(rec, JSON.stringify(r));
  const m = await gcfuzz(['minimize', '--config', 'config/ci.json', '--runs', '2', rec]);
  assert.strictEqual(m.code, 1);
  assert.match(m.stderr, /does not reproduce its signature in 2 runs/);
});

test('report: Markdown and SARIF have one entry per bucket; SARIF validates', async () => {
  const out = copyFixture('report');
  const r = await gcfuzz(['report', '--source-root', ROOT, '--category', 'nightly', out]);
  assert.strictEqual(r.code, 0, r.stderr);
  const n = records(out).length;
  assert.strictEqual(n, 3);
  const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
  assert.strictEqual(md.split('\n').filter((l) => /^\| [^|]+ \| (asan|signal) \|/.test(l)).length, n);
  const sarif = readJson(path.join(out, 'report.sarif'));
  const validate = sarifValidator();
  assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 1));
  // The validator is not vacuous: a broken log fails it.
  assert.ok(!validate({ ...sarif, version: '2.0.0' }));
  assert.ok(!validate({ ...sarif, runs: [{ results: sarif.runs[0].results }] })); // no tool
  assert.strictEqual(sarif.runs[0].results.length, n);
  const uaf = sarif.runs[0].results.find((x) => x.partialFingerprints['gcfuzzSignature/v1'] === ASAN_HASH);
  assert.strictEqual(uaf.ruleId, 'gcfuzz/asan/heap-use-after-free');
  // GitHub code scanning: paths from the repository root under %SRCROOT%,
  // which originalUriBaseIds defines; a stable category; the stacks.
  const phys = uaf.locations[0].physicalLocation;
  assert.deepStrictEqual(phys.artifactLocation, { uri: 'addon/src/core.c', uriBaseId: '%SRCROOT%' });
  assert.ok(fs.existsSync(path.join(ROOT, phys.artifactLocation.uri)), 'the path is a file of the repository');
  assert.ok(phys.region.startLine > 0);
  assert.strictEqual(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri, `file://${ROOT}/`);
  assert.strictEqual(sarif.runs[0].automationDetails.id, 'gcfuzz/nightly/');
  assert.deepStrictEqual(uaf.stacks.map((st) => st.message.text), ['access', 'freed by', 'allocated by']);
  const frames = uaf.stacks[0].frames.map((f) => f.location);
  assert.strictEqual(frames[1].physicalLocation.artifactLocation.uri, 'addon/src/entries.c');
  assert.ok(!('physicalLocation' in frames[2]), 'an address in node has no file');
  assert.strictEqual(frames[2].logicalLocations[0].name, 'node::ThreadPoolWork::ScheduleWork');
  assert.match(uaf.message.text, new RegExp(`Replay, in the output folder: gcfuzz replay --runs auto crashes/${ASAN_HASH}\\.json$`));
  assert.ok(!JSON.stringify(sarif.runs[0].results).includes(out), 'no path of the machine that found it');
  const libuv = uaf.stacks[0].frames[3].location.physicalLocation.artifactLocation;
  assert.deepStrictEqual(libuv, { uri: 'deps/uv/src/threadpool.c' }, 'a file not in the repository has no %SRCROOT% base');
  assert.strictEqual(sarif.runs[0].tool.driver.version, (await gcfuzz(['--version'])).stdout.split(' ')[1].trim());
});

test('report: each bucket\'s status from its last replay, fresh and warm rates side by side, a replay line without this machine\'s paths', async () => {
  const out = copyFixture('report-status');
  const warmFile = path.join(out, 'crashes', '13e442b8d7ce4407.json');
  fs.writeFileSync(warmFile, JSON.stringify({ ...readJson(warmFile), reproducibility: { runs: 5, reproduced: 0 }, reproducibility_warm: { runs: 5, reproduced: 2 } }));
  const rep = await gcfuzz(['replay', '--config', 'config/ci.json', '--runs', '2', path.join(out, 'crashes', `${ASAN_HASH}.json`)]);
  const verdict = JSON.parse(rep.stdout).cases[0];
  const kept = readJson(path.join(out, 'crashes', `${ASAN_HASH}.json`)).last_replay;
  assert.deepStrictEqual([kept.status, kept.runs, kept.reproduced, kept.build], [verdict.status, 2, verdict.reproduced, 'asan']);
  assert.match(kept.time, /^\d{4}-\d\d-\d\dT/);
  assert.strictEqual((await gcfuzz(['report', out])).code, 0);
  const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
  const line = (hash) => md.split('\n').find((l) => l.includes(`crashes/${hash}.json`));
  const word = verdict.status === 'reproduced' ? 'open' : verdict.status;
  assert.ok(line(ASAN_HASH).startsWith(`| ${word} (${verdict.reproduced}/2 on asan, Node ${kept.node_version}, ${kept.time.slice(0, 10)}) | asan |`), line(ASAN_HASH));
  assert.match(line('13e442b8d7ce4407'), /^\| open \(not replayed\) \|.* \| 0\/5 \| 2\/5 \| /);
  for (const l of [line(ASAN_HASH), line('13e442b8d7ce4407')]) {
    assert.ok(!l.includes(ROOT) && !l.includes(out), l);
    assert.match(l, /`gcfuzz replay --config CONFIG --runs auto crashes\/[0-9a-f]{16}\.json` \|$/);
  }
  const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
  assert.ok(html.indexOf('<h2>Buckets</h2>') < html.indexOf('<h2>Over time</h2>'), 'the bucket table first');
  assert.match(html, /<td class="status">open \(not replayed\)<\/td>/);
});

test('report.html renders in Chromium with one table row per bucket and its four charts', async () => {
  const out = copyFixture('report-html');
  assert.strictEqual((await gcfuzz(['report', out])).code, 0);
  const url = `file://${path.join(out, 'report.html')}`;
  const dom = await chromium(['--dump-dom', url]);
  assert.strictEqual(dom.code, 0);
  assert.strictEqual((dom.out.match(/<tr class="bucket"/g) || []).length, 3);
  assert.strictEqual((dom.out.match(/<polyline /g) || []).length, 4);
  for (const title of ['execs/s', 'crashes (cumulative)', 'corpus (cases)', 'window features']) assert.ok(dom.out.includes(title), title);
  assert.match(dom.out, /<span id="nbuckets">3<\/span>/);
  const png = path.join(out, 'report.png');
  const shot = await chromium(['--window-size=1400,1000', `--screenshot=${png}`, url]);
  assert.strictEqual(shot.code, 0);
  const bytes = fs.readFileSync(png);
  assert.deepStrictEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
  assert.ok(bytes.length > 20000, `a real page, not a blank one (${bytes.length} bytes)`);
});

test('records are untrusted: a crafted hash is refused, a non-string frame does not crash the report, and replay lines are shell-quoted', async () => {
  const out = copyFixture('hostile-records');
  const crashes = path.join(out, 'crashes');
  const some = fs.readdirSync(crashes).filter((f) => f.endsWith('.json'))[0];
  const rec = JSON.parse(fs.readFileSync(path.join(crashes, some), 'utf8'));
  // A hash that would break out of an HTML attribute.
  fs.writeFileSync(path.join(crashes, 'evil.json'), JSON.stringify({ ...rec, hash: '"><b>pwned</b><' }));
  // A frame whose function is not a string.
  rec.frames = [{ function: 42, location: { x: 1 }, target: true }];
  fs.writeFileSync(path.join(crashes, some), JSON.stringify(rec));
  const r = await gcfuzz(['report', out]);
  assert.strictEqual(r.code, 0, r.stderr);
  assert.match(r.stderr, /evil\.json: not a gcfuzz crash record/);
  const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
  assert.ok(!html.includes('<b>pwned</b>'), 'no markup from a record');

  // An OUT path with a space, quotes and a command substitution.
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), "gcfuzz q 'x' $(touch PWNED) "));
  const o = path.join(dir, 'out');
  const s = await gcfuzz(['soak', '--config', 'config/ci.json', '--entry', 'sum_borrowed', '--out', o, '--stop-on-crash', '--max-time', '30', '--seed', '1', '--workers', '2']);
  assert.strictEqual(s.code, 1, s.stderr);
  const line = records(o)[0].replay;
  // Pasted into a POSIX shell, the line is exactly its words, and runs nothing.
  const words = require('node:child_process').spawnSync('sh', ['-c', `cd "$1" && set -- ${line} && printf '%s\\n' "$@"`, 'sh', dir], { encoding: 'utf8' });
  assert.strictEqual(words.status, 0, words.stderr);
  const argv = words.stdout.split('\n').filter(Boolean);
  assert.strictEqual(argv[argv.length - 1], path.join(o, 'crashes', `${records(o)[0].hash}.json`));
  assert.ok(!fs.existsSync(path.join(dir, 'PWNED')) && !fs.existsSync(path.join(ROOT, 'PWNED')), 'nothing ran');
});

test('report covers the whole history of OUT: sessions of older versions, a rotated stats file', async () => {
  const out = copyFixture('report-history');
  const line = (time, uptime_s, execs, crashes, extra = {}) => JSON.stringify({ time, uptime_s, execs, crashes, execs_per_s: 10, ...extra });
  // Two sessions whose counters restarted (an older version), the first in
  // the rotated generation, then a session of this version (cumulative).
  fs.writeFileSync(path.join(out, 'stats.jsonl.1'), [
    line('2026-11-25T09:00:01Z', 1, 10, 1), line('2026-11-25T09:00:03Z', 3, 30, 2)].join('\n') + '\n');
  fs.writeFileSync(path.join(out, 'stats.jsonl'), [
    line('2026-11-25T10:00:01Z', 1, 5, 0), line('2026-11-25T10:00:02Z', 2, 15, 1),
    line('2026-11-25T11:00:02Z', 2, 55, 4, { run_time_s: 4, sessions: 2 })].join('\n') + '\nnot json\n');
  const r = await gcfuzz(['report', out]);
  assert.strictEqual(r.code, 0, r.stderr);
  // Sessions of 30 and 15 execs (counters restarting), then this version's,
  // which continued from the last stats.json (15 -> 55: 40 more): 85 in all,
  // over 3 + 2 + 2 s of run time.
  assert.match(fs.readFileSync(path.join(out, 'report.md'), 'utf8'), /^85 execs in 7 s, 3 bucket\(s\), 3 bug\(s\)\.$/m);
  const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
  assert.match(html, /<span id="execs">85<\/span> execs in 7 s/);
});

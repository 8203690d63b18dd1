'use strict';
// Running gcfuzz as a service: an installed tree that works from any
// directory, the systemd unit, status lines without a terminal, stats that
// continue across resumes, and the Prometheus file.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT, tmpdir, gcfuzz, writeConfig, readJson } = require('./helpers.js');

function run(bin, args, opts) {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('make install PREFIX: the installed gcfuzz soaks from / with its defaults; the unit verifies', { timeout: 120000 }, async (t) => {
  const prefix = path.join(tmpdir('install'), 'prefix with space');
  const inst = spawnSync('make', ['-s', 'install', `PREFIX=${prefix}`], { cwd: ROOT, encoding: 'utf8' });
  assert.strictEqual(inst.status, 0, inst.stderr);
  // It builds only what runs (#21): everything it would build, forced, has
  // no unit test (cmocka) and no libFuzzer target (clang) in it.
  const plan = spawnSync('make', ['-n', '-B', 'install', `PREFIX=${prefix}`], { cwd: ROOT, encoding: 'utf8' });
  assert.strictEqual(plan.status, 0, plan.stderr);
  assert.match(plan.stdout, /build\/gcfuzz/);
  assert.doesNotMatch(plan.stdout, /-lcmocka|build\/fuzz\/|-fsanitize=fuzzer/);
  const bin = path.join(prefix, 'bin', 'gcfuzz');
  assert.ok(fs.existsSync(path.join(prefix, 'lib', 'gcfuzz', 'libgcfuzz_crash.so')), 'the release builds\' crash handler');
  assert.match((await run(bin, ['--version'], { cwd: '/' })).stdout, /^gcfuzz \d+\.\d+\.\d+\n$/);
  const man = fs.readFileSync(path.join(prefix, 'share', 'man', 'man1', 'gcfuzz.1'), 'utf8');
  assert.match(man, new RegExp(`"gcfuzz ${(await run(bin, ['--version'])).stdout.split(' ')[1].trim()}"`), 'the man page has this version');
  // the docs as in the source tree, README.md beside doc/: its links work installed
  const docs = path.join(prefix, 'share', 'doc', 'gcfuzz');
  assert.ok(fs.existsSync(path.join(docs, 'README.md')), 'README.md installed');
  for (const f of fs.readdirSync(path.join(ROOT, 'doc')).filter((x) => x.endsWith('.md'))) {
    assert.ok(fs.existsSync(path.join(docs, 'doc', f)), `doc/${f} installed`);
  }
  const out = path.join(tmpdir('install-out'), 'o');
  const r = await run(bin, ['soak', '--max-time', '3', '--out', out], { cwd: '/' });
  assert.strictEqual(r.code, 0, r.stderr);
  assert.ok(readJson(path.join(out, 'stats.json')).execs > 0, 'cases ran on the installed harness and addon');
  // the installed hunt has its phases and node-gyp driver: a package whose
  // build fails gets to its build phase and is a row, from /
  const hunt = path.join(tmpdir('install-hunt'), 'h');
  const h = await run(bin, ['hunt', path.join(ROOT, 'tests', 'fixtures', 'huntbroken'), '--out', hunt, '--cache', `${hunt}-cache`], { cwd: '/' });
  assert.strictEqual(h.code, 0, h.stderr);
  const row = readJson(path.join(hunt, 'hunt.json')).packages[0];
  assert.deepStrictEqual([row.status, row.failed_phase], ['failed', 'build'], row.reason);
  const unit = path.join(prefix, 'lib', 'systemd', 'system', 'gcfuzz@.service');
  assert.ok(fs.readFileSync(unit, 'utf8').includes(`ExecStart="${prefix}/bin/gcfuzz" soak `));
  if (spawnSync('systemd-analyze', ['--version']).status !== 0) return t.skip('no systemd-analyze here');
  const v = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8' });
  assert.strictEqual(v.status, 0, v.stderr);
});

test('stats continue across resumes; status lines without a tty; metrics.prom escapes its labels', { timeout: 60000 }, async () => {
  const dir = tmpdir('service');
  const out = path.join(dir, 'out "q" \\ x'); // a label value that needs escaping
  const cfg = writeConfig(dir, 'soak', { stats_interval_ms: 200, feedback: false });
  const soak = () => gcfuzz(['soak', '--config', cfg, '--out', out, '--workers', '1', '--entry', 'sum', '--max-time', '2', '--status-every', '0.5']);
  const first = await soak();
  assert.strictEqual(first.code, 0, first.stderr);
  const s1 = readJson(path.join(out, 'stats.json'));
  const lines = first.stderr.split('\n').filter((l) => l.startsWith('gcfuzz: status [soak sum]'));
  assert.ok(lines.length >= 2, `a status line every 0.5 s (${lines.length})`);
  assert.match(lines[0], /execs \d+ .* last new never +left \d+s$/);
  const second = await soak();
  assert.strictEqual(second.code, 0, second.stderr);
  const s2 = readJson(path.join(out, 'stats.json'));
  assert.strictEqual(s2.sessions, 2);
  assert.strictEqual(s2.first_start, s1.start_time);
  assert.ok(s2.execs === s1.execs + s2.session_execs && s2.session_execs > 0, `execs ${s1.execs} + ${s2.session_execs} = ${s2.execs}`);
  assert.ok(s2.run_time_s >= s1.run_time_s + s2.uptime_s - 0.01);
  assert.strictEqual(s2.version, (await gcfuzz(['--version'])).stdout.split(' ')[1].trim());
  assert.ok(Number.isInteger(s2.pid) && s2.pid > 0);
  assert.match(s2.command_line, /'soak' '--config' .* '--out' 'out "q" \\ x'|'--out' '[^']*out "q" \\ x'/);
  assert.strictEqual(s2.last_new_bucket, null);
  // metrics.prom: every sample line parses; the label is escaped; it agrees with stats.json.
  const prom = fs.readFileSync(path.join(out, 'metrics.prom'), 'utf8');
  const label = `out="${out.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}",phase="soak"`;
  const samples = prom.split('\n').filter((l) => l && !l.startsWith('#'));
  for (const l of samples) assert.ok(l.startsWith('gcfuzz_') && l.includes(`{${label}} `) && Number.isFinite(Number(l.split('} ')[1])), l);
  const value = (name) => Number(samples.find((l) => l.startsWith(`gcfuzz_${name}{`)).split('} ')[1]);
  assert.strictEqual(value('execs_total'), s2.execs);
  assert.strictEqual(value('buckets'), s2.buckets);
  assert.match(prom, /# TYPE gcfuzz_execs_total counter\n/);
});

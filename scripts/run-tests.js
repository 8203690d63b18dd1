#!/usr/bin/env node
// Runs every test suite of gcfuzz and ends with one line: "N passed, N failed".
//   cmocka unit tests   build/tests/test_*        (C: runner modules)
//   node --test         harness/test/, addon/test/, tests/integration/, tests/fuzz/ (libFuzzer targets)
// Usage: node scripts/run-tests.js [suite-name-substring...]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');
const filters = process.argv.slice(2);

function cmockaSuites() {
  const dir = path.join(ROOT, 'build', 'tests');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.startsWith('test_')).sort().map((f) => ({
    name: `unit/${f}`,
    run() {
      const r = spawnSync(path.join(dir, f), [], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      process.stdout.write(r.stdout + r.stderr);
      const out = r.stdout + r.stderr;
      const passed = Number((out.match(/\[  PASSED  \] (\d+) test/) || [0, 0])[1]);
      let failed = Number((out.match(/\[  FAILED  \] (\d+) test/) || [0, 0])[1]);
      if (r.status !== 0 && failed === 0) failed = 1; // crashed before its summary
      return { passed, failed };
    },
  }));
}

// The integration files spend most of their time waiting on workers and
// their children (a clean clone's integration suite on 2 cores, measured:
// 213 s one file at a time, 125 s two at a time in 0.5.0; with this
// release's files 203 s two at a time, 161 s three at a time); node
// --test's default is one file per core less one. The addon suite's rate
// tests take two at a time (70 s -> 52 s). Every test waits on events,
// never on time, so load cannot change a verdict.
function nodeSuite(name, dir, concurrency = 0) {
  return {
    name,
    run() {
      const tap = path.join(os.tmpdir(), `gcfuzz-tap-${process.pid}-${name.replace(/\W/g, '_')}`);
      const r = spawnSync(process.execPath, ['--expose-gc', '--test',
        ...(concurrency ? [`--test-concurrency=${concurrency}`] : []),
        '--test-reporter=spec', '--test-reporter-destination=stdout',
        '--test-reporter=tap', `--test-reporter-destination=${tap}`, dir],
      { cwd: ROOT, stdio: 'inherit' });
      const out = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
      fs.rmSync(tap, { force: true });
      const passed = Number((out.match(/^# pass (\d+)/m) || [0, 0])[1]);
      let failed = Number((out.match(/^# fail (\d+)/m) || [0, 0])[1]);
      failed += Number((out.match(/^# cancelled (\d+)/m) || [0, 0])[1]);
      if (r.status !== 0 && failed === 0) failed = 1;
      return { passed, failed };
    },
  };
}

const suites = [
  ...cmockaSuites(),
  nodeSuite('harness', 'harness/test/'),
  nodeSuite('addon', 'addon/test/', Math.max(2, os.availableParallelism())),
  nodeSuite('integration', 'tests/integration/', Math.max(3, os.availableParallelism() + 1)),
  nodeSuite('fuzz', 'tests/fuzz/'),
].filter((s) => filters.length === 0 || filters.some((f) => s.name.includes(f)));

let passed = 0;
let failed = 0;
const lines = [];
for (const s of suites) {
  console.log(`\n=== ${s.name} ===`);
  const r = s.run();
  passed += r.passed;
  failed += r.failed;
  lines.push(`  ${s.name}: ${r.passed} passed, ${r.failed} failed`);
}
console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

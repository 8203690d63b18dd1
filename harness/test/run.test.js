'use strict';
// harness/run.js's command line (node:util parseArgs, #21): --target=x and
// --target x both work, --help prints the usage (exit 0), an unknown option
// is refused with the usage (exit 2), and what follows -- reaches setup().
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const RUN = path.join(__dirname, '..', 'run.js');
const run = (args, input = '') => spawnSync(process.execPath, ['--expose-gc', RUN, ...args], { input, encoding: 'utf8' });

test('--target=x and --target x, --help, unknown options, -- ARGS', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcfuzz-run-args-'));
  const target = path.join(dir, 't.js');
  fs.writeFileSync(target, "module.exports = { setup: ({ args }) => ({ args }), entries: { e: { input: () => 1, oracle: () => 'a,b', call: async (xs, ctx) => ctx.args.join(',') } } };\n");
  const line = '{"id":"c","entry":"e","elems":1}\n';
  for (const args of [[`--target=${target}`], ['--target', target]]) {
    const r = run([...args, '--once', '--', 'a', 'b'], line);
    assert.strictEqual(r.status, 0, r.stderr);
    const result = r.stdout.trim().split('\n').map(JSON.parse).find((e) => e.event === 'result');
    assert.deepStrictEqual([result.outcome, result.checked], ['ok', 1], JSON.stringify(result)); // setup got a, b
  }
  const help = run(['--help']);
  assert.strictEqual(help.status, 0);
  assert.match(help.stdout, /^usage: node --expose-gc harness\/run\.js --target T\.js/);
  const bad = run(['--bogus']);
  assert.strictEqual(bad.status, 2);
  assert.match(bad.stderr, /^harness: .*--bogus[\s\S]*usage:/);
  const stray = run(['--target', target, 'stray']);
  assert.strictEqual(stray.status, 2);
  assert.match(stray.stderr, /unknown argument 'stray'/);
});

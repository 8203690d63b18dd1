'use strict';
// Environment teardown (case field `teardown`, harness/teardown.js): the
// calls run in a worker_threads Worker ended at step `teardown_at` of the
// schedule, terminated by the harness or by its own process.exit(). The
// runner is told with a `teardown` line before the end; calls still in
// flight are not judged (their results never come), calls settled before
// are; a target that cannot run in a Worker is said in the result (lacks
// worker), once per process, never by starting a Worker each case.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const RUN = path.join(__dirname, '..', 'run.js');

function harness(target, cases, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', RUN, '--target', target], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr, events: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)) }));
    child.stdin.end(cases.map((c) => JSON.stringify(c) + '\n').join(''));
  });
}

function targetFile(text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcfuzz-teardown-'));
  const file = path.join(dir, 't.js');
  fs.writeFileSync(file, text);
  return file;
}

// `where`: the call answers which thread it ran on (1: not the main one);
// `never`: a call that never settles; both with an oracle of 0.
const THREADS = targetFile(`const { isMainThread } = require('node:worker_threads');
module.exports = { entries: {
  where: { input: () => ({}), oracle: () => 0, call: async () => (isMainThread ? 0 : 1) },
  never: { input: () => ({}), oracle: () => 0, call: () => new Promise(() => {}) },
} };
`);

const results = (r) => r.events.filter((e) => e.event === 'result');

test('teardown cases run in a Worker ended at their point: announced first, settled calls judged, pending ones not', { timeout: 30000 }, async () => {
  const cases = [
    { id: 'n', entry: 'where', elems: 1, gc: [{ op: 'await' }] }, // no teardown: the main thread, exact
    { id: 't', entry: 'never', elems: 1, concurrency: 2, teardown: 1 }, // terminated with 2 in flight
    { id: 'w', entry: 'where', elems: 1, teardown: 1, teardown_at: 1, gc: [{ op: 'await' }] }, // settled in the Worker
    { id: 'x', entry: 'never', elems: 1, teardown: 2, teardown_at: 9, gc: [{ op: 'gc' }] }, // process.exit() after the schedule
  ];
  const r = await harness(THREADS, cases);
  assert.strictEqual(r.code, 0, r.stderr);
  const res = Object.fromEntries(results(r).map((e) => [e.id, e]));
  assert.deepStrictEqual([res.n.outcome, res.n.checked, res.n.teardown], ['ok', 1, undefined]);
  assert.deepStrictEqual([res.t.outcome, res.t.checked, res.t.teardown], ['ok', 0, { how: 'terminate', at: 0, pending: 2, exit_code: 1 }]);
  assert.deepStrictEqual([res.w.outcome, res.w.call, res.w.result], ['mismatch', 0, 1], 'the call ran in the Worker and was judged');
  assert.deepStrictEqual(res.x.teardown, { how: 'exit', at: 1, pending: 1, exit_code: 0 });
  const order = r.events.filter((e) => e.id === 't').map((e) => e.event);
  assert.deepStrictEqual(order, ['start', 'teardown', 'result']);
  assert.ok(!r.events.some((e) => e.event === 'teardown' && e.id === 'n'));
});

test('the gate held in the Worker is the process\'s, and is let go at the teardown: no hang at exit', { timeout: 30000 }, async () => {
  // fs work of the Worker's environment waits behind the held pool; its
  // teardown waits for that work, which runs once the harness lets go.
  const t = targetFile(`const fs = require('node:fs');
module.exports = { entries: { read: { input: () => ({}), call: () => fs.promises.readFile(__filename) } } };
`);
  const r = await harness(t, [{ id: 'g', entry: 'read', elems: 1, gate: 1, teardown: 1, gc: [{ op: 'gc' }] }]);
  assert.strictEqual(r.code, 0, r.stderr);
  const [g] = results(r);
  assert.deepStrictEqual([g.outcome, g.teardown.pending], ['ok', 1], JSON.stringify(g));
});

test('a target that cannot run in a Worker is said in the result, with one Worker started per process', { timeout: 30000 }, async () => {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gcfuzz-noworker-')), 'setups');
  const t = targetFile(`const fs = require('node:fs');
const { isMainThread } = require('node:worker_threads');
module.exports = {
  setup: () => { if (!isMainThread) { fs.appendFileSync(${JSON.stringify(log)}, 'w'); throw new Error('Module did not self-register'); } },
  entries: { e: { input: () => ({}), oracle: () => 1, call: async () => 1 } },
};
`);
  const cases = [1, 2, 3].map((i) => ({ id: `c${i}`, entry: 'e', elems: 1, teardown: i % 2 ? 1 : 2 }));
  const r = await harness(t, [...cases, { id: 'main', entry: 'e', elems: 1 }]);
  assert.strictEqual(r.code, 0, r.stderr);
  const res = results(r);
  for (const e of res.slice(0, 3)) {
    assert.deepStrictEqual([e.outcome, e.checked, e.lacks], ['ok', 0, ['worker']]);
    assert.match(e.message, /cannot run in a worker_threads Worker: Error: Module did not self-register/);
  }
  assert.deepStrictEqual([res[3].outcome, res[3].checked], ['ok', 1], 'the main thread still runs the target');
  assert.strictEqual(fs.readFileSync(log, 'utf8'), 'w', 'one Worker tried');
  assert.ok(!r.events.some((e) => e.event === 'teardown'));
});

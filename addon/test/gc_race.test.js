'use strict';
// The bug itself, in child processes (node --expose-gc + the ASan build).
// The schedule drops the Elems, then runs GC during the worker delay:
// finalizers free the native structs while the worker sleeps.
//
// Rates asserted (measured: borrowed 10/10 reported; fixes 0 reports):
//   sum_borrowed: ASan heap-use-after-free in >= 9 of 10 one-shot runs.
//   sum, sum_ref: 1000 cases each, every sum exact, no report, no crash.
const test = require('node:test');
const assert = require('node:assert');
const { runHarness, asanEnv } = require('./helpers.js');

const RACE = {
  elems: 64, elem_len: 256, delay_us: 5000,
  gc: [{ op: 'gc' }, { op: 'immediate', n: 1 }, { op: 'gc' }, { op: 'immediate', n: 1 }],
};

test('sum_borrowed under ASan: heap-use-after-free reported in >= 9/10 runs', async (t) => {
  let reported = 0;
  for (let i = 0; i < 10; i++) {
    const r = await runHarness(['--build', 'asan', '--once'],
      // 50 ms delay: the GC steps must land inside the window even when
      // other test files load both cores.
      [{ ...RACE, id: `borrowed-${i}`, entry: 'sum_borrowed', seed: i, delay_us: 50000 }], asanEnv());
    if (/ERROR: AddressSanitizer: heap-use-after-free/.test(r.stderr)) reported++;
  }
  t.diagnostic(`sum_borrowed reported in ${reported}/10 runs`);
  assert.ok(reported >= 9, `reported in ${reported}/10 runs`);
});

for (const entry of ['sum', 'sum_ref']) {
  test(`${entry} under ASan: 1000 racing cases, all exact, no report`, async () => {
    const cases = Array.from({ length: 1000 }, (_, i) =>
      ({ ...RACE, id: `${entry}-${i}`, entry, seed: i, delay_us: 1000 + (i % 5) * 500 }));
    const r = await runHarness(['--build', 'asan'], cases, asanEnv());
    assert.doesNotMatch(r.stderr, /AddressSanitizer/);
    assert.strictEqual(r.code, 0, r.stderr.slice(-2000));
    const results = r.events.filter((e) => e.event === 'result');
    assert.strictEqual(results.length, 1000);
    for (const x of results) {
      assert.strictEqual(x.outcome, 'ok', JSON.stringify(x));
      assert.strictEqual(x.checked, 1, 'the result was compared with the oracle');
    }
  });
}

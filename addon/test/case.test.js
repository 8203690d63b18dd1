'use strict';
// The case format, checked against the fixtures the C runner's tests use too,
// so the two validators cannot drift apart unnoticed.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { parseCase, parseCaseLine, CaseError } = require('../../harness/case.js');

const FIX = path.join(__dirname, '../../tests/fixtures/cases');
const lines = (f) => fs.readFileSync(path.join(FIX, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

test('every bad fixture is rejected with an error naming its field', () => {
  const bad = lines('bad.jsonl');
  assert.ok(bad.length >= 30);
  for (const { field, case: c } of bad) {
    assert.throws(() => parseCase(c), (e) => e instanceof CaseError && e.message.startsWith(`${field}:`),
      `expected an error on '${field}' for ${JSON.stringify(c)}`);
  }
});

test('duplicate keys are refused, naming the key (the fixture the C runner reads too)', () => {
  const rows = fs.readFileSync(path.join(FIX, 'duplicate-keys.txt'), 'utf8').split('\n').filter(Boolean);
  assert.ok(rows.length >= 3);
  for (const row of rows) {
    const [field, text] = row.split('\t');
    assert.throws(() => parseCaseLine(text), (e) => e instanceof CaseError && e.message === `${field}: duplicate key`, text);
  }
  assert.strictEqual(parseCaseLine('{"a_b":1}'.replace('a_b', 'elems')).elems, 1);
});

test('good fixtures parse, with defaults filled in', () => {
  for (const { case: c, expect } of lines('good.jsonl')) assert.deepStrictEqual(parseCase(c), expect);
});

test('every seed in corpus/seeds is a valid case', () => {
  const dir = path.join(__dirname, '../../corpus/seeds');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 12, 'a dozen seeds');
  const entries = new Set();
  for (const f of files) {
    const c = parseCase(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    entries.add(c.entry);
  }
  for (const e of ['sum', 'sum_ref', 'sum_borrowed']) assert.ok(entries.has(e), `a seed uses ${e}`);
});

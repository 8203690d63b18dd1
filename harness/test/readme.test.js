'use strict';
// The docs' tables document every field, step and window counter of the
// schema both validators come from, with its range and default
// (doc/case-format.md, doc/harness.md), and every crash record field
// (doc/output.md).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { SCHEMA } = require('../case.js');

const doc = (name) => fs.readFileSync(path.join(__dirname, '..', '..', 'doc', name), 'utf8');
const tableRows = (text) => text.split('\n').filter((l) => l.startsWith('| '));
const rows = tableRows(doc('case-format.md'));

test('every case field has a doc/case-format.md row with its range and default', () => {
  for (const f of SCHEMA.fields) {
    const row = rows.find((r) => r.startsWith(`| \`${f.name}\` | integer |`));
    assert.ok(row, `no row for ${f.name}`);
    assert.ok(row.includes(`| ${f.lo}–${f.hi} |`), `${f.name}: range ${f.lo}–${f.hi} in ${row}`);
    assert.ok(row.includes(`| ${f.default} |`), `${f.name}: default ${f.default} in ${row}`);
  }
});

test('every GC step has a doc/case-format.md row with its argument, range and default', () => {
  for (const s of SCHEMA.steps) {
    const row = rows.find((r) => r.startsWith(`| \`{"op":"${s.op}",`));
    assert.ok(row, `no row for ${s.op}`);
    assert.ok(row.includes(`| \`${s.arg}\` |`), `${s.op}: argument ${s.arg}`);
    const range = s.names ? s.names.map((n) => `\`${n}\``).join(', ') : `${s.lo}–${s.hi}`;
    const dflt = s.names ? `\`${s.names[s.default]}\`` : String(s.default);
    assert.ok(row.includes(`| ${range} | ${dflt} |`), `${s.op}: ${range}, default ${dflt} in ${row}`);
  }
});

test('every window counter has a doc/harness.md row', () => {
  const firstCells = tableRows(doc('harness.md')).map((r) => r.split('|')[1]);
  for (const w of SCHEMA.window) assert.ok(firstCells.some((c) => c.includes(`\`${w.name}\``)), w.name);
});

// The crash record's table (doc/output.md "The crash record"): one row per field
// of harness/record-schema.json, with its type, writer and merge rule; no
// row for a field the schema does not have.
test('every crash record field has a doc/output.md row with its type, writer and merge rule', () => {
  const RECORD = require('../record-schema.json');
  const page = doc('output.md');
  const start = page.indexOf('| field | type | written by | merge | meaning |');
  assert.ok(start > 0, 'the record table');
  const table = page.slice(start).split('\n\n')[0].split('\n').slice(2).filter((r) => r.startsWith('| '));
  const byName = new Map(table.map((r) => [r.split(' | ')[0].slice(3, -1), r]));
  for (const f of RECORD.fields) {
    const row = byName.get(f.name);
    assert.ok(row, `no row for ${f.name}`);
    const type = f.type === 'string' ? `string ≤ ${f.max} B` : f.type === 'int' ? `integer ${f.lo}–${f.hi}` : f.type === 'enum' ? `one of ${f.values.map((v) => `\`${v}\``).join(', ')}` : f.type === 'strings' ? `[string ≤ ${f.max} B]` : f.type;
    assert.ok(row.startsWith(`| \`${f.name}\` | ${type}${f.nullable ? ' or null' : ''}${f.required ? ', required' : ''} | ${f.writer} | ${f.merge} | `), `${f.name}: ${row}`);
  }
  for (const name of byName.keys()) assert.ok(RECORD.fields.some((f) => f.name === name), `a row for ${name}, which the schema does not have`);
});

'use strict';
// The README's case-format tables document every field, step and window
// counter of the schema both validators come from, with its range and default.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { SCHEMA } = require('../case.js');

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const rows = readme.split('\n').filter((l) => l.startsWith('| '));

test('every case field has a README row with its range and default', () => {
  for (const f of SCHEMA.fields) {
    const row = rows.find((r) => r.startsWith(`| \`${f.name}\` | integer |`));
    assert.ok(row, `no row for ${f.name}`);
    assert.ok(row.includes(`| ${f.lo}–${f.hi} |`), `${f.name}: range ${f.lo}–${f.hi} in ${row}`);
    assert.ok(row.includes(`| ${f.default} |`), `${f.name}: default ${f.default} in ${row}`);
  }
});

test('every GC step has a README row with its argument, range and default', () => {
  for (const s of SCHEMA.steps) {
    const row = rows.find((r) => r.startsWith(`| \`{"op":"${s.op}",`));
    assert.ok(row, `no row for ${s.op}`);
    assert.ok(row.includes(`| \`${s.arg}\` |`), `${s.op}: argument ${s.arg}`);
    const range = s.names ? s.names.map((n) => `\`${n}\``).join(', ') : `${s.lo}–${s.hi}`;
    const dflt = s.names ? `\`${s.names[s.default]}\`` : String(s.default);
    assert.ok(row.includes(`| ${range} | ${dflt} |`), `${s.op}: ${range}, default ${dflt} in ${row}`);
  }
});

test('every window counter has a README row', () => {
  const firstCells = rows.map((r) => r.split('|')[1]);
  for (const w of SCHEMA.window) assert.ok(firstCells.some((c) => c.includes(`\`${w.name}\``)), w.name);
});

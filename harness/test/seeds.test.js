'use strict';
// Every shipped seed of a target parses and names an entry its config lists.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { parseCase } = require('../case.js');

const ROOT = path.join(__dirname, '..', '..');
const dirs = [
  ...fs.readdirSync(path.join(ROOT, 'examples')).map((d) => path.join(ROOT, 'examples', d))
    .filter((d) => fs.existsSync(path.join(d, 'config.json'))),
  path.join(ROOT, 'tests', 'fixtures', 'bufaddon'),
];

for (const dir of dirs) {
  test(`seeds of ${path.relative(ROOT, dir)} are valid cases of its entries`, () => {
    const cfgFile = path.join(dir, 'config.json');
    const entries = fs.existsSync(cfgFile) ? JSON.parse(fs.readFileSync(cfgFile, 'utf8')).entries : null;
    const target = require(path.join(dir, 'target.js'));
    const seeds = fs.readdirSync(path.join(dir, 'seeds')).filter((f) => f.endsWith('.json'));
    assert.ok(seeds.length >= 2);
    for (const f of seeds) {
      const c = parseCase(JSON.parse(fs.readFileSync(path.join(dir, 'seeds', f), 'utf8')));
      assert.ok(c.entry in target.entries, `${f}: ${c.entry} is an entry of the target`);
      if (entries) assert.ok(entries.includes(c.entry), `${f}: ${c.entry} is in the config's entries`);
    }
  });
}

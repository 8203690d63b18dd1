// What bench/run.js and bench/zoo.js share: paths, temp dirs, the median, and
// configs derived from config/<base>.json with absolute paths.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const GCFUZZ = process.env.GCFUZZ_BIN || path.join(ROOT, 'build', 'gcfuzz');

const tmp = (name) => fs.mkdtempSync(path.join(os.tmpdir(), `gcfuzz-bench-${name}-`));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN; };
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

// config/<base>.json with the target and seeds made absolute and overrides
// applied (`limits` merged field by field); returns the written file's path.
function config(base, overrides) {
  const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', `${base}.json`), 'utf8'));
  cfg.target = path.join(ROOT, 'addon', 'target.js');
  cfg.seeds = path.join(ROOT, 'corpus', 'seeds');
  for (const [k, v] of Object.entries(overrides)) {
    if (k === 'limits') cfg.limits = { ...cfg.limits, ...v };
    else cfg[k] = v;
  }
  const file = path.join(tmp('cfg'), `${base}.json`);
  fs.writeFileSync(file, JSON.stringify(cfg));
  return file;
}

module.exports = { ROOT, GCFUZZ, tmp, median, log, config };

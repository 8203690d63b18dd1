#!/usr/bin/env node
// make examples: builds every example's npm package (examples/build.js),
// then runs `gcfuzz ci` on it, release and ASan, for EXAMPLES_TIME seconds
// each (default 30), and prints one Markdown table (also examples/results.md
// and examples/results.json).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { build } = require('./build.js');

const ROOT = path.join(__dirname, '..');
const GCFUZZ = path.join(ROOT, 'build', 'gcfuzz');
const SECONDS = Number(process.env.EXAMPLES_TIME || 30);
const names = process.argv.slice(2).length ? process.argv.slice(2)
  : fs.readdirSync(__dirname).filter((d) => fs.existsSync(path.join(__dirname, d, 'example.json'))).sort();

const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));

// The example's config with the build (and the control's) set, written
// next to it so that its relative paths keep working.
function configFor(name, flavour) {
  const dir = path.join(__dirname, name);
  const cfg = readJson(path.join(dir, 'config.json'));
  cfg.build = flavour;
  cfg.control = { ...cfg.control, build: flavour };
  const file = path.join(dir, `.config-${flavour}.json`);
  fs.writeFileSync(file, JSON.stringify(cfg, null, 2));
  return file;
}

function runCi(name, flavour) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `gcfuzz-example-${name}-${flavour}-`));
  const cfg = configFor(name, flavour);
  const r = spawnSync(GCFUZZ, ['ci', '--config', cfg, '--out', out, '--max-time', String(SECONDS), '--seed', '1'], { encoding: 'utf8' });
  fs.rmSync(cfg);
  const stats = fs.existsSync(path.join(out, 'stats.json')) ? readJson(path.join(out, 'stats.json')) : {};
  const crashes = path.join(out, 'crashes');
  const sigs = fs.existsSync(crashes) ? fs.readdirSync(crashes).filter((f) => f.endsWith('.json')).map((f) => readJson(path.join(crashes, f)).signature) : [];
  return { exit: r.status, execs: stats.execs || 0, rate: stats.execs_per_s_avg || 0, findings: sigs.length, signatures: sigs, out, stderr: r.stderr };
}

const rows = [];
for (const name of names) {
  const ex = build(name);
  for (const flavour of ['release', 'asan']) {
    process.stderr.write(`examples: ${name} (${flavour}), ${SECONDS}s\n`);
    const r = runCi(name, flavour);
    if (r.exit !== 0 && r.exit !== 1) process.stderr.write(r.stderr);
    rows.push({ package: `${ex.package}@${ex.version}`, build: flavour, ...r });
  }
}
const esc = (s) => String(s).replace(/[|\\`]/g, (c) => `\\${c}`);
const lines = [
  `Node ${process.version}, ${os.cpus().length} cores, ${SECONDS} s of \`gcfuzz ci\` per row (control: the demo addon's sum_borrowed).`,
  '',
  '| package | build | ci exit | execs | execs/s | findings | signatures |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${esc(r.package)} | ${r.build} | ${r.exit} | ${r.execs} | ${r.rate.toFixed(1)} | ${r.findings} | ${r.signatures.map(esc).join('<br>') || '-'} |`),
];
console.log(lines.join('\n'));
fs.writeFileSync(path.join(__dirname, 'results.md'), lines.join('\n') + '\n');
fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(rows.map(({ stderr, ...r }) => r), null, 2) + '\n');
process.exit(rows.every((r) => r.exit === 0 || r.exit === 1) ? 0 : 1);

#!/usr/bin/env node
// make examples: builds every example's npm package (examples/build.js),
// then runs `gcfuzz ci` on it, release and ASan (and on each mutant: the
// package with its GC fix taken out), for EXAMPLES_TIME seconds each
// (default 30). Then, for each mutant's gate_case, `gcfuzz replay --runs 10`
// with the window gate off and on, on the mutant and on the shipped build.
// Prints Markdown tables (also examples/results.md and results.json), and
// writes each mutant's finding as `gcfuzz report --issue` gives it into the
// example's README.
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
  const mutant = flavour.startsWith('mutant-');
  cfg.build = flavour;
  cfg.sanitizer = mutant || flavour === 'asan' ? 'address' : 'none';
  cfg.control = { ...cfg.control, build: mutant ? 'asan' : flavour };
  const file = path.join(dir, `.config-${flavour}.json`);
  fs.writeFileSync(file, JSON.stringify(cfg, null, 2));
  return file;
}

// The most frequent ASan bucket of a ci run as an upstream-ready issue
// (gcfuzz report --issue), written into the example's README between the
// markers: generated, never edited by hand.
const ISSUE_BEGIN = '<!-- gcfuzz report --issue: written by make examples, do not edit -->';
const ISSUE_END = '<!-- end of gcfuzz report --issue -->';
function writeIssue(name, cfg, out) {
  const crashes = path.join(out, 'crashes');
  const recs = fs.existsSync(crashes) ? fs.readdirSync(crashes).filter((f) => f.endsWith('.json')).map((f) => readJson(path.join(crashes, f))) : [];
  const top = recs.filter((r) => r.kind === 'asan').sort((a, b) => b.count - a.count)[0];
  if (!top) return;
  const r = spawnSync(GCFUZZ, ['report', '--issue', top.hash, '--config', cfg, out], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) return process.stderr.write(`examples: ${name}: report --issue: ${r.stderr}`);
  const readme = path.join(__dirname, name, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const block = `${ISSUE_BEGIN}\n\n${r.stdout.replace(/^# /, '### ').replace(/^## /gm, '#### ')}\n${ISSUE_END}`;
  const at = text.indexOf(ISSUE_BEGIN);
  const next = at < 0 ? `${text.trimEnd()}\n\n## The mutant's finding, as gcfuzz reports it\n\n${block}\n`
    : `${text.slice(0, at)}${block}${text.slice(text.indexOf(ISSUE_END) + ISSUE_END.length)}`;
  fs.writeFileSync(readme, next);
}

function runCi(name, flavour) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `gcfuzz-example-${name}-${flavour}-`));
  const cfg = configFor(name, flavour);
  const r = spawnSync(GCFUZZ, ['ci', '--config', cfg, '--out', out, '--max-time', String(SECONDS), '--seed', '1'], { encoding: 'utf8' });
  if (flavour.startsWith('mutant-')) writeIssue(name, cfg, out);
  fs.rmSync(cfg);
  const stats = fs.existsSync(path.join(out, 'stats.json')) ? readJson(path.join(out, 'stats.json')) : {};
  const crashes = path.join(out, 'crashes');
  const sigs = fs.existsSync(crashes) ? fs.readdirSync(crashes).filter((f) => f.endsWith('.json')).map((f) => readJson(path.join(crashes, f)).signature) : [];
  return { exit: r.status, execs: stats.execs || 0, rate: stats.execs_per_s_avg || 0, findings: sigs.length, signatures: sigs, out, stderr: r.stderr };
}

// `gcfuzz replay --runs K` of one case: how many runs failed.
function replayRate(name, flavour, c, runs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gcfuzz-gate-${name}-`));
  const file = path.join(dir, 'case.json');
  fs.writeFileSync(file, JSON.stringify(c));
  const cfg = configFor(name, flavour);
  const r = spawnSync(GCFUZZ, ['replay', '--config', cfg, '--runs', String(runs), file], { encoding: 'utf8' });
  fs.rmSync(cfg);
  fs.rmSync(dir, { recursive: true, force: true });
  const summary = JSON.parse(r.stdout || '{}');
  return summary.cases ? `${summary.cases[0].reproduced}/${runs}` : `error (exit ${r.status})`;
}

const rows = [];
const gateRows = [];
for (const name of names) {
  const ex = build(name);
  const mutants = ex.mutants || [];
  for (const flavour of ['release', 'asan', ...mutants.map((m) => `mutant-${m.name}`)]) {
    process.stderr.write(`examples: ${name} (${flavour}), ${SECONDS}s\n`);
    const r = runCi(name, flavour);
    if (r.exit !== 0 && r.exit !== 1) process.stderr.write(r.stderr);
    rows.push({ package: `${ex.package}@${ex.version}`, build: flavour, ...r });
  }
  for (const m of mutants.filter((x) => x.gate_case)) {
    const rate = (flavour, gate) => replayRate(name, flavour, { ...m.gate_case, id: `gate${gate}`, gate }, 10);
    gateRows.push({ package: `${ex.package}@${ex.version}`, case: m.gate_case, mutant: m.name,
      mutant_off: rate(`mutant-${m.name}`, 0), mutant_on: rate(`mutant-${m.name}`, 1), shipped_off: rate('asan', 0), shipped_on: rate('asan', 1) });
  }
}
const esc = (s) => String(s).replace(/[|\\`]/g, (c) => `\\${c}`);
const lines = [
  `Node ${process.version}, ${os.cpus().length} cores, ${SECONDS} s of \`gcfuzz ci\` per row (control: the demo addon's sum_borrowed).`,
  '',
  '| package | build | ci exit | execs | execs/s | findings | signatures |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${esc(r.package)} | ${r.build} | ${r.exit} | ${r.execs} | ${r.rate.toFixed(1)} | ${r.findings} | ${r.signatures.map(esc).join('<br>') || '-'} |`),
  '',
  'The window gate: one case replayed 10 times in fresh processes (`gcfuzz replay --runs 10`), gate off and on.',
  '',
  '| package | case | mutant, gate 0 | mutant, gate 1 | shipped (ASan), gate 0 | shipped (ASan), gate 1 |',
  '| --- | --- | --- | --- | --- | --- |',
  ...gateRows.map((g) => `| ${esc(g.package)} | \`${esc(JSON.stringify(g.case))}\` (${esc(g.mutant)}) | ${g.mutant_off} | ${g.mutant_on} | ${g.shipped_off} | ${g.shipped_on} |`),
];
console.log(lines.join('\n'));
fs.writeFileSync(path.join(__dirname, 'results.md'), lines.join('\n') + '\n');
fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify({ ci: rows.map(({ stderr, ...r }) => r), gate: gateRows }, null, 2) + '\n');
process.exit(rows.every((r) => r.exit === 0 || r.exit === 1) ? 0 : 1);

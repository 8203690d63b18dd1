#!/usr/bin/env node
// Triage of the zoo (issue #12's measure): for every bug variant under the
// release and the ASan build, a soak of TRIAGE_S seconds on that entry
// (confirmation on: fresh and warm), then every bucket it opened replayed
// with `--runs auto`. One bug should be one bug - one bucket, or one
// located bucket and the frameless manifestations linked to it
// (`same_bug_as`, doc/triage.md "One bug, several buckets") - and every bucket's
// verdict should be "reproduced" (the bugs are live).
//   TRIAGE_S=20 TRIAGE_BUILDS=release,asan
// Prints a Markdown table; writes bench/triage.json.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { GCFUZZ, tmp, log, config } = require('./common.js');

const SECONDS = Number(process.env.TRIAGE_S || 20);
const BUILDS = (process.env.TRIAGE_BUILDS || 'release,asan').split(',');
const VARIANTS = ['sum_borrowed', 'sum_array_ref', 'sum_weak_ref', 'sum_typed', 'sum_self'];

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(GCFUZZ, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', () => {});
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

const rate = (r) => (r ? `${r.reproduced}/${r.runs}` : '-');

(async () => {
  const rows = [];
  for (const build of BUILDS) {
    const cfg = config('ci', { build, confirm_runs: 3, feedback: true });
    for (const v of VARIANTS) {
      const out = tmp(`triage-${build}-${v}`);
      await run(['soak', '--config', cfg, '--out', out, '--entry', v, '--workers', '2', '--seed', '1', '--max-time', String(SECONDS)]);
      const dir = path.join(out, 'crashes');
      const recs = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) : [];
      const buckets = [];
      for (const r of recs) {
        const rep = await run(['replay', '--config', cfg, '--runs', 'auto', path.join(dir, `${r.hash}.json`)]);
        let c = {};
        try { c = JSON.parse(rep.stdout).cases[0]; } catch { /* no JSON: exit code says */ }
        buckets.push({ signature: r.signature, count: r.count, fresh: r.reproducibility, warm: r.reproducibility_warm,
          control: r.control, same_bug_as: r.same_bug_as ? r.same_bug_as.hash.slice(0, 8) : null, hash: r.hash.slice(0, 8),
          verdict: c.status || `exit ${rep.code}`, replay: `${c.reproduced ?? '?'}/${c.runs ?? '?'}`,
          as_same_bug: c.reproduced_as_same_bug || 0 });
      }
      buckets.sort((a, b) => !!a.same_bug_as - !!b.same_bug_as || b.count - a.count); // each bug's located bucket first
      const bugs = buckets.filter((b) => !b.same_bug_as).length;
      rows.push({ build, variant: v, bugs, buckets });
      log(`${build} ${v}: ${bugs} bug(s), ${buckets.length} bucket(s): ${buckets.map((b) => `${b.signature} ${b.verdict}`).join('; ')}`);
    }
  }
  fs.writeFileSync(path.join(__dirname, 'triage.json'), JSON.stringify(rows, null, 2));
  const md = [`# Triage of the zoo (${SECONDS} s soak per variant and build, replay --runs auto)`, '',
    '| build | variant | bugs | buckets | signature | same bug as | count | confirmed fresh | confirmed warm | control (failed/runs) | replay | verdict |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'];
  const ctl = (c) => (c ? `${c.failed}/${c.runs}` : '-');
  for (const r of rows) {
    if (r.buckets.length === 0) md.push(`| ${r.build} | ${r.variant} | 0 | 0 | - | | | | | | | not found |`);
    r.buckets.forEach((b, i) => md.push(`| ${r.build} | ${r.variant} | ${i ? '' : r.bugs} | ${i ? '' : r.buckets.length} | \`${b.signature}\` | ${b.same_bug_as ? `\`${b.same_bug_as}…\`` : ''} | ${b.count} | ${rate(b.fresh)} | ${rate(b.warm)} | ${ctl(b.control)} | ${b.replay}${b.as_same_bug ? ` (${b.as_same_bug} as the same bug)` : ''} | ${b.verdict} |`));
  }
  process.stdout.write(md.join('\n') + '\n');
})();

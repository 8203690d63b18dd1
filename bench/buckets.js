#!/usr/bin/env node
// The daemon's memory against its number of buckets: a storm of new
// signatures (tests/hostile/bucket_storm.js: every case a bucket of its
// own, a few KB of stderr each), the daemon's RSS when it holds 1 000 and
// 10 000 buckets, for each gcfuzz binary given (default: this tree's), side
// by side. Measures, asserts nothing. Each point is also said on stderr
// as it is reached; a binary gets BUCKETS_MAX_TIME seconds (default 3600:
// on a loaded machine 10 000 buckets take longer than the 11 min of an
// idle one).
//   node bench/buckets.js [GCFUZZ_BIN...]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT, tmp } = require('./common.js');

const POINTS = [1000, 10000];
const MAX_TIME = String(Number(process.env.BUCKETS_MAX_TIME) || 3600);
const bins = process.argv.slice(2).length ? process.argv.slice(2) : [path.join(ROOT, 'build', 'gcfuzz')];
const rssKb = (pid) => Number((fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/) || [0, 0])[1]);

function storm(bin) {
  const dir = tmp('buckets');
  const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'soak.json'), 'utf8'));
  Object.assign(cfg, { harness: path.join(ROOT, 'tests', 'hostile', 'bucket_storm.js'), target: null, seeds: path.join(ROOT, 'corpus', 'seeds'),
    confirm_runs: 0, feedback: false, minimize_new: false, stats_interval_ms: 500 });
  // A gcfuzz with max_buckets (0.6; 0.5.0 has no cap and refuses the key): past the points.
  if (spawnSync(bin, ['__config-keys'], { encoding: 'utf8' }).stdout.includes('"max_buckets"')) cfg.max_buckets = 100000;
  const cfgFile = path.join(dir, 'config.json');
  fs.writeFileSync(cfgFile, JSON.stringify(cfg));
  const out = path.join(dir, 'out');
  return new Promise((resolve) => {
    const child = spawn(bin, ['soak', '--config', cfgFile, '--out', out, '--workers', '4', '--seed', '1', '--max-time', MAX_TIME], { stdio: ['ignore', 'ignore', 'ignore'] });
    const points = [];
    const t0 = Date.now();
    const poll = setInterval(() => {
      let n = 0;
      try {
        n = fs.readdirSync(path.join(out, 'crashes')).length;
      } catch {
        return;
      }
      while (points.length < POINTS.length && n >= POINTS[points.length]) {
        points.push({ buckets: POINTS[points.length], rss_mb: +(rssKb(child.pid) / 1024).toFixed(1), s: Math.round((Date.now() - t0) / 1000) });
        process.stderr.write(`${bin}: ${JSON.stringify(points[points.length - 1])}\n`);
      }
      if (points.length === POINTS.length) child.kill('SIGKILL');
    }, 100);
    child.on('close', () => {
      clearInterval(poll);
      fs.rmSync(dir, { recursive: true, force: true });
      resolve(points);
    });
  });
}

(async () => {
  const rows = [];
  for (const bin of bins) rows.push({ bin, points: await storm(bin) });
  const per = (p) => (p.length === 2 ? ((p[1].rss_mb - p[0].rss_mb) * 1024 / (p[1].buckets - p[0].buckets)).toFixed(2) : '-');
  const lines = [
    `Node ${process.version}, ${os.cpus().length} cores; bucket_storm.js, 4 workers, every case a new bucket; the daemon's VmRSS.`,
    '',
    '| gcfuzz | RSS at 1 000 buckets | RSS at 10 000 buckets | KB per bucket (1 000 → 10 000) |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.bin} | ${r.points[0] ? `${r.points[0].rss_mb} MB (${r.points[0].s} s)` : '-'} | ${r.points[1] ? `${r.points[1].rss_mb} MB (${r.points[1].s} s)` : '-'} | ${per(r.points)} |`),
  ];
  console.log(lines.join('\n'));
})();

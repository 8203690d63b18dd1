'use strict';
// What ships for operators besides the binary: the GitHub Actions workflow
// and the Kubernetes manifest are valid YAML of the right shape, and every
// gcfuzz command line in them uses a subcommand and options that exist
// (checked against that subcommand's --help, so they cannot rot).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { ROOT, gcfuzz, tmpdir } = require('./helpers.js');

// Each gcfuzz invocation in a shell line or an argv array: [subcommand, options].
function invocations(texts) {
  const found = [];
  for (const t of texts) {
    const words = Array.isArray(t) ? t : t.split(/\s+/);
    words.forEach((w, i) => {
      if (w !== 'gcfuzz') return;
      const rest = words.slice(i + 1);
      const end = rest.findIndex((x) => x === '>' || x === '|' || x === '&&' || x === ';');
      const args = end < 0 ? rest : rest.slice(0, end);
      found.push([args[0], args.filter((a) => a.startsWith('--'))]);
    });
  }
  return found;
}

async function assertKnown(calls) {
  assert.ok(calls.length > 0);
  for (const [cmd, opts] of calls) {
    const help = await gcfuzz([cmd, '--help']);
    assert.strictEqual(help.code, 0, `gcfuzz ${cmd} exists`);
    for (const o of opts) assert.ok(help.stdout.includes(o), `gcfuzz ${cmd} has ${o}`);
  }
}

test('the GitHub Actions workflow: nightly and pull-request jobs of the right shape', async () => {
  const wf = YAML.parse(fs.readFileSync(path.join(ROOT, 'dist', 'github', 'gcfuzz.yml'), 'utf8'), { uniqueKeys: true });
  assert.match(wf.on.schedule[0].cron, /^\S+ \S+ \S+ \S+ \S+$/);
  assert.ok('pull_request' in wf.on);
  assert.strictEqual(wf.permissions['security-events'], 'write');
  const steps = wf.jobs.fuzz.steps;
  const idx = (pred) => steps.findIndex(pred);
  const uses = (prefix) => idx((s) => (s.uses || '').startsWith(prefix));
  const runs = (re) => idx((s) => re.test(s.run || ''));
  // Order: restore the corpus, replay it, fuzz, report, upload, save.
  const order = [uses('actions/cache/restore@'), runs(/gcfuzz replay/), runs(/gcfuzz ci --config/),
    runs(/gcfuzz report/), uses('github/codeql-action/upload-sarif@'), uses('actions/upload-artifact@'), uses('actions/cache/save@')];
  assert.ok(order.every((i) => i >= 0), JSON.stringify(order));
  assert.deepStrictEqual([...order].sort((a, b) => a - b), order);
  assert.strictEqual(steps[uses('github/codeql-action/upload-sarif@')].with.sarif_file, 'gcfuzz-out/report.sarif');
  const pr = steps[runs(/gcfuzz ci --pr/)];
  assert.match(pr.if, /pull_request/);
  await assertKnown(invocations(steps.map((s) => s.run || '')));
});

test('the Kubernetes Indexed Job: one OUT per index, then a merge', async () => {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(ROOT, 'dist', 'k8s', 'gcfuzz-indexed-job.yaml'), 'utf8')).map((d) => d.toJS());
  const [soak, merge] = docs;
  assert.strictEqual(soak.kind, 'Job');
  assert.strictEqual(soak.spec.completionMode, 'Indexed');
  const cmd = soak.spec.template.spec.containers[0].command;
  assert.ok(cmd.includes('$(JOB_COMPLETION_INDEX)') && cmd.some((a) => a.endsWith('-$(JOB_COMPLETION_INDEX)')), 'seed and OUT per index');
  const mcmd = merge.spec.template.spec.containers[0].command;
  assert.deepStrictEqual(mcmd.slice(0, 4), ['gcfuzz', 'merge', '--out', '/shared/merged']);
  assert.strictEqual(mcmd.length - 4, soak.spec.completions, 'every index merged');
  await assertKnown(invocations([cmd, mcmd]));
});

test('the Kubernetes hunt job: one shard and one folder per index, then a hunt merge of every shard', async () => {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(ROOT, 'dist', 'k8s', 'gcfuzz-hunt-job.yaml'), 'utf8')).map((d) => d.toJS());
  const [hunt, merge] = docs;
  assert.strictEqual(hunt.spec.completionMode, 'Indexed');
  const cmd = hunt.spec.template.spec.containers[0].command;
  assert.strictEqual(cmd[cmd.indexOf('--shard') + 1], `$(JOB_COMPLETION_INDEX)/${hunt.spec.completions}`);
  assert.ok(cmd[cmd.indexOf('--out') + 1].endsWith('-$(JOB_COMPLETION_INDEX)'), 'a folder per index');
  const mcmd = merge.spec.template.spec.containers[0].command;
  assert.deepStrictEqual(mcmd.slice(0, 5), ['gcfuzz', 'hunt', '--merge', '--out', '/shared/hunt']);
  assert.strictEqual(mcmd.length - 5, hunt.spec.completions, 'every shard merged');
  await assertKnown(invocations([cmd, mcmd]));
});

// #22: the config's scalar keys are one table in the runner
// (runner/gf_config_keys.c); doc/config.md's table states each with its
// type, range and default as the table has them, and the runner enforces
// the range it states.
test('every scalar config key has a doc/config.md row with the range and default the runner enforces', async () => {
  const page = fs.readFileSync(path.join(ROOT, 'doc', 'config.md'), 'utf8');
  const keys = JSON.parse((await gcfuzz(['__config-keys'])).stdout);
  assert.ok(keys.length >= 25, `${keys.length} keys`);
  for (const k of keys) {
    const row = page.split('\n').find((l) => l.startsWith(`| \`${k.name}\` |`));
    assert.ok(row, `no doc/config.md row for ${k.name}`);
    const cells = row.split('|').slice(1).map((c) => c.trim());
    assert.strictEqual(cells[1], k.type, `${k.name}: type in ${row}`);
    if (k.type === 'integer') {
      assert.strictEqual(cells[2], `${k.lo}–${k.hi}`, `${k.name}: range in ${row}`);
      assert.strictEqual(cells[3], String(k.default), `${k.name}: default in ${row}`);
    } else {
      assert.strictEqual(cells[3], String(k.default), `${k.name}: default in ${row}`);
    }
  }
  // The range is the one enforced: one past it is refused, naming the key.
  const dir = tmpdir('config-keys');
  for (const k of keys.filter((x) => x.type === 'integer').slice(0, 6)) {
    const [top, sub] = k.name.startsWith('limits.') ? ['limits', k.name.slice(7)] : [k.name, null];
    const cfg = path.join(dir, `${k.name}.json`);
    fs.writeFileSync(cfg, JSON.stringify(sub ? { [top]: { [sub]: k.hi + 1 } } : { [top]: k.hi + 1 }));
    const r = await gcfuzz(['replay', '--config', cfg, '/nonexistent.json']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, new RegExp(`${k.name.replace('.', '\\.')}: must be`), r.stderr);
  }
});

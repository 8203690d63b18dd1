#!/usr/bin/env node
// gcfuzz's harness: drives any target module through the harness protocol.
//   node --expose-gc harness/run.js --target T.js [--build B] [--once] [--probe-collection] [-- ARGS...]
// stdin: one JSON case per line. stdout: JSON lines: `ready` at start; per
// case a `start` line *before* any work (so the runner knows what was in
// flight if we die) and one `result` line. --once: one case, then exit.
// B and ARGS go to the target's setup({build, args}). --probe-collection:
// also count inputs collected in flight, which perturbs V8 (window.js).
'use strict';
const readline = require('node:readline');
const util = require('node:util');
const { parseCaseLine, CaseError } = require('./case.js');
const { runCase, exceptionOf } = require('./driver.js');
const { PerformanceObserver } = require('node:perf_hooks');
const { PoolGate } = require('./gate.js');
const { WindowProbe } = require('./window.js');
const { loadTarget, TargetError } = require('./target.js');
const { Teardown } = require('./teardown.js');

const USAGE = 'usage: node --expose-gc harness/run.js --target T.js [--build B] [--once] [--probe-collection] [-- ARGS...]';

function usage(msg) {
  process.stderr.write(`harness: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

const OPTIONS = {
  target: { type: 'string' },
  build: { type: 'string' },
  once: { type: 'boolean' },
  'probe-collection': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

// node:util's parseArgs: --target=x and --target x both work, and what
// follows -- goes to the target's setup as args.
function parseArgs(argv) {
  let parsed;
  try {
    parsed = util.parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    usage(e.message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const dashes = argv.indexOf('--');
  if (parsed.positionals.length && dashes < 0) usage(`unknown argument '${parsed.positionals[0]}'`);
  const opts = {
    target: v.target || process.env.GCFUZZ_TARGET || '', build: v.build || process.env.GCFUZZ_BUILD || 'release',
    once: !!v.once, probeCollection: !!v['probe-collection'], args: dashes >= 0 ? argv.slice(dashes + 1) : [],
  };
  if (!opts.target) usage('--target is required');
  return opts;
}

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

// A valid case for this target, or an error naming the field; a string id
// in the line is reported back even when the case is rejected.
function decode(line, target) {
  let id = null;
  try {
    const obj = JSON.parse(line);
    if (obj && typeof obj.id === 'string') id = obj.id;
  } catch {
    // parseCaseLine says why
  }
  try {
    const c = parseCaseLine(line);
    if (!Object.hasOwn(target.entries, c.entry))
      throw new CaseError(`entry: unknown entry '${c.entry}' (this target has ${Object.keys(target.entries).join(', ')})`);
    return { case: c };
  } catch (e) {
    return { error: e.message, id };
  }
}

// setup() failing is the target's: one line (the daemon shows the first
// line of a harness that never got ready) with the error and where it was.
async function setup(target, opts) {
  try {
    return await target.setup({ build: opts.build, args: opts.args });
  } catch (e) {
    const x = exceptionOf(e);
    throw new TargetError(`target ${opts.target}: setup failed: ${e && e.name ? `${x.name}: ` : ''}${x.message}${x.stack[0] ? ` (${x.stack[0]})` : ''}`);
  }
}

// The runtime and its version, as records keep it (node_version): Node's
// own ("v20.20.2"); Bun and Deno load Node-API addons too, and report a
// Node compatibility version as process.version, so they are named.
function runtimeVersion() {
  if (process.versions.bun) return `bun ${process.versions.bun}`;
  if (typeof Deno !== 'undefined' && Deno.version) return `deno ${Deno.version.deno}`; // eslint-disable-line no-undef
  return process.version;
}

// What the runtime cannot give, said in the ready line so the runner can
// say it once: Bun and Deno emit no GC performance entries, so the window
// counters of GCs read 0 there (doc/addon.md, "Other runtimes"). Node
// delivers the entry of a forced GC within two turns of the loop; twenty
// turns without one is none. Node always has them, and a forced GC at every
// worker start cost it about 5 % of the start (125 ms against 119), so
// only the other runtimes are probed.
function lacks() {
  if (!process.versions.bun && typeof Deno === 'undefined') return []; // eslint-disable-line no-undef
  return new Promise((resolve) => {
    let seen = 0;
    const obs = new PerformanceObserver((list) => (seen += list.getEntries().length));
    obs.observe({ entryTypes: ['gc'] });
    global.gc();
    let turns = 0;
    const step = () => {
      if (seen === 0 && ++turns < 20) return setImmediate(step);
      obs.disconnect();
      return resolve(seen ? [] : ['gc_entries']);
    };
    setImmediate(step);
  });
}

async function main(argv = process.argv.slice(2)) {
  const opts = parseArgs(argv);
  if (typeof global.gc !== 'function') usage('run node with --expose-gc');
  const target = loadTarget(opts.target);
  const ctx = (target.setup && (await setup(target, opts))) || {};
  const gate = new PoolGate();
  const probe = new WindowProbe({ collection: opts.probeCollection });
  const entries = Object.keys(target.entries);
  emit({
    event: 'ready', pid: process.pid, node: runtimeVersion(), build: String(ctx.build || opts.build),
    target: String(target.name || opts.target), entries, bugs: entries.filter((e) => target.entries[e].bug),
    threadpool: gate.size, lacks: await lacks(),
  });
  const teardown = new Teardown(opts, gate, emit);
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    const d = decode(line, target);
    if (d.error) {
      emit({ event: 'result', id: d.id, outcome: 'error', message: d.error });
    } else {
      emit({ event: 'start', id: d.case.id });
      const res = d.case.teardown ? await teardown.run(d.case) : await runCase(target, ctx, d.case, gate, probe);
      emit({ event: 'result', id: d.case.id, ...res });
    }
    if (opts.once) break;
  }
  rl.close();
  process.stdin.destroy();
  if (target.teardown) await target.teardown(ctx);
}

// main() as a program: a failure is one line on stderr (a target's, named)
// and exit 2.
function runMain(argv) {
  main(argv).catch((e) => {
    process.stderr.write(`harness: ${e && e.name === 'TargetError' ? e.message : e && e.stack}\n`);
    process.exit(2);
  });
}

if (require.main === module) runMain(process.argv.slice(2));

module.exports = { main, runMain };

// The body of a standalone reproducer (gcfuzz repro, harness/repro.js):
// runs one recorded case in fresh Node processes and says, per run, whether
// the record's failure showed. Inlined verbatim into the script it writes,
// beside the harness modules it loads through `load` (no gcfuzz needed).
//   node repro.js [RUNS] [--build B] [--dir D]
// RUNS (default 10); --build: what the target's setup gets as build (default
// the record's); --dir: the directory the target's own requires resolve from
// (default: where the target was, relative to the script).
'use strict';
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');

const RESULT = 'GCFUZZ_REPRO_RESULT ';

function usage(msg) {
  process.stderr.write(`repro: ${msg}\nusage: node repro.js [RUNS] [--build B] [--dir D]\n`);
  process.exit(2);
}

function parseArgs(argv, spec) {
  const o = { runs: 10, build: spec.build, dir: '', child: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--gcfuzz-child') o.child = true;
    else if ((a === '--build' || a === '--dir') && i + 1 < argv.length) o[a.slice(2)] = argv[++i];
    else if (/^[0-9]{1,4}$/.test(a) && Number(a) >= 1) o.runs = Number(a);
    else usage(`unknown argument '${a}'`);
  }
  return o;
}

// Where the target file was: its own requires (the addon, its helpers)
// resolve from there.
function targetFile(spec, o, scriptDir) {
  return o.dir ? path.join(path.resolve(o.dir), spec.target_name) : path.resolve(scriptDir, spec.target_rel);
}

// One run, in this process: the case once, its outcome as one line.
async function child(spec, o, load, scriptDir) {
  const { parseCase } = load('harness/case.js');
  const { runCase, exceptionOf } = load('harness/driver.js');
  const { PoolGate } = load('harness/gate.js');
  const { WindowProbe } = load('harness/window.js');
  const { checkTarget } = load('harness/target.js');
  const say = (r) => process.stdout.write(`${RESULT}${JSON.stringify(r)}\n`);
  let target, ctx;
  try {
    target = checkTarget(load('target', targetFile(spec, o, scriptDir)), spec.target_name);
    ctx = (target.setup && (await target.setup({ build: o.build, args: spec.args }))) || {};
  } catch (e) {
    say({ outcome: 'target_error', where: 'setup', ...exceptionOf(e) });
    return;
  }
  const res = await runCase(target, ctx, parseCase(spec.case), new PoolGate(), new WindowProbe());
  say(res);
  if (target.teardown) await target.teardown(ctx);
  process.exit(0); // the gate's FIFO read would keep the loop alive
}

// A child's failure as gcfuzz names it: {kind, bug_type}, or null (clean),
// or {kind: 'target_error'} (the target's own code failed: no verdict).
function classify(r, timeoutMs) {
  const err = r.stderr || '';
  const asan = /ERROR: AddressSanitizer: ([A-Za-z0-9_-]+)/.exec(err);
  if (asan) return { kind: 'asan', bug_type: asan[1], access: (/\b(READ|WRITE) of size/.exec(err) || [])[1] || '' };
  if (/# Fatal error in|FATAL ERROR:/.test(err)) return { kind: 'v8_fatal', bug_type: '' };
  if (r.error && r.error.code === 'ETIMEDOUT') return { kind: 'timeout', bug_type: `${timeoutMs}ms` };
  if (r.signal) return { kind: 'signal', bug_type: r.signal };
  const line = (r.stdout || '').split('\n').find((l) => l.startsWith(RESULT));
  const res = line ? JSON.parse(line.slice(RESULT.length)) : null;
  if (!res) return { kind: 'exit', bug_type: `exit-${r.status}` };
  if (res.outcome === 'ok') return null;
  if (res.outcome === 'target_error') return { kind: 'target_error', bug_type: res.where, detail: res.message };
  return { kind: res.outcome, bug_type: '', detail: res.outcome === 'mismatch' ? `call ${res.call}: got ${res.result}, expected ${res.expected}` : res.message };
}

// The record's failure, or one of its bug's other manifestations.
function shows(f, spec) {
  return spec.expect.some((e) => e.kind === f.kind && (e.kind !== 'asan' && e.kind !== 'signal' ? true : e.bug_type === f.bug_type));
}

function libasan() {
  if (process.env.GCFUZZ_LIBASAN) return process.env.GCFUZZ_LIBASAN;
  for (const cc of ['cc', 'gcc', 'clang']) {
    try {
      const p = execFileSync(cc, ['-print-file-name=libasan.so'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (p.startsWith('/')) return p;
    } catch {
      // the next compiler
    }
  }
  usage('this build needs AddressSanitizer preloaded: set GCFUZZ_LIBASAN to libasan.so');
}

function childEnv(spec) {
  const env = { ...process.env, UV_THREADPOOL_SIZE: String(spec.threadpool_size) };
  for (const kv of spec.env) env[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
  if (spec.sanitizer === 'address') {
    env.LD_PRELOAD = libasan();
    env.ASAN_OPTIONS = process.env.ASAN_OPTIONS || spec.asan_options;
  }
  return env;
}

function describe(f) {
  return `${f.kind}${f.bug_type ? ` ${f.bug_type}` : ''}${f.access ? ` ${f.access}` : ''}${f.detail ? `: ${String(f.detail).slice(0, 160)}` : ''}`;
}

function parent(spec, o, scriptFile) {
  const env = childEnv(spec);
  const argv = [...spec.node_args, scriptFile, '--gcfuzz-child', '--build', o.build, ...(o.dir ? ['--dir', o.dir] : [])];
  if (spec.sanitizer === 'address') process.stdout.write(`ASan build: each run is LD_PRELOAD=${env.LD_PRELOAD} ASAN_OPTIONS=${env.ASAN_OPTIONS} ${process.execPath} ${argv.join(' ')}\n`);
  let hit = 0, clean = 0, other = 0, unrun = 0;
  for (let i = 1; i <= o.runs; i++) {
    const r = spawnSync(process.execPath, argv, { env, encoding: 'utf8', timeout: spec.timeout_ms, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
    const f = classify(r, spec.timeout_ms);
    let what;
    if (!f) (clean++, (what = 'clean'));
    else if (f.kind === 'target_error') (unrun++, (what = `not run: the target's ${describe(f)}`));
    else if (shows(f, spec)) (hit++, (what = `FAILED as recorded: ${describe(f)}`));
    else (other++, (what = `failed otherwise: ${describe(f)}`));
    process.stdout.write(`run ${i}/${o.runs}: ${what}\n`);
  }
  const ran = o.runs - unrun;
  process.stdout.write(`${hit ? 'reproduced' : 'not reproduced'} ${hit}/${ran}${other ? ` (${other} other failure(s))` : ''}${unrun ? ` (${unrun} not run)` : ''}; the record: ${spec.record_rate}\n`);
  process.exitCode = hit ? 1 : ran === 0 ? 2 : 0;
}

function main(spec, load, scriptFile) {
  const o = parseArgs(process.argv.slice(2), spec);
  if (o.child) {
    child(spec, o, load, path.dirname(scriptFile)).catch((e) => {
      process.stderr.write(`repro: ${e && e.stack}\n`);
      process.exit(70);
    });
  } else parent(spec, o, scriptFile);
}

module.exports = { main, classify, shows };

// Shared by the addon tests: spawning the harness, the ASan environment.
'use strict';
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const ADDON_DIR = path.join(__dirname, '..');
const HARNESS = path.join(ADDON_DIR, '..', 'harness', 'run.js');
const TARGET = path.join(ADDON_DIR, 'target.js');

// The compiler's ASan runtime, which must be preloaded into an uninstrumented
// node for the ASan build of the addon to load.
function libasan() {
  if (process.env.GCFUZZ_LIBASAN) return process.env.GCFUZZ_LIBASAN;
  const r = spawnSync(process.env.CC || 'cc', ['-print-file-name=libasan.so'], { encoding: 'utf8' });
  return r.stdout.trim();
}

function asanEnv() {
  return { ...process.env, LD_PRELOAD: libasan(), ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1' };
}

// Runs the harness on the demo target (or `target`) with `lines` on stdin; resolves with its exit status and
// output once it exits. No timing involved: we wait for the process to end.
function runHarness(args, lines, env = process.env, target = TARGET) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', HARNESS, '--target', target, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => {
      const events = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      resolve({ code, signal, stdout, stderr, events });
    });
    child.stdin.on('error', () => {}); // the child may die before reading all
    child.stdin.end(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)) + '\n').join(''));
  });
}

module.exports = { ADDON_DIR, HARNESS, TARGET, libasan, asanEnv, runHarness };

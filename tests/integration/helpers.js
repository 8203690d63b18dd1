// Shared by the integration tests: run build/gcfuzz, temp dirs, configs.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');
const GCFUZZ = process.env.GCFUZZ_BIN || path.join(ROOT, 'build', 'gcfuzz');

function tmpdir(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `gcfuzz-${name}-`));
}

// Runs gcfuzz; resolves {code, signal, stdout, stderr}. onStderr(text, child)
// sees stderr as it arrives (to act on "gcfuzz: NEW ..." lines).
function gcfuzz(args, { onStderr } = {}) {
  return new Promise((resolve) => {
    const child = spawn(GCFUZZ, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (onStderr) onStderr(stderr, child);
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

// A config derived from config/<base>.json with overrides, written into dir.
// Paths in it are made absolute so the file can live anywhere.
function writeConfig(dir, base, overrides = {}) {
  const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', `${base}.json`), 'utf8'));
  cfg.target = path.join(ROOT, 'addon', 'target.js');
  cfg.seeds = path.join(ROOT, 'corpus', 'seeds');
  Object.assign(cfg, overrides);
  const file = path.join(dir, `${base}-test.json`);
  fs.writeFileSync(file, JSON.stringify(cfg, null, 2));
  return file;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function records(out) {
  const dir = path.join(out, 'crashes');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => readJson(path.join(dir, f)));
}

module.exports = { ROOT, GCFUZZ, tmpdir, gcfuzz, writeConfig, readJson, records };

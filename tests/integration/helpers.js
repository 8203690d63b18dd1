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

// The events OUT/events.jsonl holds so far (a line still being written is
// left out).
function events(out) {
  const file = path.join(out, 'events.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').flatMap((l) => {
    try { return [JSON.parse(l)]; } catch { return []; }
  });
}

// Soaks (args without --out) until `confirmations` buckets were confirmed,
// then stops it with SIGTERM: the test waits on what the records say, not
// on time.
// A soak stopped (SIGTERM: an orderly stop, exit 0) as soon as done(out)
// holds, checked from its first stderr line on: the test waits on what it
// needs to see, not on a fixed time (--max-time stays the bound).
function soakUntil(args, out, done) {
  return gcfuzz(['soak', ...args, '--out', out], {
    onStderr(text, child) {
      if (child.polling) return;
      child.polling = true;
      const poll = () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        let yes = false;
        try {
          yes = done(out);
        } catch {
          // a file not there yet
        }
        if (yes) child.kill('SIGTERM');
        else setTimeout(poll, 50);
      };
      poll();
    },
  });
}

function soakUntilConfirmed(args, out, confirmations) {
  return soakUntil(args, out, () => events(out).filter((e) => e.event === 'confirm').length >= confirmations);
}

// The official SARIF 2.1.0 schema (JSON Schema draft-04) as a validator (errors in
// .errors), compiled once.
let sarifValidate = null;
function sarifValidator() {
  if (!sarifValidate) {
    const Ajv = require('ajv-draft-04');
    // unicodeRegExp off: one pattern in the official schema is not valid with /u.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, logger: false });
    sarifValidate = ajv.compile(readJson(path.join(ROOT, 'tests', 'fixtures', 'sarif-2.1.0-rtm.5.json')));
  }
  return sarifValidate;
}

module.exports = { ROOT, GCFUZZ, tmpdir, gcfuzz, writeConfig, readJson, records, events, soakUntil, soakUntilConfirmed, sarifValidator };

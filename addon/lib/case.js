// The case format: parse and validate one case object, filling defaults.
// The C runner (runner/gf_case.c) enforces the same table; both are checked
// against the same fixture files (tests/fixtures/cases/).
'use strict';

const LIMITS = {
  elems: [0, 100000, 64],
  elem_len: [0, 1048576, 256],
  delay_us: [0, 10000000, 0],
  concurrency: [1, 64, 1],
  seed: [0, 4294967295, 0],
};
const MAX_STEPS = 64;
const MAX_TOTAL_DOUBLES = 33554432; // elems * elem_len * concurrency
const STEP_ARGS = {
  gc: { type: ['major', 'minor'] },
  immediate: { n: [1, 1000, 1] },
  sleep_ms: { ms: [0, 10000, 1] },
  alloc_kb: { kb: [1, 65536, 1024] },
  // Array ops: the harness then holds each call's array (not its elements)
  // through the schedule, and these edit it after the call.
  truncate: { len: [0, 100000, 0] },
  pop: { n: [1, 100000, 1] },
  replace: { n: [1, 100000, 100000] },
  splice: { n: [1, 100000, 100000] },
};
const ARRAY_OPS = ['truncate', 'pop', 'replace', 'splice'];
const ID_RE = /^[A-Za-z0-9._-]{1,63}$/;
const ENTRY_RE = /^[a-z0-9_]{1,31}$/;

class CaseError extends Error {}

function checkInt(obj, key, [lo, hi, dflt], where) {
  if (!(key in obj)) return dflt;
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new CaseError(`${where}${key}: must be an integer in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
  return v;
}

function checkKeys(obj, allowed, where) {
  for (const k of Object.keys(obj))
    if (!allowed.includes(k)) throw new CaseError(`${where}${k}: unknown field`);
}

function parseStep(s, i) {
  const where = `gc[${i}].`;
  if (s === null || typeof s !== 'object' || Array.isArray(s))
    throw new CaseError(`gc[${i}]: must be an object`);
  const args = STEP_ARGS[s.op];
  if (!args) throw new CaseError(`${where}op: unknown op ${JSON.stringify(s.op)} (expected ${Object.keys(STEP_ARGS).join(', ')})`);
  checkKeys(s, ['op', ...Object.keys(args)], where);
  const step = { op: s.op };
  for (const [k, spec] of Object.entries(args)) {
    if (typeof spec[0] === 'string') {
      const v = k in s ? s[k] : spec[0];
      if (!spec.includes(v)) throw new CaseError(`${where}${k}: must be one of ${spec.join(', ')}, got ${JSON.stringify(v)}`);
      step[k] = v;
    } else {
      step[k] = checkInt(s, k, spec, where);
    }
  }
  return step;
}

// Returns a complete case (defaults filled) or throws CaseError.
function parseCase(obj) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    throw new CaseError('case: must be a JSON object');
  checkKeys(obj, ['id', 'entry', 'gc', ...Object.keys(LIMITS)], '');
  const c = { id: 'case', entry: 'sum' };
  if ('id' in obj) {
    if (typeof obj.id !== 'string' || !ID_RE.test(obj.id))
      throw new CaseError(`id: must be 1-63 characters of [A-Za-z0-9._-], got ${JSON.stringify(obj.id)}`);
    c.id = obj.id;
  }
  if ('entry' in obj) {
    if (typeof obj.entry !== 'string' || !ENTRY_RE.test(obj.entry))
      throw new CaseError(`entry: must be 1-31 characters of [a-z0-9_], got ${JSON.stringify(obj.entry)}`);
    c.entry = obj.entry;
  }
  for (const [k, spec] of Object.entries(LIMITS)) c[k] = checkInt(obj, k, spec, '');
  if (c.elems * c.elem_len * c.concurrency > MAX_TOTAL_DOUBLES)
    throw new CaseError(`elems*elem_len*concurrency: must be at most ${MAX_TOTAL_DOUBLES}, got ${c.elems * c.elem_len * c.concurrency}`);
  const gc = 'gc' in obj ? obj.gc : [];
  if (!Array.isArray(gc)) throw new CaseError('gc: must be an array of steps');
  if (gc.length > MAX_STEPS) throw new CaseError(`gc: at most ${MAX_STEPS} steps, got ${gc.length}`);
  c.gc = gc.map(parseStep);
  return c;
}

module.exports = { parseCase, CaseError, LIMITS, STEP_ARGS, ARRAY_OPS, MAX_STEPS, MAX_TOTAL_DOUBLES };

// The case format: parse and validate one case object, filling defaults.
// Every field, step and range comes from case-schema.json, the description
// the C runner's tables are generated from too (scripts/gen-case-schema.js);
// both are also checked against tests/fixtures/cases/.
'use strict';
const SCHEMA = require('./case-schema.json');

const FIELDS = SCHEMA.fields;
const STEPS = Object.fromEntries(SCHEMA.steps.map((s) => [s.op, s]));
const ARRAY_OPS = SCHEMA.steps.filter((s) => s.array).map((s) => s.op);
const MAX_STEPS = SCHEMA.max_steps;
const MAX_TOTAL = SCHEMA.max_total;
const ID_RE = /^[A-Za-z0-9._-]{1,63}$/;
const ENTRY_RE = /^[a-z0-9_]{1,31}$/;

class CaseError extends Error {}

function checkInt(obj, key, lo, hi, dflt, where) {
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

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseStep(s, i) {
  const where = `gc[${i}].`;
  if (!isObject(s)) throw new CaseError(`gc[${i}]: must be an object`);
  const spec = Object.hasOwn(STEPS, s.op) ? STEPS[s.op] : null;
  if (!spec) throw new CaseError(`${where}op: unknown op ${JSON.stringify(s.op)} (expected ${Object.keys(STEPS).join(', ')})`);
  checkKeys(s, ['op', spec.arg], where);
  if (!spec.names) return { op: s.op, [spec.arg]: checkInt(s, spec.arg, spec.lo, spec.hi, spec.default, where) };
  const v = spec.arg in s ? s[spec.arg] : spec.names[spec.default];
  if (!spec.names.includes(v))
    throw new CaseError(`${where}${spec.arg}: must be one of ${spec.names.join(', ')}, got ${JSON.stringify(v)}`);
  return { op: s.op, [spec.arg]: v };
}

// Returns a complete case (defaults filled) or throws CaseError.
function parseCase(obj) {
  if (!isObject(obj)) throw new CaseError('case: must be a JSON object');
  checkKeys(obj, ['id', 'entry', 'gc', ...FIELDS.map((f) => f.name)], '');
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
  for (const f of FIELDS) c[f.name] = checkInt(obj, f.name, f.lo, f.hi, f.default, '');
  const total = SCHEMA.total.reduce((a, k) => a * c[k], 1);
  if (total > MAX_TOTAL) throw new CaseError(`${SCHEMA.total.join('*')}: must be at most ${MAX_TOTAL}, got ${total}`);
  const gc = 'gc' in obj ? obj.gc : [];
  if (!Array.isArray(gc)) throw new CaseError('gc: must be an array of steps');
  if (gc.length > MAX_STEPS) throw new CaseError(`gc: at most ${MAX_STEPS} steps, got ${gc.length}`);
  c.gc = gc.map(parseStep);
  return c;
}

module.exports = { parseCase, CaseError, SCHEMA, ARRAY_OPS, MAX_STEPS };

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

// The path of the first key an object of `text` (valid JSON) has twice, or
// null. JSON.parse keeps the last of duplicates and the C runner's cJSON the
// first: neither may silently win, so both refuse them, naming the key.
function duplicateKey(text) {
  const stack = []; // {keys: Set, key, path} for objects, {index, path} for arrays
  const childPath = (top) => (!top ? '' : top.keys ? (top.path ? `${top.path}.${top.key}` : top.key) : `${top.path}[${top.index}]`);
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const top = stack[stack.length - 1];
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (expectKey) {
        const key = JSON.parse(text.slice(i, j + 1));
        if (top.keys.has(key)) return top.path ? `${top.path}.${key}` : key;
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = j;
    } else if (ch === '{') {
      stack.push({ keys: new Set(), key: null, path: childPath(top) });
      expectKey = true;
    } else if (ch === '[') {
      stack.push({ index: 0, path: childPath(top) });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      if (top.keys) expectKey = true;
      else top.index++;
    }
  }
  return null;
}

// Parses one line of case JSON: a CaseError for bad JSON or a duplicate key.
function parseCaseLine(text) {
  let obj;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new CaseError(`not JSON: ${e.message}`);
  }
  const dup = duplicateKey(text);
  if (dup) throw new CaseError(`${dup}: duplicate key`);
  return parseCase(obj);
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

module.exports = { parseCase, parseCaseLine, duplicateKey, CaseError, SCHEMA, ARRAY_OPS, MAX_STEPS };

// The crash record, checked against record-schema.json: the same rules as
// the runner's (runner/gf_record.c) for the harness's tools (repro, issue).
// A required field that breaks its row makes the record unusable (an
// error naming it); an optional one is dropped and named.
'use strict';
const SCHEMA = require('./record-schema.json');
const { parseCase } = require('./case.js');

const MAX_ITEMS = 64;
const isCount = (v) => Number.isInteger(v) && v >= 0 && v <= SCHEMA.max_count;
const isHash = (v) => typeof v === 'string' && /^[0-9a-f]{16}$/.test(v);
const isStr = (v, max) => typeof v === 'string' && Buffer.byteLength(v) <= max;
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isRate = (v) => isObj(v) && isCount(v.runs) && isCount(v.reproduced) && v.reproduced <= v.runs;
const isLink = (v) => isObj(v) && isHash(v.hash) && isStr(v.signature, 511);
const isFrame = (f) => isObj(f) && isStr(f.function, 4096) && isStr(f.location, 4096) && typeof f.target === 'boolean' && (f.module === undefined || isStr(f.module, 4096));
const arrayOf = (v, ok) => Array.isArray(v) && v.length <= MAX_ITEMS && v.every(ok);
const mapOf = (v, key, ok) => isObj(v) && Object.entries(v).every(([k, x]) => key(k) && ok(x));

// Why v breaks row, or '' when it fits.
function why(row, v) {
  if (v === null && row.nullable) return '';
  const max = row.max === undefined ? 4096 : row.max;
  switch (row.type) {
    case 'count': return isCount(v) ? '' : 'must be an integer in [0, 2^53]';
    case 'int': return Number.isInteger(v) && v >= row.lo && v <= row.hi ? '' : `must be an integer in [${row.lo}, ${row.hi}]`;
    case 'string': return isStr(v, max) ? '' : `must be a string of at most ${max} bytes`;
    case 'hash': return isHash(v) ? '' : 'must be 16 hex digits';
    case 'time': return typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v) ? '' : 'must be YYYY-MM-DDTHH:MM:SSZ';
    case 'enum': return row.values.includes(v) ? '' : 'not one of its values';
    case 'bool': return typeof v === 'boolean' ? '' : 'must be true or false';
    case 'rate': return isRate(v) ? '' : 'must be {runs, reproduced}, counts, reproduced <= runs';
    case 'frames': return arrayOf(v, isFrame) ? '' : 'must be at most 64 frames {function, location, target[, module]}';
    case 'strings': return arrayOf(v, (s) => isStr(s, max)) ? '' : `must be at most 64 strings of at most ${max} bytes`;
    case 'link': return isLink(v) ? '' : 'must be {hash, signature}';
    case 'links': return arrayOf(v, isLink) ? '' : 'must be at most 64 {hash, signature}';
    case 'count_map': return mapOf(v, isHash, isCount) ? '' : 'must map origins (16 hex digits) to counts';
    case 'rate_map': return mapOf(v, (k) => /^[v0-9.+\-a-z]{1,31}$/.test(k), isRate) ? '' : 'must map Node versions to {runs, reproduced}';
    case 'object': {
      if (!isObj(v)) return 'must be an object';
      for (const sub of row.fields) {
        const w = Object.hasOwn(v, sub.name) ? why(sub, v[sub.name]) : '';
        if (w) return `${sub.name}: ${w}`;
      }
      return '';
    }
    case 'case':
      try {
        parseCase(v);
        return '';
      } catch (e) {
        return e.message;
      }
    default: return `unknown type ${row.type} in the schema`;
  }
}

class RecordError extends Error {}

// A copy of rec with the fields that broke their rows dropped, and their
// names: {record, dropped: ['field (why)']}. Throws a RecordError for a
// required field.
function checkRecord(rec) {
  if (!isObj(rec)) throw new RecordError('not a JSON object');
  const out = { ...rec };
  const dropped = [];
  for (const row of SCHEMA.fields) {
    if (!Object.hasOwn(rec, row.name)) {
      if (row.required) throw new RecordError(`${row.name}: missing (a required field)`);
      continue;
    }
    const w = why(row, rec[row.name]);
    if (!w) continue;
    if (row.required) throw new RecordError(`${row.name}: ${w}`);
    dropped.push(`${row.name} (${w})`);
    delete out[row.name];
  }
  return { record: out, dropped };
}

module.exports = { checkRecord, RecordError, SCHEMA };

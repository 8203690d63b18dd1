// What a package exports that hunt can call: functions and classes, found
// by walking a loaded module (its public entry, or a .node file) to a small
// depth. Same objects are listed once (a JS wrapper often re-exports the
// native functions), and the order is the module's own (Object.keys), so a
// restarted probe sees the same list.
'use strict';

const MAX_DEPTH = 2;
const MAX_CALLABLES = 64;

// A class: `class` syntax, or a function whose prototype has methods (what
// napi_define_class and nan's FunctionTemplate make).
function isClass(fn) {
  let src = '';
  try {
    src = Function.prototype.toString.call(fn);
  } catch {
    // a proxy, say
  }
  if (/^class\b/.test(src)) return true;
  const proto = fn.prototype;
  return !!proto && Object.getOwnPropertyNames(proto).some((k) => k !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, k).value === 'function');
}

function read(obj, key) {
  try {
    return obj[key];
  } catch {
    return undefined; // a throwing getter is not callable surface
  }
}

function enumerate(root, seen) {
  const out = [];
  const walk = (obj, path, depth) => {
    // own names, not keys: napi_define_properties makes napi_default ones non-enumerable
    for (const key of Object.getOwnPropertyNames(obj)) {
      if (out.length >= MAX_CALLABLES) return;
      const v = read(obj, key);
      if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) continue;
      seen.add(v);
      const p = [...path, key];
      if (typeof v === 'function') out.push({ id: `${root.name}:${p.join('.')}`, path: p, kind: isClass(v) ? 'class' : 'function', fn: v, parent: obj });
      else if (depth < MAX_DEPTH && !ArrayBuffer.isView(v) && !Array.isArray(v)) walk(v, p, depth + 1);
    }
  };
  const v = root.value;
  if (typeof v === 'function' && !seen.has(v)) {
    seen.add(v);
    out.push({ id: `${root.name}:`, path: [], kind: isClass(v) ? 'class' : 'function', fn: v, parent: undefined });
  }
  if (v && (typeof v === 'object' || typeof v === 'function')) walk(v, [], 0);
  return out;
}

module.exports = { enumerate, isClass };

// Static hints, to rank and to explain (never required): how the package
// binds to Node (nan, node-addon-api, Node-API, napi-rs and its napi crate
// version), and which of its source files take a pointer into a JS object
// (Buffer data, TypedArray data, an unwrapped object) without ever keeping a
// reference to one - the shape of the bug, in the sources.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const BORROW = /\b(napi_get_buffer_info|napi_get_typedarray_info|napi_get_arraybuffer_info|napi_unwrap|node::Buffer::Data|Buffer::Data|Napi::Buffer<[^>]*>::Data|\.Data\(\)|GetContents|GetBackingStore)\b/g;
const KEEP = /\b(napi_create_reference|SaveToPersistent|Napi::Reference|Napi::Persistent|Persistent<|Napi::ObjectReference|Reset\()/g;
const SRC = /\.(c|cc|cpp|cxx|h|hh|hpp)$/;

function sources(dir, max = 400) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (out.length >= max || e.name === 'node_modules' || e.name === 'build' || e.name.startsWith('.')) continue;
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.isFile() && SRC.test(e.name) && fs.statSync(f).size < 4 << 20) out.push(f);
    }
  };
  walk(dir);
  return out;
}

// The napi crate version a napi-rs binary was built with, from the cargo
// registry paths its panic messages keep (".../napi-2.16.17/src/...").
function napiRsVersion(file) {
  const text = fs.readFileSync(file).toString('latin1');
  const m = text.match(/[/\\]napi-(\d+\.\d+\.\d+)[/\\]/);
  return m ? m[1] : null;
}

function bindingStyle(src, meta, natives) {
  const deps = { ...(meta.dependencies || {}), ...(meta.optionalDependencies || {}) };
  if (!fs.existsSync(path.join(src, 'binding.gyp'))) {
    for (const n of natives) {
      const v = napiRsVersion(path.join(src, n));
      if (v) return { style: 'napi-rs', napi: v };
    }
    return { style: meta.napi || Object.keys(deps).some((d) => /-linux-x64-gnu$/.test(d)) ? 'napi-rs' : 'prebuilt' };
  }
  if (deps.nan) return { style: 'nan' };
  if (deps['node-addon-api']) return { style: 'node-addon-api' };
  return { style: 'Node-API' };
}

function sourceHints(src) {
  const files = [];
  for (const f of sources(src)) {
    const text = fs.readFileSync(f, 'latin1');
    const borrow = (text.match(BORROW) || []).length;
    const keep = (text.match(KEEP) || []).length;
    const async = /napi_create_async_work|AsyncWorker|Nan::AsyncQueueWorker|uv_queue_work/.test(text);
    if (borrow && async) files.push({ file: path.relative(src, f), borrow, keep, suspect: keep === 0 });
  }
  return files.sort((a, b) => b.suspect - a.suspect || b.borrow - a.borrow).slice(0, 12);
}

// target_frames for the package: ASan names a node-gyp build's frames by
// source paths relative to its build directory ("../src/x.cc:14"), so the
// package's own top-level source folders and files, with "../" before them
// (node's own frames are "../deps/uv/..." and "../src/node_*.cc" only in a
// debug build of node, which hunt does not use).
function framePatterns(src, natives) {
  const tops = new Set();
  for (const f of sources(src)) {
    const rel = path.relative(src, f).split(path.sep);
    tops.add(rel.length > 1 ? `../${rel[0]}/${rel[0] === 'deps' && rel.length > 2 ? `${rel[1]}/` : ''}` : `../${rel[0]}`);
  }
  const mods = natives.map((n) => path.basename(n, '.node'));
  return [...new Set([...tops].filter((t) => t !== '../deps/uv/').slice(0, 6).concat(mods))].slice(0, 8);
}

// Option keys whose values are Buffers, from the package's TypeScript
// declarations (`secret?: Buffer`): discovery puts the input there too.
function optionKeys(src) {
  const keys = new Set();
  const files = fs.readdirSync(src).filter((f) => f.endsWith('.d.ts')).map((f) => path.join(src, f));
  for (const f of files.slice(0, 8)) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(/\b([A-Za-z_$][\w$]*)\??\s*:\s*(?:Buffer|Uint8Array|ArrayBufferView|ArrayBuffer)\b(?!\s*\))/g))
      if (!/^(data|input|buf|buffer|value|key)$/i.test(m[1])) keys.add(m[1]);
  }
  return [...keys].slice(0, 4);
}

module.exports = { bindingStyle, sourceHints, napiRsVersion, framePatterns, optionKeys };

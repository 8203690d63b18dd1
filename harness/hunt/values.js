// The data kinds hunt passes to a package's functions, how to make each from
// the case PRNG, and how to copy one (the differential oracle calls on a
// copy). One table, read by the probe (discovery) and by generated targets
// (through rt.js), so both build an argument the same way.
'use strict';

const TYPED = { u8: Uint8Array, i32: Int32Array, f32: Float32Array, f64: Float64Array };

// A string of `n` printable ASCII characters (no NUL: C APIs stop at one).
function str(rng, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(0x61 + rng.below(26));
  return s;
}

// A typed array of about `size` bytes whose memory is its own.
function typed(Ctor, rng, size) {
  const n = Math.ceil(size / Ctor.BYTES_PER_ELEMENT);
  const a = new Ctor(n);
  for (let i = 0; i < n; i++) a[i] = Ctor === Float32Array || Ctor === Float64Array ? rng.float() * 1000 - 500 : rng.u32();
  return a;
}

// kind -> { make(rng, size), expr: the same in a generated target's source }
const KINDS = {
  buf: { make: (rng, n) => rng.bytes(n), expr: 'rng.bytes(size)', label: 'Buffer' },
  u8: { make: (rng, n) => typed(Uint8Array, rng, n), expr: "rt.make('u8', rng, size)", label: 'Uint8Array' },
  i32: { make: (rng, n) => typed(Int32Array, rng, n), expr: "rt.make('i32', rng, size)", label: 'Int32Array' },
  f32: { make: (rng, n) => typed(Float32Array, rng, n), expr: "rt.make('f32', rng, size)", label: 'Float32Array' },
  f64: { make: (rng, n) => typed(Float64Array, rng, n), expr: "rt.make('f64', rng, size)", label: 'Float64Array' },
  ab: { make: (rng, n) => rng.bytes(n).buffer, expr: "rt.make('ab', rng, size)", label: 'ArrayBuffer' },
  dv: { make: (rng, n) => new DataView(rng.bytes(n).buffer), expr: "rt.make('dv', rng, size)", label: 'DataView' },
  str: { make: (rng, n) => str(rng, n), expr: "rt.make('str', rng, size)", label: 'string' },
};

function make(kind, rng, size) {
  return KINDS[kind].make(rng, size);
}

// A copy that shares no memory with v (strings are immutable: themselves).
function copy(v) {
  if (Buffer.isBuffer(v)) {
    const b = Buffer.allocUnsafeSlow(v.length);
    v.copy(b);
    return b;
  }
  if (v instanceof DataView) return new DataView(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  if (ArrayBuffer.isView(v)) return v.slice();
  if (v instanceof ArrayBuffer) return v.slice(0);
  return v;
}

module.exports = { KINDS, TYPED, make, copy };

// The seeded PRNG a target's input() gets: the same case seed gives the same
// inputs on every run and machine (sfc32, seeded through splitmix32).
'use strict';

function splitmix32(x) {
  x = (x + 0x9e3779b9) >>> 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [x, (z ^ (z >>> 16)) >>> 0];
}

// makeRng(seed, stream): independent streams from one seed (one per call).
function makeRng(seed, stream = 0) {
  let s = (seed ^ Math.imul(stream + 1, 0x27d4eb2d)) >>> 0;
  const st = [];
  for (let i = 0; i < 4; i++) {
    let v;
    [s, v] = splitmix32(s);
    st.push(v);
  }
  let [a, b, c, d] = st;
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  const rng = {
    u32,
    // an integer in [0, n)
    below: (n) => (n <= 1 ? 0 : Math.floor((u32() / 4294967296) * n)),
    // an integer in [lo, hi]
    int: (lo, hi) => lo + rng.below(hi - lo + 1),
    float: () => u32() / 4294967296,
    bytes(n) {
      const b = Buffer.allocUnsafeSlow(n); // not pooled: each input owns its memory
      for (let i = 0; i < n; i++) b[i] = u32() & 0xff;
      return b;
    },
  };
  return rng;
}

module.exports = { makeRng };

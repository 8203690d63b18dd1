// Cost of the fix: ns per element (double) of sumAsync (owning copy),
// sumRefAsync (rooted) and sumBorrowedAsync (the bug; safe here because the
// Elems stay alive and no GC is forced). Rounds interleave the three entries
// so drift hits them alike. Prints JSON.
'use strict';
const path = require('node:path');
const addon = require(path.join(__dirname, '..', 'addon')).load('release');

const rounds = Number(process.argv[2] || 10);
const SIZES = [[16, 1024], [256, 256], [4096, 16], [8, 65536]];
const ENTRIES = { sum: 'sumAsync', sum_ref: 'sumRefAsync', sum_borrowed: 'sumBorrowedAsync' };

async function timeEntry(fn, elems, calls) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await fn(elems);
  return Number(process.hrtime.bigint() - t0);
}

(async () => {
  const out = [];
  for (const [n, len] of SIZES) {
    const elems = Array.from({ length: n }, (_, i) => new addon.Elem(len, i));
    const calls = Math.max(5, Math.round(2e6 / (n * len)));
    const total = { sum: 0, sum_ref: 0, sum_borrowed: 0 };
    for (const name of Object.keys(ENTRIES)) await timeEntry(addon[ENTRIES[name]], elems, 3); // warm up
    for (let r = 0; r < rounds; r++)
      for (const name of Object.keys(ENTRIES)) total[name] += await timeEntry(addon[ENTRIES[name]], elems, calls);
    const per = (ns) => ns / (rounds * calls * n * len);
    out.push({ elems: n, elem_len: len, calls, sum: per(total.sum), sum_ref: per(total.sum_ref), sum_borrowed: per(total.sum_borrowed) });
  }
  console.log(JSON.stringify(out));
})();

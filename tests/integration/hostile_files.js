// Module files made to hurt a symbolizer (#22), written into a test's temp
// dir at test time: a FIFO, an ELF whose section offsets wrap 2^64, one of
// 65 535 symbol tables over 96 MiB of symbols, a 4 GiB sparse file; and a
// decoy, a well-formed ELF whose one function is gcfuzz_decoy_fn at 0x1000:
// a report that gets that name opened a file it was never meant to.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const EHDR = 64, SHDR = 64, SYM = 24;
const SHT_SYMTAB = 2, SHT_STRTAB = 3, STT_FUNC = 2;

// The 64-bit little-endian ET_DYN header, its section table at shoff.
function ehdr(shoff, shnum) {
  const b = Buffer.alloc(EHDR);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = 2; // ELFCLASS64
  b[5] = 1; // little-endian
  b[6] = 1; // EV_CURRENT
  b.writeUInt16LE(3, 16); // ET_DYN
  b.writeUInt16LE(62, 18); // x86-64
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(BigInt(shoff), 40);
  b.writeUInt16LE(EHDR, 52);
  b.writeUInt16LE(SHDR, 58);
  b.writeUInt16LE(shnum, 60);
  return b;
}

function shdr({ type = 0, offset = 0n, size = 0n, link = 0, entsize = 0 }) {
  const b = Buffer.alloc(SHDR);
  b.writeUInt32LE(type, 4);
  b.writeBigUInt64LE(BigInt(offset), 24);
  b.writeBigUInt64LE(BigInt(size), 32);
  b.writeUInt32LE(link, 40);
  b.writeBigUInt64LE(BigInt(entsize), 56);
  return b;
}

function decoy() {
  const strs = Buffer.from('\0gcfuzz_decoy_fn\0', 'latin1');
  const sym = Buffer.alloc(SYM * 2); // the null symbol, then ours
  sym.writeUInt32LE(1, SYM);
  sym[SYM + 4] = STT_FUNC;
  sym.writeBigUInt64LE(0x1000n, SYM + 8);
  sym.writeBigUInt64LE(0x100n, SYM + 16);
  const symOff = EHDR + 3 * SHDR, strOff = symOff + sym.length;
  return Buffer.concat([ehdr(EHDR, 3), shdr({}),
    shdr({ type: SHT_SYMTAB, offset: symOff, size: sym.length, link: 2, entsize: SYM }),
    shdr({ type: SHT_STRTAB, offset: strOff, size: strs.length }), sym, strs]);
}

function wrapping() {
  const max = (1n << 64n) - 1n;
  return Buffer.concat([ehdr(EHDR, 2),
    shdr({ type: SHT_SYMTAB, offset: max - 8n, size: 64, link: 1, entsize: SYM }),
    shdr({ type: SHT_STRTAB, offset: 16, size: max - 15n }), Buffer.alloc(64)]);
}

// 65 535 symbol tables, each over the same 4 Mi (zero) symbols, left sparse.
function manySections(file) {
  const n = 65535, syms = BigInt(EHDR + n * SHDR), size = 4n << 20n;
  const one = shdr({ type: SHT_SYMTAB, offset: syms, size: size * BigInt(SYM), link: 0, entsize: SYM });
  fs.writeFileSync(file, Buffer.concat([ehdr(EHDR, n), Buffer.alloc(n * SHDR).fill(one)]));
  fs.truncateSync(file, Number(syms + size * BigInt(SYM)));
}

// Every hostile file in dir: {fifo, wrap, many, sparse, decoy} -> path.
function makeHostileFiles(dir) {
  const p = (name) => path.join(dir, name);
  const files = { fifo: p('fifo.node'), wrap: p('wrap.node'), many: p('many.node'), sparse: p('sparse.node'), decoy: p('decoy.node') };
  const mk = spawnSync('mkfifo', [files.fifo]);
  if (mk.status !== 0) throw new Error(`mkfifo: ${mk.stderr}`);
  fs.writeFileSync(files.wrap, wrapping());
  manySections(files.many);
  fs.writeFileSync(files.sparse, ehdr(0, 0));
  fs.truncateSync(files.sparse, 4 * 1024 ** 3);
  fs.writeFileSync(files.decoy, decoy());
  return files;
}

// A forged crash report whose frames name files, `rounds` times each: what
// a target's console.error can print before it really crashes.
function forgedReport(files, rounds) {
  const lines = ['==gcfuzz-crash== SIGSEGV'];
  for (let r = 0; r < rounds; r++)
    for (const f of files) lines.push(`    #${lines.length - 1} 0x7f0000001010 (${f}+0x1010) ?`);
  return lines.concat('==gcfuzz-crash== end', '').join('\n');
}

module.exports = { makeHostileFiles, forgedReport };

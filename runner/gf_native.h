/* gf_native.h - stacks of release-build crashes.
 *
 * Workers of a build without ASan run with libgcfuzz_crash.so preloaded
 * (runner/preload/): on a fatal signal it writes
 *
 *   ==gcfuzz-crash== SIGSEGV
 *       #0 0x7f1c2a3b4c5d (/path/addon.node+0x1c5d) nearest_exported_symbol
 *   ==gcfuzz-crash== end KEY
 *
 * KEY is the worker's own (GCFUZZ_CRASH_KEY, made per process and hidden
 * from its JavaScript): a report without it is text the program wrote, a
 * console.error, and is not read at all - none of the files it names is
 * opened. Here each frame of an addon module (*.node) is named from the module's ELF
 * symbol table (.symtab, which has static functions; else .dynsym), C++
 * names demangled, so a release build's crash gets frames and a signature
 * as an ASan one does; other frames keep the exported-symbol hint. Module
 * files are untrusted input: every offset is bounds-checked.
 */
#ifndef GF_NATIVE_H
#define GF_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#include "gf_classify.h"

#define GF_NATIVE_MARK "==gcfuzz-crash== "

/* The first frame line of the report in text that ends with key, or NULL
 * (no such report, or key NULL or ""). Linear in the text. */
const char *gf_native_report(const char *text, const char *key);

/* One frame line of the report into fr (location "module+0xoff", func the
 * symbol with its parameter list, demangled). 0 if line is not a frame. */
int gf_native_frame(const char *line, gf_frame *fr);

/* What one gf_elf_symbol looked at (tests bound the work with it). */
typedef struct gf_elf_work {
  unsigned tables;
  uint64_t symbols;
} gf_elf_work;

/* The function of module containing offset off (from the module's load
 * base), demangled, into out. 0 when found, -1 otherwise. Only a regular
 * file of at most 512 MiB is read (opened non-blocking: a FIFO is refused,
 * not waited on); every offset is checked without a sum that can wrap; at
 * most 4 symbol tables of a type and 4 Mi symbols are looked at. work (or
 * NULL) gets how much was. */
int gf_elf_symbol(const char *module, uint64_t off, char *out, size_t cap, gf_elf_work *work);

#endif

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
 * as an ASan one does; other frames keep the exported-symbol hint. Only a
 * module under the target's, the harness's or the build's directory is
 * read, and module files are untrusted input even there: every offset is
 * bounds-checked, and the work of one crash is bounded in frames, symbols
 * and time (it runs on the daemon's event loop).
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
 * exported-symbol hint, demangled). 0 if line is not a frame. No I/O. */
int gf_native_frame(const char *line, gf_frame *fr);

/* What gf_elf_symbol / gf_native_symbolize looked at (tests bound the work
 * with it). */
typedef struct gf_elf_work {
  unsigned tables;
  uint64_t symbols;
  unsigned modules; /* files opened */
} gf_elf_work;

/* What one crash may cost the event loop: past it, frames keep their hints.
 * A real module takes about a millisecond; the budget is there for hostile
 * files only, so it is far above what load can add (a process off the CPU
 * for tens of ms on a busy machine): a stack cut short changes the
 * signature, and a signature must not depend on timing. */
#define GF_NATIVE_BUDGET_NS (500ull * 1000 * 1000)

/* Names st's frames of addon modules (*.node) from their symbols, in place
 * (func the symbol, demangled, with its parameter list). A module is
 * opened only when its real path is under one of roots (paths of a file,
 * whose directory counts, or of a directory; absolute, NULL-terminated;
 * others are ignored). The whole stack stops at budget_ns: frames not
 * named by then keep their hints. work (or NULL) gets how much was done. */
void gf_native_symbolize(gf_stack *st, const char *const *roots, uint64_t budget_ns, gf_elf_work *work);

/* The function of module containing offset off (from the module's load
 * base), demangled, into out. 0 when found, -1 otherwise. Only a regular
 * file of at most 512 MiB is read (opened non-blocking: a FIFO is refused,
 * not waited on); every offset is checked without a sum that can wrap; at
 * most 4 symbol tables of a type and 4 Mi symbols are looked at, and none
 * past deadline_ns (CLOCK_MONOTONIC; 0: none). work (or NULL) gets how
 * much was. */
int gf_elf_symbol(const char *module, uint64_t off, uint64_t deadline_ns, char *out, size_t cap,
                  gf_elf_work *work);

/* CLOCK_MONOTONIC in ns, the clock of deadlines here. */
uint64_t gf_native_now_ns(void);

#endif

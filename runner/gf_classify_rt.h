/* gf_classify_rt.h - the crash reports of Bun and Deno (doc/detection.md,
 * "Bun and Deno").
 *
 * Bun's crash handler takes the fatal signals before the preloaded one can
 * see the fault (gf_native.h: the report it then writes has the frames of
 * Bun's handler), and prints, after a header ("Bun v1.4.5 (sha) Linux x64",
 * its arguments, memory figures):
 *
 *   panic(main thread): Segmentation fault at address 0x10
 *   oh no: Bun has crashed. This indicates a bug in Bun, not your code.
 *   ...
 *    https://bun.report/1.4.5/la1a773343ggEggggC+rJ_gqtg1B...A2AgB
 *
 * The reason is a fault ("Segmentation fault|Illegal instruction|Bus
 * error|Floating point error at address 0x..", "abort() called") or Bun's
 * own panic message. The URL's trace: platform, command, format and
 * commit characters, two VLQs of feature bits, then the crashing thread's
 * addresses as base64 VLQs (source-map style), each minus one and as an
 * offset from the load base of whichever module holds it - on Linux the
 * module is not named - or "_" for one in no module (JIT code), ended by a
 * zero VLQ; then the reason again. The first address is the faulting one.
 *
 * Deno has no handler of its own for faults (the preloaded one reports
 * them); a Rust panic prints "Deno has panicked. ...", then
 *
 *   thread 'main' (19269) panicked at cli/lib.rs:701:5:
 *   <message>
 *
 * and exits 1.
 *
 * Both are worker text: bounded parsing that tolerates garbage, and no
 * file is opened on their word.
 */
#ifndef GF_CLASSIFY_RT_H
#define GF_CLASSIFY_RT_H

#include "gf_classify.h"

enum {
  GF_RT_PANIC = 0, /* a panic message */
  GF_RT_FAULT_AT,  /* a fault at an address: the trace's first frame is where */
  GF_RT_ABORT,     /* abort() called: the first frame is libc's */
};

typedef struct gf_rt_report {
  int fault;        /* Bun: what the reason is, GF_RT_* */
  char reason[256]; /* Bun's reason, Deno's panic message (first line) */
  char where[96];   /* Deno: where it panicked, "cli/lib.rs:701:5" */
  gf_stack stack;   /* Bun: the trace, each location "+0x2b17" (or "?") */
} gf_rt_report;

/* Bun's report in text: the first thread's banner after the last header
 * and its trace. 1 and r filled when there is one, 0 otherwise. */
int gf_rt_bun_report(const char *text, gf_rt_report *r);

/* A Rust panic's "thread '...' panicked at FILE:L:C:" and its message.
 * 1 and r filled when there is one, 0 otherwise. */
int gf_rt_rust_panic(const char *text, gf_rt_report *r);

#endif

/* gf_classify.h - from what a worker did to a finding and its signature.
 *
 * Input: how the process ended (exit code / signal / killed for timeout), its
 * stderr tail, and the harness's result line if there was one. Output: the
 * kind, the bug type, the parsed stacks, and a signature that is stable
 * across runs, machines and ASLR: kind + bug type + the outermost frames
 * that belong to the target (function names only, no addresses, no paths;
 * inlined callees folded into their caller), so the same bug gives the same
 * signature whichever of its reads hits freed memory first.
 * Pure functions over text, so unit tests and fuzz_stderr drive it; the
 * one I/O is a release report's module files, read only under
 * module_roots (gf_native.h).
 */
#ifndef GF_CLASSIFY_H
#define GF_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#define GF_MAX_FRAMES 16
#define GF_SIG_FRAMES 2
#define GF_MAX_TARGETS 8
#define GF_MAX_ROOTS 3

typedef enum {
  GF_KIND_NONE = 0,
  GF_KIND_SIGNAL,
  GF_KIND_ASAN,
  GF_KIND_V8_FATAL,
  GF_KIND_TIMEOUT,
  GF_KIND_MISMATCH,
  GF_KIND_EXCEPTION,
  GF_KIND_EXIT,
  GF_KIND_OOM,   /* killed by us past rss_limit_mb */
  GF_KIND_PANIC, /* the runtime's own panic: Bun's, or a Rust one (gf_classify_rt.h) */
} gf_kind;

typedef struct gf_frame {
  char func[256];     /* "gf_borrowed_sum", "node::Abort" ("" if unknown) */
  char location[160]; /* "../src/core.c:82" or "/usr/bin/node+0xc71348" */
  char module[160];   /* ASan: the frame's module ("/x/build/Release/a.node"; "" unknown) */
  int target;         /* matched a target_frames pattern */
  uint64_t pc;        /* ASan: the frame's address; an inlined callee shares
                         its caller's, which is how inlining is recognised */
} gf_frame;

typedef struct gf_stack {
  int n;
  gf_frame f[GF_MAX_FRAMES];
} gf_stack;

/* What a wrong result was, from the harness's result line: the call and
 * the renderings of its result and of the oracle's (worker text: made one
 * line of valid UTF-8, and bounded, by gf_classify). */
#define GF_VALUE_MAX 256
typedef struct gf_mismatch {
  int said; /* the result line had them */
  int call; /* -1: not a call index */
  char result[GF_VALUE_MAX], expected[GF_VALUE_MAX];
} gf_mismatch;

typedef struct gf_outcome {
  int exited;           /* the process is gone */
  int64_t exit_code;    /* valid when exited and term_signal == 0 */
  int term_signal;      /* 0 if it exited normally */
  int timed_out;        /* we killed it: the case ran past timeout_ms */
  uint32_t rss_mb;       /* we killed it at this resident size (MB); 0: not */
  uint32_t rss_limit_mb;
  int case_in_flight;   /* a case was sent and had no result yet */
  int torn_down;        /* the blamed case's Worker was being ended (its teardown line came) */
  const char *stderr_text;
  const char *result_outcome; /* harness result: "ok", "mismatch", ... or NULL */
  const char *result_message;
  const gf_mismatch *mismatch; /* of a "mismatch" result, or NULL */
  const char *entry;
  const char *crash_key; /* the worker's: only a crash report ending with it is read (gf_native.h) */
  const char *target_patterns[GF_MAX_TARGETS + 1]; /* NULL-terminated */
  /* Where the modules a release report names may be read from: the
   * target, harness and build paths (gf_native.h); NULL-terminated. */
  const char *module_roots[GF_MAX_ROOTS + 1];
} gf_outcome;

typedef struct gf_finding {
  gf_kind kind;
  char bug_type[96];  /* "heap-use-after-free", "SIGSEGV", "heap out of memory" */
  char access[48];    /* "READ of size 8" (ASan) */
  int signal;
  int64_t exit_code;  /* -1 when not applicable */
  char message[256];
  gf_mismatch mismatch; /* a wrong result's (said: 0 otherwise) */
  gf_stack stack, free_stack, alloc_stack;
  int teardown;       /* died of a Worker's teardown: ":teardown" in the signature */
  char signature[512];
  char hash[17];      /* FNV-1a 64 of the signature, hex */
} gf_finding;

/* Returns 1 and fills f when the outcome is a finding, 0 when it is not
 * (a clean result, or an orderly exit with nothing in flight). */
int gf_classify(const gf_outcome *o, gf_finding *f);

const char *gf_kind_name(gf_kind k);
gf_kind gf_kind_from_name(const char *name);
const char *gf_signal_name(int sig);

/* Exposed for tests: replaces digit runs and hex with placeholders so
 * messages that differ only in numbers share a signature. */
void gf_normalize_message(const char *in, char *out, size_t cap);

uint64_t gf_fnv1a64(const char *s);

/* Whether a run's finding is the bucket (want_sig, want_hash) of a record:
 * the same hash; or, for a record written before the entry was part of
 * every signature (want_sig without ":entry="), the same signature once the
 * run's ":entry=NAME" suffix is dropped; or, for a record that names no
 * frames (a release build's crash before native frames), the same kind, bug
 * type, access and entry. want_sig may be "" (hash only). */
int gf_signature_matches(const gf_finding *f, const char *want_sig, const char *want_hash);

#endif

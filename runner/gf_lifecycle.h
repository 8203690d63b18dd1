/* gf_lifecycle.h - a model of the addon's async lifecycle, driven by bytes.
 *
 * Used by fuzzer/fuzz_lifecycle.c (libFuzzer, in-process, ~10^5 execs/s) and
 * by `gcfuzz import` (turns a flagged input into a runner case for real Node).
 *
 * Every 4 input bytes are one event (op = byte0 % 6, arguments bytes 1-3):
 *   CREATE   len, seed     new Elem: a gf_elem (len % 64 doubles), JS-reachable
 *   START    mode, i, n    an async call on up to 4 live elems from i; in
 *                          COPY mode an owning snapshot, in REF mode a strong
 *                          reference per elem, in BORROWED mode nothing
 *   DROP     i             JS drops elem i
 *   GC       -             finalizes every elem that is unreachable and has
 *                          no reference: gf_elem_free, exactly the finalizer
 *   WORK     j             job j's worker reads (snapshot or pointers)
 *   COMPLETE j             job j completes: frees the snapshot, drops refs
 * At the end, pending jobs work and complete, then the "environment" frees
 * what is left. The model is not V8: GC here is immediate and exact.
 */
#ifndef GF_LIFECYCLE_H
#define GF_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "gf_case.h"

enum { GF_LC_CREATE, GF_LC_START, GF_LC_DROP, GF_LC_GC, GF_LC_WORK, GF_LC_COMPLETE, GF_LC__OPS };
enum { GF_LC_COPY = 1, GF_LC_REF = 2, GF_LC_BORROWED = 4 }; /* mode bits */

#define GF_LC_MAX_OBJS 16
#define GF_LC_MAX_JOBS 8
#define GF_LC_JOB_ELEMS 4

typedef struct gf_lc_obj {
  gf_elem *native; /* NULL in dry runs */
  uint32_t len, seed;
  int reachable, finalized;
  unsigned refs;
} gf_lc_obj;

typedef struct gf_lc_job {
  int active, worked, mode, n;
  int obj[GF_LC_JOB_ELEMS];
  const gf_elem *ptr[GF_LC_JOB_ELEMS];
  gf_snapshot snap;
  double expected, result;
  int gcs_since_start;
  uint32_t start_event;
} gf_lc_job;

/* What a run saw. A "stale read" is a worker reading an elem the model had
 * already finalized: the use-after-free, as the model sees it. */
typedef struct gf_lc_report {
  unsigned events, jobs, gcs, finalized;
  int stale_read;        /* 1 if any job read a finalized elem */
  int stale_mode;        /* that job's mode bit */
  unsigned stale_elems;  /* that job's elem count */
  uint32_t stale_len;    /* longest of its elems */
  uint32_t stale_seed;
  int stale_gcs;         /* GC events between its start and its read */
  int mismatch;          /* a read that did not give the oracle's sum */
} gf_lc_report;

/* Runs the model over data with the modes in `modes` (bit set). dry: no
 * memory is allocated or read (for import); otherwise real gf_elems are
 * made, freed and read, so ASan sees a borrowed read of a freed elem. */
void gf_lc_run(const uint8_t *data, size_t size, int modes, int dry, gf_lc_report *rep);

/* The runner case that replays a report's stale read on real Node: the
 * job's entry, elem count and length, a delay wide enough for the GC steps
 * (one major GC and one immediate per model GC). Returns -1 if the report
 * has no stale read. */
int gf_lc_to_case(const gf_lc_report *rep, gf_case *out);

#endif

/* gf_minimize.h - rate-aware minimization of a crashing case.
 *
 * Flaky bugs are the norm here, so a reduction is kept only while the case
 * still reproduces *the same signature* at no less than the original rate:
 * the original is run K times first (its hits are the bar), then each
 * candidate K times, in fresh one-shot processes. Moves, in passes until
 * none is accepted (at most 3): each of concurrency, elems, elem_len,
 * delay_us, seed to its minimum, else halved while accepted; each GC step,
 * from the last, removed, else its argument set to the simplest value.
 *
 * Asynchronous, on a gf_oneshot pool the owner routes runs to, so `gcfuzz
 * minimize` and a soak's background minimization share it. A soak keeps
 * the best case so far in the record at every accepted move (progress) and
 * resumes from it after a stop (gf_min_resume): a kill does not undo them.
 */
#ifndef GF_MINIMIZE_H
#define GF_MINIMIZE_H

#include <stdint.h>

#include "gf_case.h"
#include "gf_classify.h"
#include "gf_oneshot.h"

typedef struct gf_min gf_min;

struct gf_min {
  gf_oneshot *pool;
  void *owner;
  void *run_data; /* the data its pool jobs carry; NULL: the gf_min itself */
  int flag_set;   /* the pool plan's V8 flag set its runs use */
  gf_lane lane;   /* the pool lane its runs wait in (gf_runq.h; 0: cheap) */
  void (*log)(gf_min *m, const char *line);
  void (*done)(gf_min *m); /* best / best_hits / failure are final */
  void (*progress)(gf_min *m); /* optional: a move was accepted (best, best_hits) */

  char want_hash[17];
  char want_sig[512]; /* "" or the record's signature (older formats match too) */
  unsigned runs;       /* K */
  uint64_t deadline_ns; /* 0: none */
  gf_case orig, best, cand;
  unsigned baseline;   /* hits of the original: the bar */
  unsigned best_hits;
  unsigned tried, accepted;
  char failure[160];   /* non-empty: could not minimize (and why) */
  int retry;           /* the failure is no verdict: runs never reached the case */

  int running;         /* 0 baseline, 1 candidates */
  int stage, idx, sub, pass, accepted_in_pass;
  unsigned pending, hits, unreached;
};

/* Starts: runs the original K times, then candidates. want_hash: the
 * signature hash a run must reproduce. */
void gf_min_start(gf_min *m, const gf_case *c, const char *want_hash, unsigned runs,
                  double max_time_s);

/* Goes on from a best case found before (at best_hits of runs; the
 * original's hits, the bar, were baseline): a new pass of candidates, no
 * baseline runs. */
void gf_min_resume(gf_min *m, const gf_case *orig, const gf_case *best, unsigned baseline,
                   unsigned best_hits, const char *want_hash, unsigned runs, double max_time_s);

/* Feed every finished run of this minimization here. */
void gf_min_on_run(gf_min *m, int found, const gf_finding *f);

#endif

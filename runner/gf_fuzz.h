/* gf_fuzz.h - the fuzzing loop behind `soak` and `ci`.
 *
 * One uv loop: N persistent workers are kept busy with mutated cases; every
 * way one fails is classified, bucketed and recorded at once; each new
 * bucket is confirmed in fresh one-shot processes; stats are written every
 * interval. Stops on --max-time, on the first finding (ci's positive-control
 * phase), on SIGINT/SIGTERM (grace period for in-flight cases; a second
 * signal stops at once), or when workers cannot start at all.
 */
#ifndef GF_FUZZ_H
#define GF_FUZZ_H

#include <stdint.h>

#include "gf_config.h"
#include "gf_err.h"
#include "gf_spawn.h"

typedef struct gf_fuzz_opts {
  const gf_config *cfg;
  const gf_spawn_plan *plan;
  const char *out_dir;
  uint64_t seed;
  unsigned workers;
  double max_time_s;        /* 0: until stopped */
  const char *entry;        /* "" keeps each case's entry */
  int stop_on_finding;      /* ci control phase: stop at the first crash */
  int stop_on_new;          /* ci --pr: stop at the first new bucket */
  const char *phase;        /* for stats: "soak", "control", "target" */
  const char *replay_prefix;
  int status_line;          /* live line on stderr (a terminal) */
  double status_every_s;    /* else one status line per this many seconds; 0: none */
  const char *command_line; /* for stats.json: how this run was started */
} gf_fuzz_opts;

typedef struct gf_fuzz_result {
  uint64_t execs;
  double elapsed_s;
  int stopped_by_signal;
  uint64_t findings;         /* crashes recorded in this run (any bucket) */
  unsigned new_buckets;
  double first_finding_s;    /* -1 if none */
  char first_hash[17];
} gf_fuzz_result;

/* Returns 0 after an orderly stop, -1 with err on a fatal error (cannot
 * open OUT, no usable seed, workers that never start). */
int gf_fuzz_run(const gf_fuzz_opts *opts, gf_fuzz_result *res, gf_err *err);

#endif

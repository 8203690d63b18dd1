/* gf_stats.h - run counters, OUT/stats.json (replaced atomically) and
 * OUT/stats.jsonl (one line per interval: the history a report charts). */
#ifndef GF_STATS_H
#define GF_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "gf_err.h"

typedef struct gf_stats {
  uint64_t start_ns;
  uint64_t execs, crashes, restarts, timeouts, protocol_errors, startup_failures;
  uint64_t confirm_runs;
  uint64_t buckets, corpus, features;
  unsigned workers;
  /* execs/s over the last interval */
  uint64_t window_ns, window_execs;
  double execs_per_s;
  const char *phase; /* "soak", "control", "target" */
  const char *entry;
} gf_stats;

void gf_stats_init(gf_stats *s, uint64_t now_ns);
/* Closes the current interval: updates execs_per_s. */
void gf_stats_tick(gf_stats *s, uint64_t now_ns);
double gf_stats_uptime(const gf_stats *s, uint64_t now_ns);

int gf_stats_write(const gf_stats *s, const char *out_dir, uint64_t now_ns, gf_err *err);
/* One status line, "\r"-prefixed, for a terminal. */
void gf_stats_status_line(const gf_stats *s, uint64_t now_ns, FILE *f);

#endif

/* gf_stats.h - run counters, OUT/stats.json (replaced atomically),
 * OUT/stats.jsonl (one line per interval: the history a report charts) and
 * OUT/metrics.prom (the same in Prometheus text format, gf_prom.h).
 *
 * Counters are cumulative over the life of OUT, as AFL++'s fuzzer_stats
 * are: a resumed soak continues them from the last stats.json (uptime_s,
 * session_execs and execs_per_s_avg are this session's).
 */
#ifndef GF_STATS_H
#define GF_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "gf_err.h"

typedef struct gf_stats {
  uint64_t start_ns;
  uint64_t execs_at_start; /* execs of earlier sessions */
  double prior_run_s;      /* run time of earlier sessions */
  unsigned sessions;       /* this one included */
  char start_time[32], first_start[32]; /* ISO 8601: this session's, OUT's first */
  char last_crash[32], last_new_bucket[32]; /* "" if none yet */
  const char *command_line;
  double max_time_s; /* 0: none; for "left" in the status line */
  uint64_t execs, crashes, restarts, timeouts, protocol_errors, startup_failures;
  uint64_t target_errors; /* cases the target's own code failed (not findings) */
  uint64_t buckets_overflow; /* occurrences of new signatures past max_buckets */
  uint64_t events_lost;      /* events.jsonl lines that could not be appended */
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

/* Continues the counters of OUT/stats.json, if there is one. A file that is
 * not what gcfuzz writes is named in err (-1) and the counters start at 0. */
int gf_stats_resume(gf_stats *s, const char *out_dir, gf_err *err);

/* Execs of this session. */
uint64_t gf_stats_session_execs(const gf_stats *s);
/* Closes the current interval: updates execs_per_s. */
void gf_stats_tick(gf_stats *s, uint64_t now_ns);
double gf_stats_uptime(const gf_stats *s, uint64_t now_ns);

int gf_stats_write(const gf_stats *s, const char *out_dir, uint64_t now_ns, gf_err *err);
/* The status: live (tty: "\r"-prefixed, rewritten in place) or one
 * "gcfuzz: status ..." line (a service's journal, a CI log). */
void gf_stats_status_line(const gf_stats *s, uint64_t now_ns, int live, FILE *f);

#endif

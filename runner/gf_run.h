/* gf_run.h - a finished (or running) output directory, read back for
 * reports: its buckets, ordered by count, and its stats history. */
#ifndef GF_RUN_H
#define GF_RUN_H

#include <stddef.h>

#include "gf_store.h"

typedef struct gf_sample {
  double t;           /* seconds since the first sample */
  double execs_per_s;
  double crashes;     /* cumulative within its run segment */
  double execs;
  double corpus, features; /* search feedback: corpus size, window features seen */
} gf_sample;

typedef struct gf_run {
  char dir[PATH_MAX];
  gf_store store;
  const gf_bucket **order; /* buckets by count, descending */
  gf_sample *hist;
  size_t nhist;
  double execs, uptime_s; /* from the last stats line */
  /* Report options (cmd_report): the repository root for SARIF paths
   * (NULL: look for .git upwards) and the SARIF automation category. */
  const char *source_root;
  const char *category;
} gf_run;

int gf_run_load(gf_run *r, const char *dir, gf_err *err);
void gf_run_free(gf_run *r);

/* Helpers the report writers share. */
const char *gf_rec_str(const gf_bucket *b, const char *key);
/* "R/K" of a {runs, reproduced} field, or "-" */
void gf_rec_rate(const gf_bucket *b, const char *key, char *out, size_t cap);
/* The bucket's status from its last replay (doc/triage.md "report"): "open"
 * (reproduced), "fixed", "inconclusive", "error", or "open (not
 * replayed)"; with the replay's R/K, build, Node and date. */
void gf_rec_status(const gf_bucket *b, char *out, size_t cap);

/* What the record says of the failure beyond its signature, one line for
 * every report: a wrong result's values ("call 0: got 513004, expected
 * 524231"), an exception's hint to mark its entry distinct (gf_hint.h);
 * "" when nothing. */
void gf_rec_note(const gf_bucket *b, char *out, size_t cap);

/* How to replay it from OUT on any machine: no absolute path. */
void gf_rec_replay_cmd(const gf_bucket *b, char *out, size_t cap);

/* The top target frame's "file:line", or NULL. */
const char *gf_rec_top_location(const gf_bucket *b, char *func, size_t cap);

int gf_write_report_html(const gf_run *r, const char *path, gf_err *err);
int gf_write_report_md(const gf_run *r, const char *path, gf_err *err);
int gf_write_report_sarif(const gf_run *r, const char *path, gf_err *err);

#endif

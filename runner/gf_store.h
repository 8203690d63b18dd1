/* gf_store.h - the bucket store: one durable JSON record per signature.
 *
 *   OUT/crashes/<hash>.json  the record (doc/output.md "The crash record"), replaced
 *                            atomically on every update
 *   OUT/events.jsonl         append-only log: start, crash, confirm, stop
 *
 * Reopening an OUT directory loads its records, so a resumed run keeps its
 * buckets and counts. A record that does not parse is reported and left
 * alone (never overwritten), and the run goes on.
 *
 * A writer (GF_STORE_WRITE) holds OUT's lock (gf_lock.h), and its memory
 * is flat in the number of buckets: per bucket an index entry (identity,
 * count and the facts its hot paths decide on, gf_index.h), the records on
 * disk, read back when needed (gf_store_record) into a bounded cache of a
 * few (gf_cache.h). A record that cannot be written (ENOSPC, EIO) stays in
 * the cache, pinned and marked dirty, and gf_store_flush() writes it later:
 * a failed write loses no bucket. The index's count is the one that
 * counts: a record is always written with it.
 * A reader (GF_STORE_READ: report, ci's summary) takes no lock and keeps
 * whole records (b->record).
 */
#ifndef GF_STORE_H
#define GF_STORE_H

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdint.h>

#include "gf_case.h"
#include "gf_classify.h"
#include "gf_config.h"
#include "gf_cache.h"
#include "gf_err.h"
#include "gf_index.h"

typedef struct gf_run_meta {
  const char *node_version;
  const char *build;
  const char *replay_prefix; /* "gcfuzz replay --config X" (absolute paths) */
  const gf_flag_set *v8_flags; /* the worker's; NULL: none */
  const char *node_path; /* the node binary the worker ran on (config `node`) */
  const char *sanitizer; /* "address" or "none": what the worker had preloaded */
} gf_run_meta;

typedef struct gf_bucket {
  char hash[17];
  char *signature; /* malloc'd: most are far shorter than the 511 bytes they may have */
  gf_kind kind;
  char entry[GF_ENTRY_MAX];
  uint64_t count;
  gf_facts facts; /* what the daemon decides on, derived from the record */
  cJSON *record;  /* a reader's whole record; NULL in a writer (gf_store_record) */
  char *file;     /* its name in crashes/ when not <hash>.json (older, hand-made); NULL */
  int dirty;      /* writer: the last write failed; gf_store_flush retries */
} gf_bucket;

typedef enum { GF_STORE_READ, GF_STORE_WRITE } gf_store_mode;

typedef struct gf_store {
  char dir[PATH_MAX];
  char crashes[PATH_MAX];
  char events[PATH_MAX + 16]; /* OUT/events.jsonl */
  gf_bucket *b;
  size_t n, cap;
  int events_fd;
  int lock_fd;
  gf_store_mode mode;
  int skipped; /* unreadable records found on open */
  char origin[17]; /* this folder's id (OUT/origin) for merged counts; gf_merge.h */
  size_t max_buckets; /* config max_buckets (0: none): past it a new signature is refused */
  uint64_t overflow;  /* occurrences of new signatures refused for it */
  uint64_t events_lost; /* events.jsonl lines that could not be appended */
  gf_cache cache;       /* writer: the few whole records kept in memory */
  char last_seen[21];   /* the newest last_seen among the records at open ("" none) */
  char last_new[21];    /* and the newest first_seen */
} gf_store;

/* Returns 0, -1 with err, or (GF_STORE_WRITE) 1 when another process
 * holds OUT's lock (err names it). READ on a folder without crashes/ gives
 * an empty store. */
int gf_store_open(gf_store *s, const char *out_dir, gf_store_mode mode, gf_err *err);
/* A writer that holds OUT for a moment only (a record update by minimize
 * or replay): a daemon starting meanwhile waits for it (gf_lock.h). */
int gf_store_open_brief(gf_store *s, const char *out_dir, gf_err *err);
void gf_store_close(gf_store *s);

/* A whole record from another output folder (merge), validated like a
 * loaded one, as a new bucket; written (or dirty, err says why). NULL with
 * err when it is not a record or its hash is a bucket already. */
gf_bucket *gf_store_adopt(gf_store *s, const cJSON *record, gf_err *err);

/* The whole record of b (with its stderr tail): a reader's b->record; a
 * writer's from its cache, or read back from disk into it - valid until
 * the store reads or writes another bucket's record, and changed in place
 * only to be written at once (gf_store_rewrite). NULL, err saying why,
 * when it cannot be read back (gone, unreadable, or no longer b's). */
cJSON *gf_store_record(gf_store *s, const gf_bucket *b, gf_err *err);

/* Rewrites a bucket whose record (gf_store_record) or count was changed in
 * place. A record that cannot be read back leaves it dirty: its count is
 * written once it can (gf_store_flush). */
int gf_store_rewrite(gf_store *s, gf_bucket *b, gf_err *err);

/* Retries the writes of dirty records; returns how many are still dirty,
 * and in *written (if not NULL) how many it wrote now. */
size_t gf_store_flush(gf_store *s, size_t *written);

/* The record of a bucket as its file holds it now (not checked); the
 * caller deletes it. NULL when it cannot be read. */
cJSON *gf_store_load_record(const gf_store *s, const gf_bucket *b);

gf_bucket *gf_store_find(gf_store *s, const char *hash);

/* Counts one occurrence of f (caused by case c); creates the bucket when
 * new (*is_new = 1). NULL only when out of memory or past max_buckets.
 * When the record could not be written (or read back), b->dirty is set and
 * err says why; it is counted, kept and retried. A record deleted meanwhile
 * is written anew from this occurrence. */
gf_bucket *gf_store_add(gf_store *s, const gf_finding *f, const gf_case *c,
                        const char *stderr_tail, const gf_run_meta *m, int *is_new,
                        gf_err *err);

/* Records the confirmation rate: reproduced of runs fresh processes. */
int gf_store_set_repro(gf_store *s, gf_bucket *b, unsigned runs, unsigned reproduced,
                       gf_err *err);
/* And of runs warm ones (gf_oneshot.h): reproducibility_warm. */
int gf_store_set_warm(gf_store *s, gf_bucket *b, unsigned runs, unsigned reproduced,
                      gf_err *err);

/* A record's confirmed hits per run, fresh and warm together (how well its
 * case reproduces), or -1 when it was not confirmed. A case and its rates
 * go together: whoever replaces one replaces both. */
double gf_record_score(const cJSON *record);

/* Makes c the record's case, with the rates it was confirmed at (runs
 * fresh and runs warm), and logs a "better_case" event. */
int gf_store_set_case(gf_store *s, gf_bucket *b, const gf_case *c, unsigned runs,
                      unsigned fresh_hits, unsigned warm_hits, gf_err *err);

/* A timeout's patience runs (gf_pending.h): of runs given timeout_ms,
 * finished ended in time (clean, or with another failure). Weighed with
 * the record's fresh and warm rates: "hangs" of "of" runs (gf_bugs.h). */
int gf_store_set_patience(gf_store *s, gf_bucket *b, uint32_t timeout_ms, unsigned runs,
                          unsigned finished, gf_err *err);

/* Sets (or replaces) one field of the record and rewrites it; consumes
 * value. NULL removes the field. */
int gf_store_update(gf_store *s, gf_bucket *b, const char *key, cJSON *value, gf_err *err);

/* Sets each field of fields (only those another command may set:
 * minimized_case, minimized_rate, reproduces_on), rewrites, and logs it
 * (a "minimized" event when minimized_rate is among them). Does not
 * consume fields; -1 with err naming a field that may not be set. */
int gf_store_amend(gf_store *s, gf_bucket *b, const cJSON *fields, gf_err *err);

/* {"minimized_case": c, "minimized_rate": {runs, reproduced}}. */
cJSON *gf_store_minimized_fields(const gf_case *c, unsigned runs, unsigned reproduced);

/* Whether another command may set this record field (gf_store_amend). */
int gf_store_amendable(const char *key);

/* Records a minimized case and its rate (reproduced of runs). */
int gf_store_set_minimized(gf_store *s, gf_bucket *b, const gf_case *c, unsigned runs,
                           unsigned reproduced, gf_err *err);

/* Appends {"time": ..., ...event} to events.jsonl; consumes event. */
int gf_store_event(gf_store *s, cJSON *event);

/* OUT for a record at OUT/crashes/<hash>.json; -1 for a record elsewhere. */
int gf_store_dir_of_record(const char *record, char *out, size_t cap);

/* The record path of a bucket. */
void gf_store_record_path(const gf_store *s, const gf_bucket *b, char *out, size_t cap);

/* "2026-11-25T09:00:00Z" for now. */
void gf_iso_time(char *out, size_t cap);
/* Seconds since the epoch of such a time; -1 for NULL, "" or anything else. */
double gf_iso_seconds(const char *iso);

/* Frames as JSON: [{"function":..,"location":..,"target":..}]. */
cJSON *gf_stack_to_json(const gf_stack *st);

#endif

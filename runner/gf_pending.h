/* gf_pending.h - a daemon's durable work on buckets: confirmation of each
 * new bucket in fresh processes, then background minimization.
 *
 * Nothing is pending only in memory. What is left to do is read off the
 * records - no confirmed runs yet: confirm; reproduced, but neither
 * minimized_case nor minimize_failed: minimize - so work cut short by a
 * kill -9, a stop past grace_ms or a failed write is picked up again when
 * OUT is reopened (gf_pending_resume).
 *
 * A confirmation is confirm_runs fresh runs and as many warm ones
 * (gf_oneshot.h); the record keeps both rates (reproducibility,
 * reproducibility_warm), and as many control runs - its case with `keep`,
 * every input referenced until the call settles - recorded as "control"
 * (gf_bugs.h: does the failure need the GC to free an input?); then the
 * links among its entry's buckets are recomputed. A timeout also gets
 * one patience run, given GF_PATIENCE times timeout_ms (AFL++ re-runs a
 * hang with a longer timeout too): a case that then ends - clean, or with
 * another failure, which is a bucket of its own - and did not hang in most
 * of its runs is slow, not hung ("patience" in the record; gf_bugs.h does
 * not count it as a bug).
 *
 * A bucket keeps the first case that hit it, which may be a poor
 * reproducer (a mutated child with a shrunk window). So, like syzkaller
 * looking for a better repro, a later case of a confirmed bucket whose
 * rates are not perfect is confirmed the same way when no confirmation is
 * waiting, and becomes the record's case if it reproduced more often
 * (fresh and warm hits together). At most GF_CASE_TRIES such candidates
 * per bucket (counted in the record, "case_tries", so a resume does not
 * start over); GF_PENDING_CANDIDATES wait at most, the rest are dropped
 * (the bucket will recur).
 *
 * The queues hold bucket hashes, not cases (a case is read from its record
 * when its work starts): memory stays bounded under a bucket storm. The
 * next confirmation goes to the bucket whose class (kind and entry) has had
 * the fewest confirmations so far, oldest first among equals, so a storm
 * of one class cannot starve the others.
 *
 * Hangs cannot starve the others either (issue 25: each run of a timeout
 * costs timeout_ms, and a 90 s ci night confirmed none of three other
 * buckets). Cheap buckets are confirmed first; at most one timeout's
 * confirmation runs at a time, so the other slot is always free for a
 * cheap one; and a timeout's runs wait in the pool's slow lane, its
 * patience run last, so that cheap runs queued after them still go first
 * and each side gets a share of the pool's time (gf_runq.h).
 */
#ifndef GF_PENDING_H
#define GF_PENDING_H

#include <stddef.h>
#include <stdint.h>

#include "gf_classify.h"
#include "gf_config.h"
#include "gf_oneshot.h"
#include "gf_store.h"

/* Confirmations running at once (each is confirm_runs one-shot runs). */
#define GF_PENDING_ACTIVE 2
#define GF_PENDING_CANDIDATES 4
#define GF_CASE_TRIES 3
#define GF_PATIENCE 4 /* a timeout's patience run gets this many times timeout_ms */

typedef struct gf_pending_item {
  char hash[17];
  int flag_set; /* the V8 flag set of the worker that found it */
  int cls;      /* its class (index into classes), -1 if none */
  int probes_only; /* rates recorded before a stop: only the control and patience runs */
  int slow;     /* a timeout's: confirmed after cheap buckets, one at a time */
} gf_pending_item;

typedef struct gf_pending_queue {
  gf_pending_item *v;
  size_t n, cap;
} gf_pending_queue;

typedef struct gf_pending_candidate {
  gf_pending_item it;
  gf_case c;
} gf_pending_candidate;

typedef struct gf_pending_class {
  gf_kind kind;
  char entry[GF_ENTRY_MAX];
  unsigned started;
} gf_pending_class;

typedef struct gf_pending {
  gf_store *store;
  gf_oneshot *pool;
  const gf_config *cfg;
  int status_line;   /* a newline before each log line */
  int stopping;
  uint64_t runs_done; /* one-shot runs finished (confirmation and minimization) */
  gf_pending_queue confirm, minimize;
  gf_pending_candidate candidates[GF_PENDING_CANDIDATES];
  unsigned ncandidates;
  struct gf_tally *active[GF_PENDING_ACTIVE];
  unsigned nactive;
  struct gf_min_job *minimizing;
  gf_pending_class *classes;
  size_t nclasses, capclasses;
} gf_pending;

void gf_pending_init(gf_pending *p, gf_store *store, gf_oneshot *pool, const gf_config *cfg,
                     int status_line);

/* Queues what the records say is left to do (after a stop, a crash, ...). */
void gf_pending_resume(gf_pending *p);

/* A bucket was just opened by a worker running flag set flag_set. */
void gf_pending_new_bucket(gf_pending *p, const gf_bucket *b, int flag_set);

/* An old bucket was hit again by case c (flag set flag_set): maybe a
 * better reproducer. */
void gf_pending_occurrence(gf_pending *p, const gf_bucket *b, const gf_case *c, int flag_set);

/* A patience run's time limit: GF_PATIENCE times timeout_ms, at most an hour. */
uint32_t gf_patience_ms(const gf_config *cfg);

/* Route every finished run of the pool here (data: the job's data). */
void gf_pending_on_run(gf_pending *p, void *data, int found, const gf_finding *f);

/* Starts nothing new from now on; what was queued stays pending on disk. */
void gf_pending_stop(gf_pending *p);
void gf_pending_free(gf_pending *p);

#endif

/* gf_index.h - what a store keeps in memory of each record besides its
 * identity: the few facts the daemon decides on at every crash, at the end
 * of a confirmation, when it links buckets into bugs and when it resumes.
 *
 * About a hundred bytes, whatever the size of the record (#22: keeping
 * each record's tree cost a daemon 8 KB a bucket, linearly, in a storm);
 * the records themselves stay on disk (gf_store_record reads one back).
 * The facts are derived from the record by gf_facts_of alone, at every
 * load and every write, so they cannot drift from it.
 */
#ifndef GF_INDEX_H
#define GF_INDEX_H

#include <cjson/cJSON.h>
#include <stdint.h>

typedef struct gf_facts {
  double score;                  /* gf_record_score: confirmed hits per run; -1 unconfirmed */
  double control_runs, control_failed; /* "control" (gf_bugs.h: does it need the GC?) */
  struct {
    double timeout_ms, finished, hangs, of;
  } patience;                    /* a timeout's "patience" */
  uint64_t build;                /* FNV-1a of addon_build: which buckets may be one bug */
  uint64_t same_bug_as_fp;       /* FNV-1a of the link as written; 0 when absent */
  uint64_t manifestations_fp;    /* the same of the list */
  char root[17];                 /* same_bug_as's hash; "" when a bug of its own */
  uint8_t case_tries;
  unsigned frames : 1;           /* it names frames */
  unsigned target_frame : 1;     /* one of them the target's */
  unsigned confirmed : 1;        /* fresh runs recorded */
  unsigned reproduced : 1;       /* and at least one reproduced */
  unsigned has_control : 1;
  unsigned has_patience : 1;
  unsigned slow : 1;             /* gf_patience_slow of its patience */
  unsigned probes_pending : 1;
  unsigned minimized : 1;        /* minimized_case */
  unsigned minimize_failed : 1;
  unsigned distinct_hint : 1;    /* gf_hint.h */
} gf_facts;

/* The facts of a record (checked already: gf_record_check). */
void gf_facts_of(gf_facts *f, const cJSON *record);

/* The fingerprint a link field is known by: FNV-1a of item as printed,
 * 0 for NULL. Equal fingerprints: the same link (gf_bugs.c skips the
 * rewrite); different ones are compared in full. */
uint64_t gf_link_fp(const cJSON *item);

#endif

/* gf_merge.h - `gcfuzz merge`: output folders of several machines into one.
 *
 * N machines (a CI matrix, a Kubernetes Indexed Job, plain hosts) soak into
 * their own OUT; merge brings them together, as often as wanted:
 *   buckets   union; a bucket new here is copied whole (tail included)
 *   counts    a G-counter per origin: every folder has an id (OUT/origin),
 *             and a record's `merged_counts` keeps what each other origin
 *             contributed. Merging takes, per origin, the larger count and
 *             adds the difference to `count`: merging the same folder again
 *             changes nothing, the order of merges does not matter, and a
 *             folder that reaches here by two paths is counted once.
 *   times     first_seen the earliest, last_seen the latest
 *   rates     the best reproducibility (higher rate, then more runs); a
 *             minimized case when there is none here
 *   corpus    union of corpus/ and corpus/feedback/ (each case parsed and
 *             written again in the case format; .feat beside it), and the
 *             feature map of features.json
 * Every file of a source is untrusted: what does not parse is named,
 * counted in `unreadable`, and skipped.
 */
#ifndef GF_MERGE_H
#define GF_MERGE_H

#include "gf_err.h"
#include "gf_store.h"

typedef struct gf_merge_result {
  unsigned new_buckets, updated_buckets, corpus_added, unreadable;
  uint64_t count_added;
  unsigned features_added;
} gf_merge_result;

/* Merges src_dir into dst (a writer store; its folder is dst->dir). */
int gf_merge(gf_store *dst, const char *src_dir, gf_merge_result *r, gf_err *err);

#endif

/* gf_hint.h - what a bucket suggests about the target's description,
 * said where the bucket opens (the NEW line) and in the record.
 *
 * An exception that shows only when a case reuses an input - the same
 * object twice in one call (`dups`), or in two calls at once (`shared`) -
 * and never without is almost always the API refusing a single-use handle
 * a second time, not a bug: the entry lacks `distinct` (doc/target.md).
 * Measured on a napi-rs package: such a bucket reproduced 100% and was
 * taken for a finding. So an exception bucket counts its occurrences with
 * and without reused inputs ("reuse" in the record) and, while every one
 * reused an input, is flagged ("distinct_hint").
 */
#ifndef GF_HINT_H
#define GF_HINT_H

#include <stdio.h>

#include "gf_case.h"
#include "gf_classify.h"
#include "gf_store.h"

#define GF_DISTINCT_HINT                                                                 \
  "seen only when a case reuses an input (dups or shared > 0), never without: if the " \
  "entry's API takes an input once only, mark the entry distinct (doc/target.md)"

/* Whether c puts one input in flight twice: dups within a call of more
 * than one input, shared across more than one call. */
int gf_case_reuses_inputs(const gf_case *c);

/* Counts one occurrence (of kind, by case c) into an exception record's
 * "reuse", and sets or clears its "distinct_hint". */
void gf_hint_count(cJSON *record, gf_kind kind, const gf_case *c);

/* The record's flag. */
int gf_hint_distinct(const cJSON *record);

/* Said once per run, at the first ready worker: what its runtime lacks. */
void gf_hint_runtime(const char *runtime, int no_gc_entries, FILE *out);

/* Said once per process, at the first result that says so: the target
 * cannot run in a worker_threads Worker (why: the harness's message), so
 * its teardown cases are answered unrun. */
void gf_hint_no_worker(const char *why, FILE *out);

/* The NEW line's hints for a bucket just opened: no frame matched
 * target_frames; seen only with reused inputs. */
void gf_hint_new_bucket(const gf_bucket *b, FILE *out);

#endif

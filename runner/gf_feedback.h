/* gf_feedback.h - search feedback from the race window.
 *
 * Each result line of the harness carries a `window` object: counters of
 * what happened in the window (inputs collected while their call was in
 * flight, calls pending at the GC steps, GCs of each kind; the names come
 * from harness/case-schema.json). They become features, as AFL does with
 * edge hit counts: each counter, per entry, in a bucket (0, 1, 2, 3, 4-7,
 * 8-15, 16-31, 32-127, 128+), plus which counters were non-zero together,
 * plus collected-in-flight x calls-pending-at-a-GC. A non-crashing case
 * that reaches a feature never seen is kept in the corpus, so a case that
 * came close is bred from rather than thrown away.
 *
 * The feature map is a bitmap of GF_FEATURE_MAP bits, saved with the
 * corpus (OUT/features.json) and loaded again on resume.
 */
#ifndef GF_FEEDBACK_H
#define GF_FEEDBACK_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "gf_err.h"

#define GF_FEATURE_MAP 65536u
#define GF_FEATURES_PER_CASE 32

typedef struct gf_feedback {
  uint8_t map[GF_FEATURE_MAP / 8];
  uint32_t count; /* features seen */
} gf_feedback;

void gf_feedback_init(gf_feedback *fb);

/* The features of one result line (NULL or no `window`: none). Returns how
 * many were written to ids (at most GF_FEATURES_PER_CASE). */
int gf_feedback_features(const cJSON *result, const char *entry, uint32_t *ids);

/* Whether the result's run was a near miss: calls pending at a GC after
 * another call settled (window counter inflight_at_partial_gc > 0). */
int gf_feedback_near_miss(const cJSON *result);

/* Marks ids as seen; returns how many were new. */
int gf_feedback_add(gf_feedback *fb, const uint32_t *ids, int n);

/* The map as JSON ({"features":[id,...]}), written atomically / read back.
 * A missing file is an empty map; a bad one an error naming it. */
int gf_feedback_save(const gf_feedback *fb, const char *path, gf_err *err);
int gf_feedback_load(gf_feedback *fb, const char *path, gf_err *err);

/* The features one kept case reached, beside it as <name>.feat (a JSON
 * array of ids): what corpus minimization covers. Read returns the count,
 * or -1 with err naming the file. */
int gf_feedback_write_ids(const char *path, const uint32_t *ids, int n, gf_err *err);
int gf_feedback_read_ids(const char *path, uint32_t *ids, int max, gf_err *err);

#endif

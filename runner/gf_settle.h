/* gf_settle.h - what a ci run found, settled before its exit code.
 *
 * ci blames the buckets its target phase hit: new ones, and old ones whose
 * count grew. A timeout among them that no confirmation reached before the
 * phase ended (the daemon drops pending work at its stop) gets its patience
 * run here, as the daemon would have given it (gf_pending.h): a case that
 * finishes given GF_PATIENCE x timeout_ms, and did not hang in most of its
 * runs, is a slow case, not a hang, and no bug - a nightly job must not
 * fail on a case that is merely slow. Each verdict is said with its rate.
 */
#ifndef GF_SETTLE_H
#define GF_SETTLE_H

#include <stddef.h>
#include <stdint.h>

#include "gf_config.h"
#include "gf_err.h"

/* The bucket counts of OUT before the phase, sorted by hash. */
typedef struct gf_settle_before {
  struct gf_settle_count *v;
  size_t n;
} gf_settle_before;

typedef struct gf_settle_result {
  unsigned hit, new_hit; /* buckets the phase hit; of them, new */
  unsigned bugs;         /* hit and not a slow case */
  unsigned new_bugs;     /* new, not a slow case, not the same bug as an old bucket */
  unsigned slow;         /* hit slow cases */
  unsigned patience_runs;
} gf_settle_result;

int gf_settle_before_read(const char *out, gf_settle_before *before, gf_err *err);
void gf_settle_before_free(gf_settle_before *before);

/* Runs the patience checks OUT's hit timeouts still need (on the record's
 * build and node, `workers` at a time), records them, and counts. */
int gf_settle(const gf_config *cfg, const char *out, const gf_settle_before *before,
              unsigned workers, gf_settle_result *r, gf_err *err);

#endif

/* gf_bugs.h - which buckets are one bug.
 *
 * A use-after-free shows itself several ways. A release build segfaults
 * in the target's code (a *located* bucket: its signature names target
 * frames) or, when the freed memory is still mapped, silently sums it (a
 * wrong result, which names no frame). Each manifestation keeps its own
 * bucket - a signature says what was seen, and a replay must know what to
 * look for - but they are recorded as one bug:
 *
 *   A *frameless* bucket (a wrong result, a timeout, a memory blow-up - a
 *   freed length read as garbage; a signal, V8 fatal error or ASan report
 *   with no target frame) is the same bug as the located
 *   memory-error bucket (signal or ASan) of its entry and addon build when
 *   there is exactly one, unless its control failed: the case run with
 *   `keep` (every input referenced until the call settles) failed the same
 *   way, so the failure does not need the GC to free an input and is a bug
 *   of its own.
 *
 * The link is a function of the records alone (order-free: the same
 * records give the same links whichever was found first). It is written
 * both ways: the frameless record gets "same_bug_as" {hash, signature},
 * the located one "manifestations" [{hash, signature}]. Replay counts a
 * run that fails as any of them; reports count bugs, not buckets.
 */
#ifndef GF_BUGS_H
#define GF_BUGS_H

#include <stddef.h>

#include "gf_err.h"
#include "gf_store.h"

/* Whether a bucket's failure names no target frame (wrong result, timeout,
 * oom, or a signal, V8 fatal error or ASan report without one): what
 * confirmation runs a control for, and what may be a manifestation of a
 * located bug. */
int gf_bug_frameless(const gf_bucket *b);

/* Frames, none of them the target's: target_frames matched nothing (the
 * bucket has no location; the soak says so at its NEW line). */
int gf_bug_unmatched_frames(const gf_bucket *b);

/* A timeout whose patience run finished (gf_pending.h), and which did not
 * hang in most of its runs: a slow case, not a hang, and no bug - neither
 * linked nor counted. Every message says so in these words; the log line
 * adds what to do. A racy hang that finished once in seven runs is a hang. */
#define GF_SLOW_CASE "a slow case, not a hang: it finished when given more time"
#define GF_SLOW_CASE_LINE GF_SLOW_CASE " (raise timeout_ms, or lower the limits that make cases slow)"
int gf_bug_slow(const gf_bucket *b);

/* The same from a record's "patience" object: some run finished, and the
 * runs weighed with it ("hangs" of "of": fresh, warm and patience) did not
 * mostly hang. A patience written before the weighing counts alone. */
int gf_patience_slow(const cJSON *patience);

/* The verdict of a timeout's patience as a log line's words ("a hang: it
 * hung in 6 of 7 runs ..."); "" for a record without one. */
void gf_bug_hang_text(const gf_bucket *b, char *out, size_t cap);

/* Recomputes the links among the buckets of one entry and rewrites the
 * records whose links changed. Returns how many changed, -1 with err when a
 * write failed (the record stays dirty, retried by gf_store_flush). */
int gf_bugs_link(gf_store *s, const char *entry, gf_err *err);

/* The same for every entry (a store opened on older records, a merge). */
int gf_bugs_link_all(gf_store *s, gf_err *err);

/* Does the failure need the GC to free an input - is it the bug class
 * gcfuzz looks for? From the record's control (the case with `keep`, run
 * at confirmation): 1 the case failed and its control never did; 0 the
 * control failed the same way (a bug, but not a lifetime bug); -1 unknown
 * (no control yet, or the case never reproduced). */
int gf_bug_needs_gc(const gf_bucket *b);

/* "yes", "no" or "unknown" (gf_bug_needs_gc), and a cell for reports:
 * "yes (kept: 0/3 failed)". */
const char *gf_bug_needs_gc_name(const gf_bucket *b);
void gf_bug_needs_gc_text(const gf_bucket *b, char *out, size_t cap);

/* The record's "same_bug_as" hash, or NULL for a bug of its own. */
const char *gf_bug_root_hash(const gf_bucket *b);

/* How many bugs the store holds: buckets that are neither the same bug as
 * another nor slow cases. */
size_t gf_bugs_count(const gf_store *s);

#endif

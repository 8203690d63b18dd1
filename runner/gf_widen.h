/* gf_widen.h - the deterministic stage of a new near miss.
 *
 * A near miss (gf_feedback_near_miss: calls pending at a GC after another
 * call settled) is one step from the deepest shapes of the bug class: what
 * it lacks is most often width, a call that still waits to read when that
 * GC runs. Random moves rarely supply it: from a delay of 0, a delay move
 * reaches the 5 ms those shapes need about 5 % of the time, and nothing
 * rewards the delays in between. So, as AFL runs a deterministic stage on
 * each new queue entry, a clean case that is both a near miss and a new
 * feature's finder queues a few children that widen its window, one
 * direction each, then all at once:
 *
 *   - its delay 4, 16 and 64 times over (at least 2, 8 and 32 ms);
 *   - one call more than the pool has threads, and the limit of calls;
 *   - every input shared, and staggered starts;
 *   - the longest delay of the three with more calls than threads and a
 *     shared input.
 *
 * Children run before bred cases, within a share of the time: their
 * delays make each several bred cases long, and run whenever queued they
 * took the soak of the shipped entry (which has near misses in plenty)
 * from 330 to 92 cases/s. So a child is due only while the children's
 * nominal time (gf_cost.h) is at most 1/GF_WIDEN_SHARE of the bred cases'
 * (bench/neutral.md: a quarter found the two deepest demo variants in a
 * median of 830 and 772 cases at 1.23 of feedback off's throughput; an
 * eighth, 2 537 and 1 143 at 1.15).
 * Their own clean runs go through the feedback as any case's: a child
 * that is a new near miss is widened in turn. The queue is bounded (a
 * burst of near misses drops the widest children first, as they come
 * last); a child that does not differ from its parent after clamping is
 * not queued.
 */
#ifndef GF_WIDEN_H
#define GF_WIDEN_H

#include "gf_case.h"
#include "gf_config.h"

#define GF_WIDEN_CHILDREN 8
#define GF_WIDEN_QUEUE 32
#define GF_WIDEN_SHARE 4

typedef struct gf_widen {
  gf_case q[GF_WIDEN_QUEUE];
  unsigned head, n;
  uint64_t dropped;           /* children a full queue refused */
  uint64_t child_us, bred_us; /* nominal time handed out to each kind */
} gf_widen;

void gf_widen_init(gf_widen *w);

/* Queues the children of near miss c (each clamped to cfg's limits).
 * Returns how many were queued. */
int gf_widen_push(gf_widen *w, const gf_case *c, const gf_config *cfg);

/* Whether a child is queued and due (within the time share). */
int gf_widen_due(const gf_widen *w);

/* The next queued child into c: 1, or 0 when the queue is empty. */
int gf_widen_pop(gf_widen *w, gf_case *c);

/* A case of nominal_us was handed out: a child (child != 0) or bred. */
void gf_widen_spent(gf_widen *w, uint64_t nominal_us, int child);

#endif

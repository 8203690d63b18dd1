/* gf_favour.h - favoured parents: the cheapest case for each feature.
 *
 * The window feedback keeps every clean case that reached a feature never
 * seen, and such cases are heavier than most (more GCs, more inputs, more
 * delay). Bred from by weight, they halved the soak's throughput. So, as
 * AFL's top_rated: for each feature, the corpus case that reaches it at
 * the lowest measured cost (the wall time of its run) holds it; a clean case
 * that reaches a feature at under 3/4 of its holder's cost is kept and takes
 * it over (libFuzzer's "reduce"). The favoured set is a greedy cover of
 * every held feature by holders (AFL's cull_queue), and a favoured parent is
 * drawn with a weight that grows as its rarest feature's hit count shrinks
 * (the features few runs reach are bred from first) and as its cost shrinks
 * (AFL++'s speed factor in its performance score).
 *
 * Near misses get a share of their own. A holder whose run had calls
 * pending at a GC after another call settled (window counter
 * inflight_at_partial_gc: where a root that a completion dropped is freed
 * under a call still reading) is a step from the deepest bugs, and such
 * runs are long by nature (delays, queued calls), so the weights above all
 * but never draw one: a quarter of the draws go to the near holders alone,
 * weighted by rarity alone (its square). Measured from the neutral seed
 * (bench/neutral.md), the two variants that need a call still pending
 * after another's completion came 2-4 times sooner.
 *
 * Indexes are the corpus's (gf_corpus entries are never removed).
 */
#ifndef GF_FAVOUR_H
#define GF_FAVOUR_H

#include <stddef.h>
#include <stdint.h>

#include "gf_feedback.h"
#include "gf_prng.h"

/* Clean runs between two recomputations of the favoured set's weights. */
#define GF_FAVOUR_CULL_EVERY 1024u

typedef struct gf_favour_entry {
  uint32_t cost_us; /* 0: not a holder's entry (seeds, crash cases, loaded) */
  int near;         /* its run was a near miss (see above) */
  int n;
  uint32_t ids[GF_FEATURES_PER_CASE];
} gf_favour_entry;

typedef struct gf_favour {
  uint32_t top[GF_FEATURE_MAP];  /* corpus index + 1 of the holder; 0: none */
  uint32_t hits[GF_FEATURE_MAP]; /* clean runs that reached it (saturating) */
  gf_favour_entry *e;            /* by corpus index */
  size_t n_e;
  uint32_t *fav, *fav_weight; /* the favoured set and each one's weight */
  size_t n_fav;
  uint64_t total_weight;
  uint32_t *near, *near_weight; /* its near misses, weighted for their share */
  size_t n_near;
  uint64_t total_near;
  int dirty;           /* a holder changed: cull before the next pick */
  uint32_t since_cull; /* clean runs since the weights were computed */
} gf_favour;

/* Heap-allocated (its tables are 512 KiB); NULL when out of memory. */
gf_favour *gf_favour_new(void);
void gf_favour_free(gf_favour *fv);

/* A clean run reached ids: counted (how rare each feature is). */
void gf_favour_hit(gf_favour *fv, const uint32_t *ids, int n);

/* How many of ids a case of cost_us would take over (none held, or held at
 * more than 4/3 of cost_us). */
int gf_favour_gain(const gf_favour *fv, const uint32_t *ids, int n, uint32_t cost_us);

/* Corpus entry idx (just kept, of cost_us; near: its run was a near miss)
 * takes over the ids it gains. -1 when out of memory. */
int gf_favour_claim(gf_favour *fv, size_t idx, const uint32_t *ids, int n, uint32_t cost_us,
                    int near);

/* A favoured corpus index, rare features first; -1 when none is held. */
long gf_favour_pick(gf_favour *fv, gf_prng *p);

#endif

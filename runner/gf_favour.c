/* gf_favour.c - see gf_favour.h. */
#include "gf_favour.h"

#include <stdlib.h>
#include <string.h>

gf_favour *gf_favour_new(void) { return calloc(1, sizeof(gf_favour)); }

void gf_favour_free(gf_favour *fv) {
  if (fv == NULL) return;
  free(fv->e);
  free(fv->fav);
  free(fv->fav_weight);
  free(fv->near);
  free(fv->near_weight);
  free(fv);
}

void gf_favour_hit(gf_favour *fv, const uint32_t *ids, int n) {
  for (int i = 0; i < n; i++) {
    uint32_t *h = &fv->hits[ids[i] % GF_FEATURE_MAP];
    if (*h < UINT32_MAX) (*h)++;
  }
  fv->since_cull++;
}

/* Whether a case of cost_us would take feature id over. The 3/4 margin
 * keeps timing noise from trading a holder for its equal. */
static int gains(const gf_favour *fv, uint32_t id, uint32_t cost_us) {
  uint32_t h = fv->top[id % GF_FEATURE_MAP];
  return h == 0 || (uint64_t)cost_us * 4 < (uint64_t)fv->e[h - 1].cost_us * 3;
}

int gf_favour_gain(const gf_favour *fv, const uint32_t *ids, int n, uint32_t cost_us) {
  int g = 0;
  for (int i = 0; i < n; i++) g += gains(fv, ids[i], cost_us ? cost_us : 1);
  return g;
}

int gf_favour_claim(gf_favour *fv, size_t idx, const uint32_t *ids, int n, uint32_t cost_us,
                    int near) {
  if (idx >= fv->n_e) {
    size_t cap = idx + 1 > 2 * fv->n_e ? idx + 1 : 2 * fv->n_e;
    gf_favour_entry *e = realloc(fv->e, cap * sizeof *e);
    if (e == NULL) return -1;
    memset(e + fv->n_e, 0, (cap - fv->n_e) * sizeof *e);
    fv->e = e;
    fv->n_e = cap;
  }
  if (cost_us == 0) cost_us = 1;
  if (n > GF_FEATURES_PER_CASE) n = GF_FEATURES_PER_CASE;
  int took = 0;
  for (int i = 0; i < n; i++)
    if (gains(fv, ids[i], cost_us)) {
      fv->top[ids[i] % GF_FEATURE_MAP] = (uint32_t)idx + 1;
      took = 1;
    }
  /* An entry that claims again (a seed run as it is, then a child equal
   * to it) keeps the features of both runs, as far as its list holds. */
  gf_favour_entry *me = &fv->e[idx];
  me->cost_us = cost_us;
  me->near |= near;
  for (int i = 0; i < n && me->n < GF_FEATURES_PER_CASE; i++) {
    int known = 0;
    for (int j = 0; j < me->n && !known; j++) known = me->ids[j] == ids[i];
    if (!known) me->ids[me->n++] = ids[i];
  }
  fv->dirty |= took;
  return 0;
}

/* The hit count of the rarest feature entry idx holds. */
static uint32_t rarest(const gf_favour *fv, uint32_t idx) {
  uint32_t best = UINT32_MAX;
  const gf_favour_entry *me = &fv->e[idx];
  for (int i = 0; i < me->n; i++) {
    uint32_t id = me->ids[i] % GF_FEATURE_MAP;
    if (fv->top[id] == idx + 1 && fv->hits[id] < best) best = fv->hits[id];
  }
  return best;
}

/* Rare first: the holder of a feature that 1 run reached weighs 17 times
 * one whose rarest feature 32 runs or more reached. Cheap first: weight
 * falls with the square of cost (a 1 ms case 100 times a 10 ms one), since
 * a child costs about what its parent does, and the features are counts of
 * costly things (GCs, inputs), so many holders are heavy by nature. With
 * the weight inversely proportional to cost the soak ran at 0.72 of its
 * throughput without feedback; with the square, at 2.17 (bench/neutral.md). */
static uint32_t weight(uint32_t rarest_hits, uint32_t cost_us) {
  uint64_t speed = 1 + 1000000 / (uint64_t)cost_us;
  uint64_t w = (1 + 32 / (1 + (uint64_t)rarest_hits)) * speed * speed;
  return w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
}

/* A near miss's weight in its share: rare first, whatever it costs, since
 * every near miss is heavy (with the speed factor too, the variants it is
 * for took 1.5 times as many cases). */
static uint32_t near_weight(uint32_t rarest_hits) {
  uint32_t rare = 1 + 32 / (1 + rarest_hits);
  return rare * rare;
}

static int grow(uint32_t **v, size_t n) {
  uint32_t *p = realloc(*v, (n ? n : 1) * sizeof *p);
  if (p == NULL) return -1;
  *v = p;
  return 0;
}

/* AFL's cull_queue: walking the features in order, the holder of each one
 * not covered yet is favoured and covers every feature it reaches. */
static int cull(gf_favour *fv) {
  uint8_t covered[GF_FEATURE_MAP / 8] = {0};
  uint8_t *picked = calloc(fv->n_e ? fv->n_e : 1, 1); /* each entry once */
  if (picked == NULL || grow(&fv->fav, fv->n_e) || grow(&fv->fav_weight, fv->n_e) ||
      grow(&fv->near, fv->n_e) || grow(&fv->near_weight, fv->n_e)) {
    free(picked);
    return -1;
  }
  fv->n_fav = fv->n_near = 0;
  fv->total_weight = fv->total_near = 0;
  for (uint32_t id = 0; id < GF_FEATURE_MAP; id++) {
    if (fv->top[id] == 0 || (covered[id >> 3] & (1u << (id & 7)))) continue;
    uint32_t idx = fv->top[id] - 1;
    if (picked[idx]) continue; /* a feature its list lost (full) */
    picked[idx] = 1;
    const gf_favour_entry *me = &fv->e[idx];
    for (int i = 0; i < me->n; i++) {
      uint32_t c = me->ids[i] % GF_FEATURE_MAP;
      covered[c >> 3] |= (uint8_t)(1u << (c & 7));
    }
    uint32_t h = rarest(fv, idx);
    fv->fav[fv->n_fav] = idx;
    fv->fav_weight[fv->n_fav] = weight(h, me->cost_us);
    fv->total_weight += fv->fav_weight[fv->n_fav++];
    if (me->near) {
      fv->near[fv->n_near] = idx;
      fv->near_weight[fv->n_near] = near_weight(h);
      fv->total_near += fv->near_weight[fv->n_near++];
    }
  }
  free(picked);
  fv->dirty = 0;
  fv->since_cull = 0;
  return 0;
}

/* One of v[0..n) by weight w (total: their sum, > 0). */
static long draw(const uint32_t *v, const uint32_t *w, size_t n, uint64_t total, gf_prng *p) {
  uint64_t r = gf_prng_below(p, total);
  for (size_t i = 0; i < n; i++) {
    if (r < w[i]) return v[i];
    r -= w[i];
  }
  return v[n - 1];
}

long gf_favour_pick(gf_favour *fv, gf_prng *p) {
  if ((fv->dirty || fv->since_cull >= GF_FAVOUR_CULL_EVERY) && cull(fv) != 0) return -1;
  if (fv->n_fav == 0) return -1;
  if (fv->n_near && gf_prng_chance(p, 1, 4))
    return draw(fv->near, fv->near_weight, fv->n_near, fv->total_near, p);
  return draw(fv->fav, fv->fav_weight, fv->n_fav, fv->total_weight, p);
}

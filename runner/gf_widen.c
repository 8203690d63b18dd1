/* gf_widen.c - see gf_widen.h. */
#include "gf_widen.h"

#include <string.h>

void gf_widen_init(gf_widen *w) { memset(w, 0, sizeof *w); }

/* v * k, at least lo, saturating. */
static uint32_t scaled(uint32_t v, uint32_t k, uint32_t lo) {
  uint64_t x = (uint64_t)v * k;
  if (x < lo) x = lo;
  return x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
}

/* Child i of c (0 .. GF_WIDEN_CHILDREN - 1), one direction each, the last
 * all at once. Clamping afterwards keeps it within the limits. */
static void widen_one(gf_case *k, const gf_case *c, int i, const gf_config *cfg) {
  static const uint32_t times[3] = {4, 16, 64}, at_least[3] = {2000, 8000, 32000};
  uint32_t *f = k->f;
  uint32_t over = cfg->threadpool_size + 1; /* one call waits for a thread */
  *k = *c;
  switch (i) {
    case 0:
    case 1:
    case 2: f[GF_F_DELAY_US] = scaled(c->f[GF_F_DELAY_US], times[i], at_least[i]); break;
    case 3: f[GF_F_CONCURRENCY] = over; break;
    case 4: f[GF_F_CONCURRENCY] = cfg->limits.max_concurrency; break;
    case 5: f[GF_F_SHARED] = f[GF_F_ELEMS]; break;
    case 6: f[GF_F_STAGGER] = f[GF_F_STAGGER] ? f[GF_F_STAGGER] : 1; break;
    default:
      f[GF_F_DELAY_US] = scaled(c->f[GF_F_DELAY_US], times[2], at_least[2]);
      if (f[GF_F_CONCURRENCY] < over) f[GF_F_CONCURRENCY] = over;
      if (f[GF_F_SHARED] == 0) f[GF_F_SHARED] = 1;
      break;
  }
  gf_config_clamp_case(cfg, k);
}

int gf_widen_push(gf_widen *w, const gf_case *c, const gf_config *cfg) {
  int queued = 0;
  for (int i = 0; i < GF_WIDEN_CHILDREN; i++) {
    gf_case k;
    widen_one(&k, c, i, cfg);
    if (gf_case_equal(&k, c)) continue;
    if (w->n == GF_WIDEN_QUEUE) {
      w->dropped++;
      continue;
    }
    w->q[(w->head + w->n++) % GF_WIDEN_QUEUE] = k;
    queued++;
  }
  return queued;
}

int gf_widen_due(const gf_widen *w) {
  return w->n > 0 && w->child_us <= w->bred_us / GF_WIDEN_SHARE;
}

void gf_widen_spent(gf_widen *w, uint64_t nominal_us, int child) {
  uint64_t *t = child ? &w->child_us : &w->bred_us;
  *t = *t > UINT64_MAX - nominal_us ? UINT64_MAX : *t + nominal_us;
}

int gf_widen_pop(gf_widen *w, gf_case *c) {
  if (w->n == 0) return 0;
  *c = w->q[w->head];
  w->head = (w->head + 1) % GF_WIDEN_QUEUE;
  w->n--;
  return 1;
}

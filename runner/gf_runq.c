/* gf_runq.c - see gf_runq.h. */
#include "gf_runq.h"

#include <stdlib.h>
#include <string.h>

static int ring_push(gf_runq_ring *r, const gf_oneshot_job *job) {
  if (r->len == r->cap) { /* grow, unrolled into order */
    size_t cap = r->cap ? r->cap * 2 : 16;
    gf_oneshot_job *v = malloc(cap * sizeof *v);
    if (v == NULL) return -1;
    for (size_t i = 0; i < r->len; i++) v[i] = r->v[(r->head + i) % r->cap];
    free(r->v);
    r->v = v;
    r->head = 0;
    r->cap = cap;
  }
  r->v[(r->head + r->len) % r->cap] = *job;
  r->len++;
  return 0;
}

static void ring_pop(gf_runq_ring *r, gf_oneshot_job *job) {
  *job = r->v[r->head];
  r->head = (r->head + 1) % r->cap;
  r->len--;
}

int gf_runq_push(gf_runq *q, const gf_oneshot_job *job) {
  unsigned lane = (unsigned)job->lane < GF_NLANES ? (unsigned)job->lane : GF_LANE_CHEAP;
  return ring_push(&q->lane[lane], job);
}

static int side_of(gf_lane lane) { return lane != GF_LANE_CHEAP; }

int gf_runq_pop(gf_runq *q, gf_oneshot_job *job) {
  size_t cheap = q->lane[GF_LANE_CHEAP].len;
  size_t slow = q->lane[GF_LANE_SLOW].len + q->lane[GF_LANE_PATIENCE].len;
  if (cheap == 0 && slow == 0) return 0;
  if (cheap == 0 || slow == 0) /* no contest: nobody is in debt */
    q->spent_ms[0] = q->spent_ms[1] = 0;
  gf_lane lane = cheap && (!slow || q->spent_ms[0] <= q->spent_ms[1]) ? GF_LANE_CHEAP
                 : q->lane[GF_LANE_SLOW].len                          ? GF_LANE_SLOW
                                                                      : GF_LANE_PATIENCE;
  ring_pop(&q->lane[lane], job);
  return 1;
}

void gf_runq_charge(gf_runq *q, gf_lane lane, uint64_t ms) {
  q->spent_ms[side_of(lane)] += ms;
}

size_t gf_runq_len(const gf_runq *q) {
  size_t n = 0;
  for (int i = 0; i < GF_NLANES; i++) n += q->lane[i].len;
  return n;
}

void gf_runq_clear(gf_runq *q) {
  for (int i = 0; i < GF_NLANES; i++) q->lane[i].len = 0;
}

void gf_runq_free(gf_runq *q) {
  for (int i = 0; i < GF_NLANES; i++) free(q->lane[i].v);
  memset(q, 0, sizeof *q);
}

/* gf_cost.c - see gf_cost.h. */
#include "gf_cost.h"

#include <string.h>

/* The harness's own costs (µs), fitted on the demo: run times of 2 763
 * soak cases against their fields (doc/commands.md, "Case cost"). */
#define US_GC_MAJOR 1000
#define US_GC_MINOR 100
#define US_GC_FULL 16000
#define US_PER_KB 1.5
#define US_PER_TURN 50
/* The running sums decay by this factor per run: about the last 64 runs. */
#define DECAY 0.984

enum { T_WAIT, T_SLEEP, T_INPUT, T_FULL_GC, T_ALLOC, T_FIXED, T__N };

void gf_cost_init(gf_cost *m, uint32_t threads) {
  memset(m, 0, sizeof *m);
  m->threads = threads ? threads : 1;
}

/* Inputs, weighted by size: a 256-unit input counts twice. */
static double input_units(const gf_case *c) {
  uint64_t n = (uint64_t)c->f[GF_F_CONCURRENCY] * c->f[GF_F_ELEMS];
  for (uint32_t i = 0; i < c->nsteps; i++)
    if (c->steps[i].op == GF_OP_REPLACE)
      n += (uint64_t)c->f[GF_F_CONCURRENCY] *
           (c->steps[i].arg < c->f[GF_F_ELEMS] ? c->steps[i].arg : c->f[GF_F_ELEMS]);
  return (double)n * (1.0 + c->f[GF_F_ELEM_LEN] / 256.0);
}

static void terms(const gf_cost *m, const gf_case *c, double *t) {
  memset(t, 0, T__N * sizeof *t);
  uint32_t waves = (c->f[GF_F_CONCURRENCY] + m->threads - 1) / m->threads;
  t[T_WAIT] = (double)waves * c->f[GF_F_DELAY_US];
  t[T_FIXED] = (double)c->f[GF_F_STAGGER] * (c->f[GF_F_CONCURRENCY] - 1) * US_PER_TURN;
  for (uint32_t i = 0; i < c->nsteps; i++) {
    const gf_step *s = &c->steps[i];
    if (s->op == GF_OP_SLEEP_MS) t[T_SLEEP] += s->arg * 1000.0;
    else if (s->op == GF_OP_ALLOC_KB) t[T_ALLOC] += s->arg * US_PER_KB;
    else if (s->op == GF_OP_IMMEDIATE) t[T_FIXED] += (double)s->arg * US_PER_TURN;
    else if (s->op == GF_OP_GC && s->arg == 2) t[T_FULL_GC] += US_GC_FULL;
    else if (s->op == GF_OP_GC) t[T_FIXED] += s->arg == 1 ? US_GC_MINOR : US_GC_MAJOR;
  }
}

/* The learned line through (units, µs beyond the fixed terms): a constant
 * (the harness's round trip) and a cost per unit, never negative. */
static void line(const gf_cost *m, double *base, double *slope) {
  *base = *slope = 0;
  double den = m->n * m->sxx - m->sx * m->sx;
  if (m->n < 4 || den <= 1e-9 * m->n * m->sxx) {
    if (m->n > 0) *base = m->sy / m->n;
    return;
  }
  *slope = (m->n * m->sxy - m->sx * m->sy) / den;
  if (*slope < 0) *slope = 0;
  *base = (m->sy - *slope * m->sx) / m->n;
  if (*base < 0) *base = 0;
}

uint64_t gf_cost_nominal_us(const gf_cost *m, const gf_case *c) {
  double t[T__N], base, slope, sum = 0;
  terms(m, c, t);
  line(m, &base, &slope);
  t[T_INPUT] = base + slope * input_units(c);
  for (int i = 0; i < T__N; i++) sum += t[i];
  return sum > 1.8e19 ? UINT64_MAX : (uint64_t)sum;
}

void gf_cost_learn(gf_cost *m, const gf_case *c, uint64_t exec_us) {
  double t[T__N], rest = 0;
  terms(m, c, t);
  for (int i = 0; i < T__N; i++) rest += t[i];
  double x = input_units(c), y = (double)exec_us - rest;
  if (y < 0) y = 0;
  m->n = m->n * DECAY + 1;
  m->sx = m->sx * DECAY + x;
  m->sy = m->sy * DECAY + y;
  m->sxx = m->sxx * DECAY + x * x;
  m->sxy = m->sxy * DECAY + x * y;
  m->learned++;
}

/* Halves the argument of the costliest step of op (type full: made major). */
static int shrink_step(gf_case *c, uint8_t op, int full) {
  gf_step *best = NULL;
  for (uint32_t i = 0; i < c->nsteps; i++) {
    gf_step *s = &c->steps[i];
    if (s->op != op || (full && s->arg != 2)) continue;
    if (best == NULL || s->arg > best->arg) best = s;
  }
  if (best == NULL) return 0;
  if (full) best->arg = 0;
  else best->arg = op == GF_OP_ALLOC_KB && best->arg < 2 ? 1 : best->arg / 2;
  return 1;
}

static int shrink(gf_case *c, int term) {
  uint32_t *f = c->f;
  switch (term) {
    case T_WAIT: f[GF_F_DELAY_US] = f[GF_F_DELAY_US] < 100 ? 0 : f[GF_F_DELAY_US] / 2; return 1;
    case T_SLEEP: return shrink_step(c, GF_OP_SLEEP_MS, 0);
    case T_FULL_GC: return shrink_step(c, GF_OP_GC, 1);
    case T_ALLOC: return shrink_step(c, GF_OP_ALLOC_KB, 0);
    case T_INPUT:
      if (f[GF_F_ELEMS] > 1) return f[GF_F_ELEMS] /= 2, 1;
      if (f[GF_F_ELEM_LEN] > 0) return f[GF_F_ELEM_LEN] /= 2, 1;
      return 0;
    default: return 0;
  }
}

int gf_cost_cap(const gf_cost *m, gf_case *c, uint64_t cap_us) {
  int moves = 0;
  while (moves < 256 && gf_cost_nominal_us(m, c) > cap_us) {
    double t[T__N], base, slope;
    terms(m, c, t);
    line(m, &base, &slope);
    t[T_INPUT] = slope * input_units(c);
    int order[T__N], n = 0; /* the terms that can shrink, costliest first */
    for (int i = 0; i < T_FIXED; i++) order[n++] = i;
    for (int i = 1; i < n; i++)
      for (int j = i; j > 0 && t[order[j]] > t[order[j - 1]]; j--) {
        int x = order[j];
        order[j] = order[j - 1];
        order[j - 1] = x;
      }
    int done = 0;
    for (int i = 0; i < n && !done; i++) done = t[order[i]] > 0 && shrink(c, order[i]);
    if (!done) break;
    moves++;
  }
  return moves;
}

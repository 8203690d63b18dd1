/* gf_mutate.c - see gf_mutate.h. */
#include "gf_mutate.h"

#include <string.h>

/* A new value for an integer field: anywhere (log-uniform), double, halve,
 * or nudge. Clamping afterwards keeps it in range. */
static uint32_t mutate_value(uint32_t v, uint32_t lo, uint32_t hi, gf_prng *p) {
  switch (gf_prng_below(p, 4)) {
    case 0: return gf_prng_log_range(p, lo, hi);
    case 1: return v > hi / 2 ? hi : (v ? v * 2 : 1);
    case 2: return v / 2 > lo ? v / 2 : lo;
    default: {
      uint32_t d = gf_prng_range(p, 1, 8);
      if (gf_prng_chance(p, 1, 2)) return v > hi - d ? hi : v + d;
      return v < lo + d ? lo : v - d;
    }
  }
}

static uint32_t random_arg(const gf_limits *l, int op, gf_prng *p) {
  const gf_step_spec *sp = &gf_step_specs[op];
  uint32_t hi = gf_limits_step_max(l, op);
  return sp->names ? gf_prng_range(p, sp->lo, sp->hi) : gf_prng_log_range(p, sp->lo, hi);
}

/* A random GC step of an allowed op, within the limits. */
static gf_step random_step(const gf_limits *l, gf_prng *p) {
  gf_step st;
  int allowed[GF_OP__COUNT], n = 0;
  for (int op = 0; op < GF_OP__COUNT; op++)
    if (l->gc_ops & (1u << op)) allowed[n++] = op;
  st.op = (uint8_t)(n ? allowed[gf_prng_below(p, (uint64_t)n)] : GF_OP_GC);
  st.arg = random_arg(l, st.op, p);
  return st;
}

static void mutate_steps(gf_case *c, const gf_limits *l, gf_prng *p) {
  uint32_t n = c->nsteps;
  int move = (int)gf_prng_below(p, 5);
  if (n == 0 || (move == 0 && n < l->max_steps)) { /* insert */
    if (n >= l->max_steps || l->gc_ops == 0) return;
    uint32_t at = (uint32_t)gf_prng_below(p, n + 1);
    memmove(&c->steps[at + 1], &c->steps[at], (n - at) * sizeof c->steps[0]);
    c->steps[at] = random_step(l, p);
    c->nsteps++;
    return;
  }
  uint32_t i = (uint32_t)gf_prng_below(p, n), j = (uint32_t)gf_prng_below(p, n);
  switch (move) {
    case 1: /* delete */
      memmove(&c->steps[i], &c->steps[i + 1], (n - i - 1) * sizeof c->steps[0]);
      c->nsteps--;
      break;
    case 2: /* change the argument */
      c->steps[i].arg = random_arg(l, c->steps[i].op, p);
      break;
    case 3: { /* swap */
      gf_step t = c->steps[i];
      c->steps[i] = c->steps[j];
      c->steps[j] = t;
      break;
    }
    default: /* duplicate */
      if (n < l->max_steps) {
        memmove(&c->steps[i + 1], &c->steps[i], (n - i) * sizeof c->steps[0]);
        c->nsteps++;
      }
      break;
  }
}

/* Environment teardown (the teardown fields): a case in a Worker costs
 * the Worker's start and a second setup (5-10 times a plain case), so a
 * child gets it rarely (1 in 16 of the moves that pick one of its two
 * fields: about 1.3 % of children; at 1 in 8, 2.7 %, a soak of sum lost
 * 15 % of its execs);
 * one that has it loses it, switches mode or moves its point, a third
 * each. The point is a step boundary: before, between or after them. */
static void mutate_teardown(gf_case *c, const gf_limits *l, gf_prng *p) {
  uint32_t *mode = &c->f[GF_F_TEARDOWN], *at = &c->f[GF_F_TEARDOWN_AT];
  if (*mode == 0) {
    if (l->max_teardown == 0 || !gf_prng_chance(p, 1, 16)) return;
    *mode = gf_prng_range(p, 1, l->max_teardown);
    *at = (uint32_t)gf_prng_below(p, c->nsteps + 1);
    return;
  }
  switch (gf_prng_below(p, 3)) {
    case 0: *mode = *at = 0; break;
    case 1: *mode = l->max_teardown > 1 ? 3 - *mode : *mode; break;
    default: *at = (uint32_t)gf_prng_below(p, c->nsteps + 1); break;
  }
}

/* One field, moved within the config's limits (clamping afterwards keeps
 * the relations between fields, e.g. shared <= elems). */
static void mutate_field(gf_case *c, int f, const gf_limits *l, gf_prng *p) {
  uint32_t *v = &c->f[f];
  switch (f) {
    case GF_F_DELAY_US:
      *v = gf_prng_chance(p, 1, 10) ? 0 : mutate_value(*v, 0, l->max_delay_us, p);
      break;
    case GF_F_CONCURRENCY: *v = gf_prng_range(p, 1, l->max_concurrency); break;
    case GF_F_SEED: *v = (uint32_t)gf_prng_next(p); break;
    case GF_F_TEARDOWN:
    case GF_F_TEARDOWN_AT: mutate_teardown(c, l, p); break;
    default:
      if (gf_case_fields[f].hi == 1) /* a switch: flip it */
        *v = !*v;
      else
        *v = mutate_value(*v, 0, gf_limits_field_max(l, c, f), p);
      break;
  }
}

void gf_mutate(gf_case *c, const gf_config *cfg, gf_prng *p) {
  const gf_limits *l = &cfg->limits;
  /* 2^k moves, k in 0..4 with halving odds: mostly small steps, sometimes a
   * leap several moves away from the parent. */
  int k = 0;
  while (k < 4 && gf_prng_chance(p, 1, 2)) k++;
  int moves = 1 << k;
  for (int m = 0; m < moves; m++) {
    /* Half the moves go to the schedule, half to one of the fields. */
    if (gf_prng_chance(p, 1, 2))
      mutate_steps(c, l, p);
    else
      mutate_field(c, (int)gf_prng_below(p, GF_F__COUNT), l, p);
  }
  gf_config_clamp_case(cfg, c);
}

void gf_splice(gf_case *c, const gf_case *other, const gf_config *cfg, gf_prng *p) {
  for (int f = 0; f < GF_F__COUNT; f++)
    if (gf_prng_chance(p, 1, 2)) c->f[f] = other->f[f];
  uint32_t cut = (uint32_t)gf_prng_below(p, c->nsteps + 1);
  uint32_t from = (uint32_t)gf_prng_below(p, other->nsteps + 1);
  uint32_t n = cut;
  for (uint32_t i = from; i < other->nsteps && n < GF_CASE_MAX_STEPS; i++) c->steps[n++] = other->steps[i];
  c->nsteps = n;
  gf_config_clamp_case(cfg, c);
}

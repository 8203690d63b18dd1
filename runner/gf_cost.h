/* gf_cost.h - what a case costs by construction, and a cap on it.
 *
 * A case implies most of its duration before it runs: calls in waves of
 * the pool's threads, each waiting its delay_us; its sleeps; its GCs and
 * allocations; and its inputs, each built by the target's input() and read
 * by a call. Under the default limits such products reach minutes, and were
 * sorted out after the fact by timeouts (issue #24). The nominal duration
 * adds those terms: the harness's own costs at fixed rates measured on the
 * demo (a major GC 1 ms, a full one 16 ms, 1.5 µs per KiB allocated, 50 µs
 * per setImmediate turn), and the target's cost per input learned from its
 * clean runs (a line through what each took beyond the rest, against its
 * inputs weighted by size). The mutator
 * shrinks a child past the cap until it fits (config `max_case_ms`).
 */
#ifndef GF_COST_H
#define GF_COST_H

#include <stdint.h>

#include "gf_case.h"

typedef struct gf_cost {
  uint32_t threads; /* the libuv pool's size (config threadpool_size) */
  /* decaying sums of (input units, µs beyond the fixed terms) over clean
   * runs: a least-squares line, a round trip plus a cost per unit */
  double n, sx, sy, sxx, sxy;
  uint64_t learned; /* clean runs it was learned from */
} gf_cost;

void gf_cost_init(gf_cost *m, uint32_t threads);

/* The case's nominal duration in µs. */
uint64_t gf_cost_nominal_us(const gf_cost *m, const gf_case *c);

/* A clean run of c took exec_us: learned (the sums decay over ~64 runs,
 * so a target whose cost drifts is followed). */
void gf_cost_learn(gf_cost *m, const gf_case *c, uint64_t exec_us);

/* Shrinks c, its costliest term first (delay, sleeps, inputs, full GCs,
 * allocations), until its nominal duration is at most cap_us or nothing
 * is left to shrink. Returns how many moves it took. */
int gf_cost_cap(const gf_cost *m, gf_case *c, uint64_t cap_us);

#endif

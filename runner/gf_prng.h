/* gf_prng.h - a seeded PRNG (xoshiro256**, seeded by splitmix64).
 *
 * Its own, not rand(): the same --seed must give the same case stream on
 * every libc and machine.
 */
#ifndef GF_PRNG_H
#define GF_PRNG_H

#include <stdint.h>

typedef struct gf_prng {
  uint64_t s[4];
} gf_prng;

void gf_prng_seed(gf_prng *p, uint64_t seed);
uint64_t gf_prng_next(gf_prng *p);
/* Uniform in [0, n); n > 0. */
uint64_t gf_prng_below(gf_prng *p, uint64_t n);
/* Uniform in [lo, hi]. */
uint32_t gf_prng_range(gf_prng *p, uint32_t lo, uint32_t hi);
/* Log-uniform in [lo, hi]: small values as likely per decade as large ones,
 * which is what sizes and delays want. */
uint32_t gf_prng_log_range(gf_prng *p, uint32_t lo, uint32_t hi);
/* 1 with probability num/den. */
int gf_prng_chance(gf_prng *p, uint32_t num, uint32_t den);

#endif

/* gf_prng.c - see gf_prng.h. */
#include "gf_prng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void gf_prng_seed(gf_prng *p, uint64_t seed) {
  for (int i = 0; i < 4; i++) p->s[i] = splitmix64(&seed);
}

uint64_t gf_prng_next(gf_prng *p) {
  uint64_t *s = p->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

uint64_t gf_prng_below(gf_prng *p, uint64_t n) {
  /* Rejection sampling: no modulo bias. */
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = gf_prng_next(p);
  while (x >= limit);
  return x % n;
}

uint32_t gf_prng_range(gf_prng *p, uint32_t lo, uint32_t hi) {
  if (hi <= lo) return lo;
  return lo + (uint32_t)gf_prng_below(p, (uint64_t)hi - lo + 1);
}

uint32_t gf_prng_log_range(gf_prng *p, uint32_t lo, uint32_t hi) {
  if (hi <= lo) return lo;
  double a = log((double)lo + 1), b = log((double)hi + 1);
  double u = (double)(gf_prng_next(p) >> 11) / 9007199254740992.0; /* [0,1) */
  double v = exp(a + u * (b - a)) - 1;
  uint32_t r = (uint32_t)v;
  return r < lo ? lo : r > hi ? hi : r;
}

int gf_prng_chance(gf_prng *p, uint32_t num, uint32_t den) {
  return gf_prng_below(p, den) < num;
}

/* core.c - see core.h. Plain C, no Node-API. */
#include "core.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double gf_elem_value(uint32_t seed, size_t i) {
  /* splitmix64 finaliser over (seed, i): cheap, well mixed, reproducible
   * from any language (doc/addon.md gives the formula). */
  uint64_t z = ((uint64_t)seed << 32) ^ (uint64_t)i;
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return (double)(int64_t)(z % 2048) - 1024.0;
}

gf_elem *gf_elem_new(size_t length, uint32_t seed) {
  if (length > GF_ELEM_MAX_LEN) return NULL;
  gf_elem *e = malloc(sizeof *e);
  if (e == NULL) return NULL;
  /* malloc(0) may return NULL; keep a real block so data is never NULL. */
  e->data = malloc(length ? length * sizeof(double) : 1);
  if (e->data == NULL) {
    free(e);
    return NULL;
  }
  e->length = length;
  e->seed = seed;
  for (size_t i = 0; i < length; i++) e->data[i] = gf_elem_value(seed, i);
  return e;
}

void gf_elem_free(gf_elem *e) {
  if (e == NULL) return;
  free(e->data);
  free(e);
}

static double sum_values(const double *v, size_t n) {
  double total = 0;
  for (size_t i = 0; i < n; i++) total += v[i];
  return total;
}

double gf_elem_sum(const gf_elem *e) { return sum_values(e->data, e->length); }

/* The one copy routine: views in, one owned block out. */
int gf_snapshot_take_views(gf_snapshot *s, const gf_view *views, size_t count) {
  size_t total = 0;
  s->total_len = 0;
  s->values = NULL;
  for (size_t i = 0; i < count; i++) {
    if (views[i].len > SIZE_MAX / sizeof(double) - total) return -1;
    total += views[i].len;
  }
  s->values = malloc(total ? total * sizeof(double) : 1);
  if (s->values == NULL) return -1;
  size_t at = 0;
  for (size_t i = 0; i < count; i++) {
    if (views[i].len) memcpy(s->values + at, views[i].data, views[i].len * sizeof(double));
    at += views[i].len;
  }
  s->total_len = total;
  return 0;
}

int gf_snapshot_take(gf_snapshot *s, const gf_elem *const *elems, size_t count) {
  gf_view *views = malloc((count ? count : 1) * sizeof *views);
  if (views == NULL) {
    s->total_len = 0;
    s->values = NULL;
    return -1;
  }
  for (size_t i = 0; i < count; i++) views[i] = (gf_view){elems[i]->data, elems[i]->length};
  int rc = gf_snapshot_take_views(s, views, count);
  free(views);
  return rc;
}

double gf_snapshot_sum(const gf_snapshot *s) {
  return sum_values(s->values, s->total_len);
}

void gf_snapshot_free(gf_snapshot *s) {
  free(s->values);
  s->values = NULL;
  s->total_len = 0;
}

double gf_borrowed_sum(const gf_elem *const *elems, size_t count) {
  double total = 0;
  for (size_t i = 0; i < count; i++)
    total += sum_values(elems[i]->data, elems[i]->length);
  return total;
}

double gf_views_sum(const gf_view *views, size_t count) {
  double total = 0;
  for (size_t i = 0; i < count; i++) total += sum_values(views[i].data, views[i].len);
  return total;
}

void gf_delay_us(uint32_t us) {
  struct timespec ts = {us / 1000000u, (long)(us % 1000000u) * 1000L};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}

/* gf_ring.c - see gf_ring.h. */
#include "gf_ring.h"

#include "gf_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int gf_ring_init(gf_ring *r, size_t cap) {
  memset(r, 0, sizeof *r);
  r->buf = malloc(cap);
  if (r->buf == NULL) return -1;
  r->cap = cap;
  return 0;
}

void gf_ring_free(gf_ring *r) {
  free(r->buf);
  memset(r, 0, sizeof *r);
}

void gf_ring_clear(gf_ring *r) {
  r->start = r->len = 0;
  r->dropped = 0;
}

void gf_ring_write(gf_ring *r, const char *data, size_t n) {
  if (r->cap == 0) return;
  if (n >= r->cap) { /* only the last cap bytes can survive */
    r->dropped += r->len + (n - r->cap);
    memcpy(r->buf, data + (n - r->cap), r->cap);
    r->start = 0;
    r->len = r->cap;
    return;
  }
  size_t overflow = r->len + n > r->cap ? r->len + n - r->cap : 0;
  r->start = (r->start + overflow) % r->cap;
  r->len -= overflow;
  r->dropped += overflow;
  size_t end = (r->start + r->len) % r->cap;
  size_t first = n < r->cap - end ? n : r->cap - end;
  memcpy(r->buf + end, data, first);
  memcpy(r->buf, data + first, n - first);
  r->len += n;
}

size_t gf_ring_read(const gf_ring *r, char *out, size_t cap) {
  if (cap == 0) return 0;
  size_t n = r->len < cap - 1 ? r->len : cap - 1;
  size_t skip = r->len - n; /* keep the newest bytes when out is small */
  for (size_t i = 0; i < n; i++) out[i] = r->buf[(r->start + skip + i) % r->cap];
  gf_text_sanitize(out, n);
  out[n] = '\0';
  return n;
}

/* gf_ring.c - see gf_ring.h. */
#include "gf_ring.h"

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

/* The length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
             : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
  if (len == 0 || len > n) return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xc0) != 0x80) return 0;
  uint32_t cp = len == 1 ? s[0] : len == 2 ? (s[0] & 0x1fu) : len == 3 ? (s[0] & 0x0fu) : (s[0] & 0x07u);
  for (size_t i = 1; i < len; i++) cp = cp << 6 | (s[i] & 0x3fu);
  static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0; /* overlong, surrogate */
  return len;
}

/* Makes the bytes text: invalid UTF-8 (a tail cut mid-character, a worker's
 * binary junk) and control bytes but tab and newline become '?'. A NUL no
 * longer hides what follows it, and every record stays valid UTF-8 JSON. */
static size_t make_text(char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) s[i] = '?';
      i++;
      continue;
    }
    size_t len = utf8_len((const unsigned char *)s + i, n - i);
    if (len == 0) {
      s[i++] = '?';
    } else {
      i += len;
    }
  }
  return n;
}

size_t gf_ring_read(const gf_ring *r, char *out, size_t cap) {
  if (cap == 0) return 0;
  size_t n = r->len < cap - 1 ? r->len : cap - 1;
  size_t skip = r->len - n; /* keep the newest bytes when out is small */
  for (size_t i = 0; i < n; i++) out[i] = r->buf[(r->start + skip + i) % r->cap];
  make_text(out, n);
  out[n] = '\0';
  return n;
}

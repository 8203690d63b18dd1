/* gf_ring.h - a bounded byte ring: the last `cap` bytes of a stream.
 *
 * A worker's stderr can be endless (a crash loop, a chatty addon); triage
 * only needs the tail, and memory must not grow with uptime.
 */
#ifndef GF_RING_H
#define GF_RING_H

#include <stddef.h>

typedef struct gf_ring {
  char *buf;
  size_t cap, start, len;
  size_t dropped; /* bytes overwritten so far */
} gf_ring;

int gf_ring_init(gf_ring *r, size_t cap);
void gf_ring_free(gf_ring *r);
void gf_ring_clear(gf_ring *r);
void gf_ring_write(gf_ring *r, const char *data, size_t n);
/* The content in order, NUL-terminated, into out (cap bytes), as text:
 * invalid UTF-8 and control bytes other than tab and newline are replaced
 * by '?' (so an embedded NUL cannot hide a report, and what is recorded is
 * valid UTF-8). Returns the length copied. */
size_t gf_ring_read(const gf_ring *r, char *out, size_t cap);

#endif

/* gf_cache.h - a writer's few whole records in memory: those it read or
 * wrote last, so that a bucket hit over and over, or the one being
 * confirmed, is not read back from disk at each change.
 *
 * Bounded: past GF_CACHE_RECORDS records or GF_CACHE_BYTES of their text
 * (a record may carry a 1 MiB tail), the least recently used go - except
 * the one just asked for, and pinned ones: a record whose last write
 * failed has no other copy until gf_store_flush writes it. Slots name
 * buckets by their index in the store, which outlives reallocations.
 */
#ifndef GF_CACHE_H
#define GF_CACHE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#define GF_CACHE_RECORDS 8
#define GF_CACHE_BYTES (512u << 10)

typedef struct gf_cache_slot {
  size_t at;      /* the bucket's index in its store */
  cJSON *record;
  size_t bytes;   /* its text's length when last read or written */
  uint64_t used;  /* when it was last asked for (a counter) */
  int pinned;
} gf_cache_slot;

typedef struct gf_cache {
  gf_cache_slot *v;
  size_t n, cap;
  uint64_t clock;
} gf_cache;

/* Bucket at's record, or NULL when it is not kept. */
cJSON *gf_cache_get(gf_cache *c, size_t at);

/* Keeps record (taken) as bucket at's, then trims to the bounds. -1 when
 * out of memory (record deleted). */
int gf_cache_put(gf_cache *c, size_t at, cJSON *record, size_t bytes);

/* After a write of bucket at's record: its size, whether pinned (the write
 * failed); then trims. */
void gf_cache_mark(gf_cache *c, size_t at, size_t bytes, int pinned);

void gf_cache_free(gf_cache *c);

#endif

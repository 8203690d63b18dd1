/* gf_cache.c - see gf_cache.h. */
#include "gf_cache.h"

#include <stdlib.h>
#include <string.h>

static gf_cache_slot *slot_of(gf_cache *c, size_t at) {
  for (size_t i = 0; i < c->n; i++)
    if (c->v[i].at == at) return &c->v[i];
  return NULL;
}

cJSON *gf_cache_get(gf_cache *c, size_t at) {
  gf_cache_slot *s = slot_of(c, at);
  if (s == NULL) return NULL;
  s->used = ++c->clock;
  return s->record;
}

/* Drops the least recently used slots that may go until the bounds hold;
 * keep (the bucket just asked for) and pinned ones stay. */
static void trim(gf_cache *c, size_t keep) {
  for (;;) {
    size_t bytes = 0, lru = c->n;
    for (size_t i = 0; i < c->n; i++) {
      bytes += c->v[i].bytes;
      if (!c->v[i].pinned && c->v[i].at != keep && (lru == c->n || c->v[i].used < c->v[lru].used))
        lru = i;
    }
    if ((c->n <= GF_CACHE_RECORDS && bytes <= GF_CACHE_BYTES) || lru == c->n) return;
    cJSON_Delete(c->v[lru].record);
    c->v[lru] = c->v[--c->n];
  }
}

int gf_cache_put(gf_cache *c, size_t at, cJSON *record, size_t bytes) {
  gf_cache_slot *s = slot_of(c, at);
  if (s == NULL && c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : GF_CACHE_RECORDS + 1;
    gf_cache_slot *v = realloc(c->v, cap * sizeof *v);
    if (v == NULL) {
      cJSON_Delete(record);
      return -1;
    }
    c->v = v;
    c->cap = cap;
  }
  if (s == NULL) {
    s = &c->v[c->n++];
    memset(s, 0, sizeof *s);
    s->at = at;
  } else if (s->record != record) {
    cJSON_Delete(s->record);
  }
  s->record = record;
  s->bytes = bytes;
  s->used = ++c->clock;
  trim(c, at);
  return 0;
}

void gf_cache_mark(gf_cache *c, size_t at, size_t bytes, int pinned) {
  gf_cache_slot *s = slot_of(c, at);
  if (s == NULL) return;
  s->bytes = bytes;
  s->pinned = pinned;
  trim(c, at);
}

void gf_cache_free(gf_cache *c) {
  for (size_t i = 0; i < c->n; i++) cJSON_Delete(c->v[i].record);
  free(c->v);
  memset(c, 0, sizeof *c);
}

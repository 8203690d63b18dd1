/* gf_feedback.c - see gf_feedback.h. */
#include "gf_feedback.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gf_case.h"
#include "gf_classify.h"
#include "gf_fs.h"

static const char *const window_keys[GF_WINDOW_N] = GF_WINDOW_KEYS_INIT;

void gf_feedback_init(gf_feedback *fb) { memset(fb, 0, sizeof *fb); }

/* AFL's hit-count classes: small counts exactly, then powers of two. */
static unsigned count_class(double v) {
  if (v <= 0) return 0;
  if (v < 4) return (unsigned)v;
  if (v < 8) return 4;
  if (v < 16) return 5;
  if (v < 32) return 6;
  if (v < 128) return 7;
  return 8;
}

static uint32_t feature_id(const char *entry, const char *what, unsigned a, unsigned b) {
  char key[160];
  snprintf(key, sizeof key, "%s\x1f%s\x1f%u\x1f%u", entry, what, a, b);
  return (uint32_t)(gf_fnv1a64(key) % GF_FEATURE_MAP);
}

int gf_feedback_features(const cJSON *result, const char *entry, uint32_t *ids) {
  const cJSON *w = cJSON_GetObjectItemCaseSensitive(result, "window");
  if (!cJSON_IsObject(w)) return 0;
  unsigned cls[GF_WINDOW_N], nonzero = 0;
  int n = 0;
  for (int i = 0; i < GF_WINDOW_N; i++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(w, window_keys[i]);
    cls[i] = cJSON_IsNumber(v) ? count_class(v->valuedouble) : 0; /* untrusted: any junk is 0 */
    if (cls[i]) nonzero |= 1u << i;
    ids[n++] = feature_id(entry, window_keys[i], cls[i], 0);
  }
  ids[n++] = feature_id(entry, "nonzero", nonzero, 0);
  /* The bug's precondition (collected in flight) with the GC that found it. */
  ids[n++] = feature_id(entry, "collected_in_flight*inflight_at_gc", cls[2], cls[3]);
  return n;
}

int gf_feedback_near_miss(const cJSON *result) {
  const cJSON *w = cJSON_GetObjectItemCaseSensitive(result, "window");
  const cJSON *v = cJSON_IsObject(w) ? cJSON_GetObjectItemCaseSensitive(w, "inflight_at_partial_gc") : NULL;
  return cJSON_IsNumber(v) && v->valuedouble >= 1; /* untrusted: junk is no */
}

int gf_feedback_add(gf_feedback *fb, const uint32_t *ids, int n) {
  int fresh = 0;
  for (int i = 0; i < n; i++) {
    uint32_t id = ids[i] % GF_FEATURE_MAP;
    uint8_t bit = (uint8_t)(1u << (id & 7));
    if (fb->map[id >> 3] & bit) continue;
    fb->map[id >> 3] |= bit;
    fb->count++;
    fresh++;
  }
  return fresh;
}

int gf_feedback_save(const gf_feedback *fb, const char *path, gf_err *err) {
  cJSON *o = cJSON_CreateObject();
  cJSON *a = cJSON_AddArrayToObject(o, "features");
  for (uint32_t id = 0; id < GF_FEATURE_MAP; id++)
    if (fb->map[id >> 3] & (1u << (id & 7))) cJSON_AddItemToArray(a, cJSON_CreateNumber(id));
  char *text = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  int rc = text ? gf_write_atomic(path, text, strlen(text), err) : gf_errf(err, "out of memory");
  free(text);
  return rc;
}

int gf_feedback_load(gf_feedback *fb, const char *path, gf_err *err) {
  gf_feedback_init(fb);
  if (access(path, F_OK) != 0 && errno == ENOENT) return 0; /* a first run */
  char *text = gf_read_file(path, 1 << 22, NULL, err);
  if (text == NULL) return -1;
  cJSON *o = cJSON_Parse(text);
  free(text);
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "features"), *it;
  int rc = 0;
  if (!cJSON_IsArray(a)) {
    rc = gf_errf(err, "%s: features: must be an array of feature numbers", path);
  } else {
    cJSON_ArrayForEach(it, a) {
      if (!cJSON_IsNumber(it) || it->valuedouble < 0 || it->valuedouble >= GF_FEATURE_MAP) {
        rc = gf_errf(err, "%s: features: %s is not a feature number", path, cJSON_IsNumber(it) ? "a value" : "an item");
        break;
      }
      uint32_t id = (uint32_t)it->valuedouble;
      gf_feedback_add(fb, &id, 1);
    }
  }
  cJSON_Delete(o);
  return rc;
}

int gf_feedback_write_ids(const char *path, const uint32_t *ids, int n, gf_err *err) {
  cJSON *a = cJSON_CreateArray();
  for (int i = 0; i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateNumber(ids[i] % GF_FEATURE_MAP));
  char *text = cJSON_PrintUnformatted(a);
  cJSON_Delete(a);
  int rc = text ? gf_write_atomic(path, text, strlen(text), err) : gf_errf(err, "out of memory");
  free(text);
  return rc;
}

int gf_feedback_read_ids(const char *path, uint32_t *ids, int max, gf_err *err) {
  char *text = gf_read_file(path, 1 << 16, NULL, err);
  if (text == NULL) return -1;
  cJSON *a = cJSON_Parse(text), *it;
  free(text);
  int n = 0;
  if (!cJSON_IsArray(a)) {
    cJSON_Delete(a);
    return gf_errf(err, "%s: must be an array of feature numbers", path);
  }
  cJSON_ArrayForEach(it, a) {
    if (!cJSON_IsNumber(it) || it->valuedouble < 0 || it->valuedouble >= GF_FEATURE_MAP || n == max) {
      n = gf_errf(err, "%s: item %d: must be a feature number (at most %d)", path, n, max);
      break;
    }
    ids[n++] = (uint32_t)it->valuedouble;
  }
  cJSON_Delete(a);
  return n;
}

/* gf_json.c - see gf_json.h. */
#include "gf_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gf_json_brief(const cJSON *item, char *out, size_t cap) {
  char *s = item ? cJSON_PrintUnformatted(item) : NULL;
  gf_strlcpy(out, s ? s : "?", cap);
  if (s && strlen(s) >= cap && cap > 4) memcpy(out + cap - 4, "...", 4);
  free(s);
}

int gf_json_known_keys(const cJSON *obj, const char *const *allowed,
                       const char *where, gf_err *err) {
  const cJSON *it;
  cJSON_ArrayForEach(it, obj) {
    int ok = 0;
    for (const char *const *a = allowed; *a && !ok; a++)
      ok = it->string && strcmp(*a, it->string) == 0;
    if (!ok) return gf_errf(err, "%s%s: unknown field", where, it->string ? it->string : "?");
  }
  const char *dup = gf_json_duplicate_key(obj);
  return dup ? gf_errf(err, "%s%s: duplicate key", where, dup) : 0;
}

const char *gf_json_duplicate_key(const cJSON *obj) {
  const cJSON *it;
  cJSON_ArrayForEach(it, obj)
    for (const cJSON *prev = obj->child; prev != it; prev = prev->next)
      if (prev->string && it->string && strcmp(prev->string, it->string) == 0) return it->string;
  return NULL;
}

int gf_json_uint(const cJSON *obj, const char *key, uint64_t lo, uint64_t hi,
                 uint64_t dflt, const char *where, uint64_t *out, gf_err *err) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (it == NULL) {
    *out = dflt;
    return 0;
  }
  double d = cJSON_IsNumber(it) ? it->valuedouble : NAN;
  if (!(d >= (double)lo && d <= (double)hi) || d != floor(d)) {
    char got[64];
    gf_json_brief(it, got, sizeof got);
    return gf_errf(err, "%s%s: must be an integer in [%llu, %llu], got %s", where, key,
                   (unsigned long long)lo, (unsigned long long)hi, got);
  }
  *out = (uint64_t)d;
  return 0;
}

int gf_json_str(const cJSON *obj, const char *key, const char *dflt,
                const char *where, char *out, size_t cap, gf_err *err) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (it == NULL) {
    if (dflt == NULL) return gf_errf(err, "%s%s: required field missing", where, key);
    gf_strlcpy(out, dflt, cap);
    return 0;
  }
  if (!cJSON_IsString(it) || strlen(it->valuestring) >= cap) {
    char got[64];
    gf_json_brief(it, got, sizeof got);
    return gf_errf(err, "%s%s: must be a string of at most %zu bytes, got %s", where,
                   key, cap - 1, got);
  }
  gf_strlcpy(out, it->valuestring, cap);
  return 0;
}

int gf_json_enum(const cJSON *obj, const char *key, const char *const *names,
                 int dflt, const char *where, int *out, gf_err *err) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (it == NULL) {
    *out = dflt;
    return 0;
  }
  for (int i = 0; cJSON_IsString(it) && names[i]; i++)
    if (strcmp(names[i], it->valuestring) == 0) {
      *out = i;
      return 0;
    }
  char got[64], list[256] = "";
  gf_json_brief(it, got, sizeof got);
  for (int i = 0; names[i]; i++) {
    if (i) strncat(list, ", ", sizeof list - strlen(list) - 1);
    strncat(list, names[i], sizeof list - strlen(list) - 1);
  }
  return gf_errf(err, "%s%s: must be one of %s, got %s", where, key, list, got);
}

int gf_json_bool(const cJSON *obj, const char *key, int dflt, const char *where,
                 int *out, gf_err *err) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (it == NULL) {
    *out = dflt;
    return 0;
  }
  if (!cJSON_IsBool(it)) {
    char got[64];
    gf_json_brief(it, got, sizeof got);
    return gf_errf(err, "%s%s: must be true or false, got %s", where, key, got);
  }
  *out = cJSON_IsTrue(it);
  return 0;
}

void gf_json_set(cJSON *o, const char *key, cJSON *v) {
  if (cJSON_GetObjectItemCaseSensitive(o, key))
    cJSON_ReplaceItemInObjectCaseSensitive(o, key, v);
  else
    cJSON_AddItemToObject(o, key, v);
}

double gf_json_count(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e18 ? v->valuedouble : 0;
}

cJSON *gf_json_parse(const char *text, gf_err *err) {
  const char *end = NULL;
  cJSON *j = cJSON_ParseWithOpts(text, &end, 1);
  if (j) return j;
  if (end == NULL || end < text) end = text;
  unsigned line = 1, col = 1;
  for (const char *p = text; p < end && *p; p++) {
    if (*p == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  gf_errf(err, "not valid JSON: line %u, column %u", line, col);
  return NULL;
}

/* gf_record.c - see gf_record.h. The schema is data, read once: one
 * interpreter of its rows, so a new field is a row, not code. */
#include "gf_record.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gf_case.h"
#include "gf_fs.h"
#include "gf_record_schema.h"

#define MAX_ITEMS 64 /* frames, strings, links */

static const cJSON *schema_fields(void) {
  static cJSON *schema; /* parsed once; lives as long as the process */
  if (schema == NULL) schema = cJSON_Parse(gf_record_schema_json);
  return cJSON_GetObjectItemCaseSensitive(schema, "fields");
}

static const cJSON *row_of(const cJSON *rows, const char *name) {
  const cJSON *r;
  cJSON_ArrayForEach(r, rows) {
    const char *n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "name"));
    if (n && strcmp(n, name) == 0) return r;
  }
  return NULL;
}

static double num(const cJSON *row, const char *key, double dflt) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);
  return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static int is_count(const cJSON *v) {
  return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= (double)GF_COUNT_MAX &&
         v->valuedouble == floor(v->valuedouble);
}

static int is_hash(const char *s) { return s && strlen(s) == 16 && strspn(s, "0123456789abcdef") == 16; }

/* YYYY-MM-DDTHH:MM:SSZ */
static int is_time(const char *s) {
  static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
  if (s == NULL || strlen(s) != sizeof form - 1) return 0;
  for (size_t i = 0; form[i]; i++)
    if (form[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != form[i]) return 0;
  return 1;
}

static int is_string(const cJSON *v, size_t max) { return cJSON_IsString(v) && strlen(v->valuestring) <= max; }

static int is_rate(const cJSON *v) {
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(v, "runs");
  const cJSON *h = cJSON_GetObjectItemCaseSensitive(v, "reproduced");
  return cJSON_IsObject(v) && is_count(r) && is_count(h) && h->valuedouble <= r->valuedouble;
}

static int is_link(const cJSON *v) {
  return cJSON_IsObject(v) && is_hash(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "hash"))) &&
         is_string(cJSON_GetObjectItemCaseSensitive(v, "signature"), 511);
}

static int is_frame(const cJSON *f) {
  const cJSON *m = cJSON_GetObjectItemCaseSensitive(f, "module");
  return cJSON_IsObject(f) && is_string(cJSON_GetObjectItemCaseSensitive(f, "function"), 4096) &&
         is_string(cJSON_GetObjectItemCaseSensitive(f, "location"), 4096) &&
         cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(f, "target")) && (m == NULL || is_string(m, 4096));
}

/* Every element of an array (at most MAX_ITEMS) passes ok. */
static int all_of(const cJSON *v, int (*ok)(const cJSON *, size_t), size_t max) {
  const cJSON *it;
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > MAX_ITEMS) return 0;
  cJSON_ArrayForEach(it, v) if (!ok(it, max)) return 0;
  return 1;
}
static int frame_ok(const cJSON *v, size_t max) { return (void)max, is_frame(v); }
static int string_ok(const cJSON *v, size_t max) { return is_string(v, max); }
static int link_ok(const cJSON *v, size_t max) { return (void)max, is_link(v); }

/* An object's members: keys pass key_ok, values pass ok. */
static int map_of(const cJSON *v, int (*key_ok)(const char *), int (*ok)(const cJSON *)) {
  const cJSON *it;
  if (!cJSON_IsObject(v)) return 0;
  cJSON_ArrayForEach(it, v) if (!key_ok(it->string) || !ok(it)) return 0;
  return 1;
}
static int version_key(const char *s) {
  return s && s[0] && strlen(s) <= 31 && strspn(s, "v0123456789.-+abcdefghijklmnopqrstuvwxyz") == strlen(s);
}

static int in_values(const cJSON *row, const char *s) {
  const cJSON *v;
  cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(row, "values"))
    if (s && cJSON_IsString(v) && strcmp(v->valuestring, s) == 0) return 1;
  return 0;
}

static int check_value(const cJSON *row, const cJSON *v, gf_err *err);

/* An object's listed fields, each checked by its own row. */
static int check_object(const cJSON *row, const cJSON *v, gf_err *err) {
  const cJSON *sub;
  if (!cJSON_IsObject(v)) return gf_errf(err, "must be an object");
  cJSON_ArrayForEach(sub, cJSON_GetObjectItemCaseSensitive(row, "fields")) {
    const char *n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sub, "name"));
    const cJSON *x = n ? cJSON_GetObjectItemCaseSensitive(v, n) : NULL;
    if (x && check_value(sub, x, err) != 0) return gf_err_prefix(err, "%s", n);
  }
  return 0;
}

static int check_value(const cJSON *row, const cJSON *v, gf_err *err) {
  const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "type"));
  size_t max = (size_t)num(row, "max", 4096);
  if (cJSON_IsNull(v) && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "nullable"))) return 0;
  if (type == NULL) return gf_errf(err, "no type in the schema");
  if (strcmp(type, "count") == 0)
    return is_count(v) ? 0 : gf_errf(err, "must be an integer in [0, 2^53]");
  if (strcmp(type, "int") == 0) {
    double lo = num(row, "lo", 0), hi = num(row, "hi", 0);
    return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) && v->valuedouble >= lo &&
                   v->valuedouble <= hi
               ? 0
               : gf_errf(err, "must be an integer in [%.0f, %.0f]", lo, hi);
  }
  if (strcmp(type, "string") == 0) return is_string(v, max) ? 0 : gf_errf(err, "must be a string of at most %zu bytes", max);
  if (strcmp(type, "hash") == 0) return is_hash(cJSON_GetStringValue(v)) ? 0 : gf_errf(err, "must be 16 hex digits");
  if (strcmp(type, "time") == 0) return is_time(cJSON_GetStringValue(v)) ? 0 : gf_errf(err, "must be YYYY-MM-DDTHH:MM:SSZ");
  if (strcmp(type, "enum") == 0) return in_values(row, cJSON_GetStringValue(v)) ? 0 : gf_errf(err, "not one of its values");
  if (strcmp(type, "bool") == 0) return cJSON_IsBool(v) ? 0 : gf_errf(err, "must be true or false");
  if (strcmp(type, "rate") == 0) return is_rate(v) ? 0 : gf_errf(err, "must be {runs, reproduced}, counts, reproduced <= runs");
  if (strcmp(type, "frames") == 0) return all_of(v, frame_ok, max) ? 0 : gf_errf(err, "must be at most 64 frames {function, location, target[, module]}");
  if (strcmp(type, "strings") == 0) return all_of(v, string_ok, max) ? 0 : gf_errf(err, "must be at most 64 strings of at most %zu bytes", max);
  if (strcmp(type, "link") == 0) return is_link(v) ? 0 : gf_errf(err, "must be {hash, signature}");
  if (strcmp(type, "links") == 0) return all_of(v, link_ok, max) ? 0 : gf_errf(err, "must be at most 64 {hash, signature}");
  if (strcmp(type, "count_map") == 0) return map_of(v, is_hash, is_count) ? 0 : gf_errf(err, "must map origins (16 hex digits) to counts");
  if (strcmp(type, "rate_map") == 0) return map_of(v, version_key, is_rate) ? 0 : gf_errf(err, "must map Node versions to {runs, reproduced}");
  if (strcmp(type, "object") == 0) return check_object(row, v, err);
  if (strcmp(type, "case") == 0) {
    gf_case c;
    return gf_case_from_json(&c, v, err) == 0 ? 0 : -1;
  }
  return gf_errf(err, "unknown type %s in the schema", type);
}

int gf_record_check_field(const char *key, const cJSON *value, gf_err *err) {
  const cJSON *row = row_of(schema_fields(), key);
  if (row == NULL) return gf_errf(err, "%s: not a field of the crash record", key);
  return check_value(row, value, err) == 0 ? 0 : gf_err_prefix(err, "%s", key);
}

int gf_record_check(cJSON *rec, char *dropped, size_t cap, gf_err *err) {
  const cJSON *row;
  if (dropped && cap) dropped[0] = '\0';
  if (!cJSON_IsObject(rec)) return gf_errf(err, "not a JSON object");
  cJSON_ArrayForEach(row, schema_fields()) {
    const char *n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "name"));
    const cJSON *v = n ? cJSON_GetObjectItemCaseSensitive(rec, n) : NULL;
    int required = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "required"));
    gf_err why = {{0}};
    if (v == NULL) {
      if (required) return gf_errf(err, "%s: missing (a required field)", n);
      continue;
    }
    if (check_value(row, v, &why) == 0) continue;
    if (required) return gf_errf(err, "%s: %s", n, why.msg);
    if (dropped && cap) {
      size_t len = strlen(dropped);
      snprintf(dropped + len, cap - len, "%s%s (%s)", len ? ", " : "", n, why.msg);
    }
    cJSON_DeleteItemFromObjectCaseSensitive(rec, n);
  }
  return 0;
}

uint64_t gf_count_add(uint64_t a, uint64_t b) {
  if (a > GF_COUNT_MAX) a = GF_COUNT_MAX;
  if (b > GF_COUNT_MAX - a) return GF_COUNT_MAX;
  return a + b;
}

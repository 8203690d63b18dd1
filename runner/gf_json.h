/* gf_json.h - typed, range-checked reads of cJSON fields.
 *
 * Errors read "<where><key>: <reason>, got <value>", the same wording as the
 * harness's JS validator, so a user sees one style whichever side rejects.
 */
#ifndef GF_JSON_H
#define GF_JSON_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "gf_err.h"

/* Parses text (the whole of it); NULL with "not valid JSON: line L,
 * column C" (where parsing stopped, 1-based) in err. */
cJSON *gf_json_parse(const char *text, gf_err *err);

/* The first key that obj has twice, or NULL. cJSON keeps every duplicate
 * and its lookups find the first; JavaScript keeps the last: neither may
 * silently win, so loaders refuse them, naming the key. */
const char *gf_json_duplicate_key(const cJSON *obj);

/* Fails on a key of obj not listed in allowed (NULL-terminated), or on a
 * duplicate key. */
int gf_json_known_keys(const cJSON *obj, const char *const *allowed,
                       const char *where, gf_err *err);

/* An integer in [lo, hi]; dflt when the key is absent. */
int gf_json_uint(const cJSON *obj, const char *key, uint64_t lo, uint64_t hi,
                 uint64_t dflt, const char *where, uint64_t *out, gf_err *err);

/* A string of at most cap-1 bytes; dflt when absent (dflt NULL: required). */
int gf_json_str(const cJSON *obj, const char *key, const char *dflt,
                const char *where, char *out, size_t cap, gf_err *err);

/* One of names[] (NULL-terminated); *out is its index. */
int gf_json_enum(const cJSON *obj, const char *key, const char *const *names,
                 int dflt, const char *where, int *out, gf_err *err);

int gf_json_bool(const cJSON *obj, const char *key, int dflt, const char *where,
                 int *out, gf_err *err);

/* A short rendering of item for error messages ("got ..."). */
void gf_json_brief(const cJSON *item, char *out, size_t cap);

/* o[key] as a count read back from a file of ours: a number in [0, 1e18),
 * else 0 (absent, junk, negative). */
double gf_json_count(const cJSON *o, const char *key);

/* Sets o[key] = v, replacing an item of that key; consumes v. */
void gf_json_set(cJSON *o, const char *key, cJSON *v);

#endif

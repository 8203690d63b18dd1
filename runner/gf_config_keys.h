/* gf_config_keys.h - the config's scalar keys as a table (Redis config.c's
 * way): one row per key - name, type, range, default - from which the
 * defaults, the parser and the `__config-keys` listing the docs test reads
 * all follow. A limit of a case field takes its upper bound from the case
 * schema (harness/case-schema.json), never a copy of it.
 */
#ifndef GF_CONFIG_KEYS_H
#define GF_CONFIG_KEYS_H

#include <cjson/cJSON.h>

#include "gf_config.h"

typedef enum { GF_KEY_U32, GF_KEY_BOOL } gf_key_type;

typedef struct gf_key_row {
  const char *name; /* "timeout_ms", or "limits.max_elems" */
  gf_key_type type;
  size_t off;       /* of its field in gf_config */
  uint32_t lo, hi, dflt;
  int case_field;   /* >= 0: hi is that case field's (GF_F_*) */
  int step_op;      /* >= 0: hi is that GC step's argument's (GF_OP_*) */
} gf_key_row;

extern const gf_key_row gf_config_keys[];
extern const size_t gf_n_config_keys;

uint32_t gf_key_hi(const gf_key_row *r);

/* Each row's default into cfg. */
void gf_config_keys_default(gf_config *cfg);

/* Each row present in the config object o (top level, or its "limits"
 * object): checked against its range and set; err names the key. */
int gf_config_keys_load(gf_config *cfg, const cJSON *o, gf_err *err);

/* The names every key a config object may have: the table's rows under
 * prefix ("" the top level, "limits." the limits object), without it,
 * then others; NULL-terminated, for gf_json_known_keys. */
#define GF_MAX_CONFIG_KEYS 64
void gf_config_key_names(const char *prefix, const char *const *others,
                         const char *out[GF_MAX_CONFIG_KEYS]);

/* [{"name","type","lo","hi","default"}]: `gcfuzz __config-keys`. */
cJSON *gf_config_keys_json(void);

#endif

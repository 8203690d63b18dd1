/* gf_config_keys.c - see gf_config_keys.h. */
#include "gf_config_keys.h"

#include <stddef.h>
#include <string.h>

#include "gf_case.h"
#include "gf_json.h"

#define U(key, lo, hi, d) {#key, GF_KEY_U32, offsetof(gf_config, key), lo, hi, d, -1, -1}
#define B(key, d) {#key, GF_KEY_BOOL, offsetof(gf_config, key), 0, 1, d, -1, -1}
#define LIMIT(key, lo, d, field) {"limits." #key, GF_KEY_U32, offsetof(gf_config, limits.key), lo, 0, d, field, -1}
#define LIMIT_STEP(key, lo, d, op) {"limits." #key, GF_KEY_U32, offsetof(gf_config, limits.key), lo, 0, d, -1, op}
#define LIMIT_N(key, lo, hi, d) {"limits." #key, GF_KEY_U32, offsetof(gf_config, limits.key), lo, hi, d, -1, -1}

const gf_key_row gf_config_keys[] = {
    U(max_old_space_mb, 16, 1048576, 512),
    U(threadpool_size, 1, 1024, 4),
    U(workers, 0, 256, 0),
    U(timeout_ms, 100, 3600000, 10000),
    U(max_case_ms, 0, 3600000, 0),
    U(startup_timeout_ms, 100, 3600000, 30000),
    U(rss_limit_mb, 0, 1048576, 2048),
    U(max_buckets, 1, 1000000, 10000),
    U(grace_ms, 0, 600000, 5000),
    U(stats_interval_ms, 100, 3600000, 2000),
    U(confirm_runs, 0, 1000, GF_CONFIRM_RUNS_DEFAULT),
    U(confirm_slots, 1, 64, 1),
    U(crash_bias, 1, 1000, 4),
    U(feedback_weight, 1, 1000, 2),
    U(sync_interval_ms, 100, 86400000, 60000),
    B(feedback, 1),
    B(favoured, 1),
    B(minimize_new, 0),
    B(persistent, 1),
    B(native_frames, 1),
    LIMIT(max_elems, 0, 2000, GF_F_ELEMS),
    LIMIT(max_elem_len, 0, 65536, GF_F_ELEM_LEN),
    LIMIT(max_delay_us, 0, 50000, GF_F_DELAY_US),
    LIMIT(max_concurrency, 1, 8, GF_F_CONCURRENCY),
    LIMIT(max_stagger, 0, 8, GF_F_STAGGER),
    LIMIT_N(max_steps, 0, GF_CASE_MAX_STEPS, 16),
    LIMIT_STEP(max_immediate, 1, 16, GF_OP_IMMEDIATE),
    LIMIT_STEP(max_sleep_ms, 0, 20, GF_OP_SLEEP_MS),
    LIMIT_STEP(max_alloc_kb, 1, 8192, GF_OP_ALLOC_KB),
    LIMIT_N(max_gate, 0, 1, 1),
    LIMIT(max_teardown, 0, 2, GF_F_TEARDOWN),
    LIMIT_N(max_corpus, 1, 1000000, 4096),
};
const size_t gf_n_config_keys = sizeof gf_config_keys / sizeof *gf_config_keys;

uint32_t gf_key_hi(const gf_key_row *r) {
  if (r->case_field >= 0) return gf_case_fields[r->case_field].hi;
  if (r->step_op >= 0) return gf_step_specs[r->step_op].hi;
  return r->hi;
}

static void *field_of(gf_config *cfg, const gf_key_row *r) { return (char *)cfg + r->off; }

void gf_config_keys_default(gf_config *cfg) {
  for (size_t i = 0; i < gf_n_config_keys; i++) {
    const gf_key_row *r = &gf_config_keys[i];
    if (r->type == GF_KEY_BOOL) *(int *)field_of(cfg, r) = (int)r->dflt;
    else *(uint32_t *)field_of(cfg, r) = r->dflt;
  }
}

int gf_config_keys_load(gf_config *cfg, const cJSON *o, gf_err *err) {
  const cJSON *limits = cJSON_GetObjectItemCaseSensitive(o, "limits");
  for (size_t i = 0; i < gf_n_config_keys; i++) {
    const gf_key_row *r = &gf_config_keys[i];
    int in_limits = strncmp(r->name, "limits.", 7) == 0;
    const cJSON *from = in_limits ? limits : o;
    const char *key = in_limits ? r->name + 7 : r->name;
    if (!cJSON_IsObject(from)) continue;
    if (r->type == GF_KEY_BOOL) {
      int *v = field_of(cfg, r);
      if (gf_json_bool(from, key, *v, in_limits ? "limits." : "", v, err) != 0) return -1;
    } else {
      uint32_t *v = field_of(cfg, r);
      uint64_t x;
      if (gf_json_uint(from, key, r->lo, gf_key_hi(r), *v, in_limits ? "limits." : "", &x, err) != 0)
        return -1;
      *v = (uint32_t)x;
    }
  }
  return 0;
}

void gf_config_key_names(const char *prefix, const char *const *others,
                         const char *out[GF_MAX_CONFIG_KEYS]) {
  size_t pl = strlen(prefix), k = 0;
  for (size_t i = 0; i < gf_n_config_keys && k < GF_MAX_CONFIG_KEYS - 1; i++) {
    const char *n = gf_config_keys[i].name;
    int in_limits = strncmp(n, "limits.", 7) == 0;
    if ((pl > 0) == in_limits && strncmp(n, prefix, pl) == 0) out[k++] = n + pl;
  }
  for (; others && *others && k < GF_MAX_CONFIG_KEYS - 1; others++) out[k++] = *others;
  out[k] = NULL;
}

cJSON *gf_config_keys_json(void) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; i < gf_n_config_keys; i++) {
    const gf_key_row *r = &gf_config_keys[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", r->name);
    cJSON_AddStringToObject(o, "type", r->type == GF_KEY_BOOL ? "boolean" : "integer");
    if (r->type == GF_KEY_U32) {
      cJSON_AddNumberToObject(o, "lo", r->lo);
      cJSON_AddNumberToObject(o, "hi", gf_key_hi(r));
      cJSON_AddNumberToObject(o, "default", r->dflt);
    } else {
      cJSON_AddBoolToObject(o, "default", r->dflt);
    }
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

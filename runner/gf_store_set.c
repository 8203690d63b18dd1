/* gf_store_set.c - what is set in a record after its bucket opened: the
 * confirmation rates, a better case, a timeout's patience, and the fields
 * other commands amend (declared in gf_store.h). Each reads the record
 * back (gf_store_record) and rewrites it whole. */
#include "gf_store.h"

#include <string.h>

#include "gf_json.h"
#include "gf_record.h"

static cJSON *rate_json(unsigned runs, unsigned reproduced) {
  cJSON *rate = cJSON_CreateObject();
  cJSON_AddNumberToObject(rate, "runs", runs);
  cJSON_AddNumberToObject(rate, "reproduced", reproduced);
  return rate;
}

/* Logs {"event": name, "hash", "runs", "reproduced"}. */
static int rate_event(gf_store *s, const gf_bucket *b, const char *name, unsigned runs,
                      unsigned reproduced) {
  cJSON *ev = rate_json(runs, reproduced);
  cJSON_AddStringToObject(ev, "event", name);
  cJSON_AddStringToObject(ev, "hash", b->hash);
  return gf_store_event(s, ev);
}

/* A confirmation rate: the record field key, and the event that logs it. */
static int set_rate(gf_store *s, gf_bucket *b, const char *key, const char *event,
                    unsigned runs, unsigned reproduced, gf_err *err) {
  if (gf_store_update(s, b, key, rate_json(runs, reproduced), err) != 0) return -1;
  return rate_event(s, b, event, runs, reproduced);
}

int gf_store_set_repro(gf_store *s, gf_bucket *b, unsigned runs, unsigned reproduced,
                       gf_err *err) {
  return set_rate(s, b, "reproducibility", "confirm", runs, reproduced, err);
}

int gf_store_set_warm(gf_store *s, gf_bucket *b, unsigned runs, unsigned reproduced,
                      gf_err *err) {
  return set_rate(s, b, "reproducibility_warm", "confirm_warm", runs, reproduced, err);
}

double gf_record_score(const cJSON *r) {
  const cJSON *fresh = cJSON_GetObjectItemCaseSensitive(r, "reproducibility");
  const cJSON *warm = cJSON_GetObjectItemCaseSensitive(r, "reproducibility_warm");
  double runs = gf_json_count(fresh, "runs") + gf_json_count(warm, "runs");
  double hits = gf_json_count(fresh, "reproduced") + gf_json_count(warm, "reproduced");
  return runs > 0 ? hits / runs : -1;
}

int gf_store_set_case(gf_store *s, gf_bucket *b, const gf_case *c, unsigned runs,
                      unsigned fresh_hits, unsigned warm_hits, gf_err *err) {
  cJSON *r = gf_store_record(s, b, err);
  if (r == NULL) return -1;
  gf_json_set(r, "case", gf_case_to_json(c));
  gf_json_set(r, "reproducibility", rate_json(runs, fresh_hits));
  gf_json_set(r, "reproducibility_warm", rate_json(runs, warm_hits));
  if (gf_store_rewrite(s, b, err) != 0) return -1;
  cJSON *ev = rate_json(runs, fresh_hits);
  cJSON_AddNumberToObject(ev, "warm_reproduced", warm_hits);
  cJSON_AddStringToObject(ev, "event", "better_case");
  cJSON_AddStringToObject(ev, "hash", b->hash);
  cJSON_AddStringToObject(ev, "case_id", c->id);
  return gf_store_event(s, ev);
}

/* Of the rate at key, its runs; adds its hits to *hits. */
static double rate_runs(const cJSON *r, const char *key, double *hits) {
  const cJSON *rate = cJSON_GetObjectItemCaseSensitive(r, key);
  *hits += gf_json_count(rate, "reproduced");
  return gf_json_count(rate, "runs");
}

int gf_store_set_patience(gf_store *s, gf_bucket *b, uint32_t timeout_ms, unsigned runs,
                          unsigned finished, gf_err *err) {
  const cJSON *r = gf_store_record(s, b, err);
  if (r == NULL) return -1;
  double hangs = runs - finished; /* the patience runs still running at its end */
  double of = runs + rate_runs(r, "reproducibility", &hangs) +
              rate_runs(r, "reproducibility_warm", &hangs);
  cJSON *p = cJSON_CreateObject();
  cJSON_AddNumberToObject(p, "timeout_ms", timeout_ms);
  cJSON_AddNumberToObject(p, "runs", runs);
  cJSON_AddNumberToObject(p, "finished", finished);
  cJSON_AddNumberToObject(p, "hangs", hangs); /* the verdict weighs every run (gf_bugs.h) */
  cJSON_AddNumberToObject(p, "of", of);
  return gf_store_update(s, b, "patience", p, err);
}

int gf_store_update(gf_store *s, gf_bucket *b, const char *key, cJSON *value, gf_err *err) {
  cJSON *r = gf_store_record(s, b, err);
  if (r == NULL) {
    cJSON_Delete(value);
    return -1;
  }
  if (value)
    gf_json_set(r, key, value);
  else
    cJSON_DeleteItemFromObjectCaseSensitive(r, key);
  return gf_store_rewrite(s, b, err);
}

cJSON *gf_store_minimized_fields(const gf_case *c, unsigned runs, unsigned reproduced) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "minimized_case", gf_case_to_json(c));
  cJSON_AddItemToObject(o, "minimized_rate", rate_json(runs, reproduced));
  return o;
}

int gf_store_set_minimized(gf_store *s, gf_bucket *b, const gf_case *c, unsigned runs,
                           unsigned reproduced, gf_err *err) {
  cJSON *fields = gf_store_minimized_fields(c, runs, reproduced);
  int rc = gf_store_amend(s, b, fields, err);
  cJSON_Delete(fields);
  return rc;
}

int gf_store_amendable(const char *key) {
  static const char *const keys[] = {"minimized_case", "minimized_rate", "reproduces_on", "last_replay"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    if (strcmp(key, keys[i]) == 0) return 1;
  return 0;
}

int gf_store_amend(gf_store *s, gf_bucket *b, const cJSON *fields, gf_err *err) {
  const cJSON *it;
  cJSON_ArrayForEach(it, fields) {
    if (!gf_store_amendable(it->string))
      return gf_errf(err, "%s: field %s may not be set by another command", b->hash, it->string);
    if (gf_record_check_field(it->string, it, err) != 0) return gf_err_prefix(err, "%s", b->hash);
  }
  cJSON *r = gf_store_record(s, b, err);
  if (r == NULL) return -1;
  cJSON_ArrayForEach(it, fields) gf_json_set(r, it->string, cJSON_Duplicate(it, 1));
  if (gf_store_rewrite(s, b, err) != 0) return -1;
  const cJSON *rate = cJSON_GetObjectItemCaseSensitive(fields, "minimized_rate");
  if (rate == NULL) return 0;
  const cJSON *runs = cJSON_GetObjectItemCaseSensitive(rate, "runs");
  const cJSON *rep = cJSON_GetObjectItemCaseSensitive(rate, "reproduced");
  return rate_event(s, b, "minimized", cJSON_IsNumber(runs) ? (unsigned)runs->valuedouble : 0,
                    cJSON_IsNumber(rep) ? (unsigned)rep->valuedouble : 0);
}

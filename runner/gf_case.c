/* gf_case.c - see gf_case.h. */
#include "gf_case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_json.h"

const gf_field_spec gf_case_fields[GF_F__COUNT] = GF_CASE_FIELDS_INIT;

/* The enum arguments' names, one table per enum step of the schema. */
static const char *const step_names_gc[] = GF_STEP_NAMES_GC;
#define STEP_NAMES(op) step_names_##op

const gf_step_spec gf_step_specs[GF_OP__COUNT] = GF_STEP_SPECS_INIT(STEP_NAMES);

void gf_case_default(gf_case *c) {
  memset(c, 0, sizeof *c);
  strcpy(c->id, "case");
  strcpy(c->entry, "sum");
  for (int i = 0; i < GF_F__COUNT; i++) c->f[i] = gf_case_fields[i].dflt;
}

uint64_t gf_case_total_doubles(const gf_case *c) {
  return GF_CASE_TOTAL(c->f);
}

static int charset_ok(const char *s, const char *extra, int upper) {
  if (*s == '\0') return 0;
  for (; *s; s++) {
    int ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
             (upper && *s >= 'A' && *s <= 'Z') || (*s && strchr(extra, *s));
    if (!ok) return 0;
  }
  return 1;
}

static int step_from_json(gf_step *st, const cJSON *obj, int i, gf_err *err) {
  char where[32], got[64];
  snprintf(where, sizeof where, "gc[%d].", i);
  if (!cJSON_IsObject(obj)) return gf_errf(err, "gc[%d]: must be an object", i);
  const cJSON *op = cJSON_GetObjectItemCaseSensitive(obj, "op");
  int k = 0;
  while (k < GF_OP__COUNT && !(cJSON_IsString(op) && strcmp(op->valuestring, gf_step_specs[k].op) == 0))
    k++;
  if (k == GF_OP__COUNT) {
    char list[160] = "";
    for (int op_i = 0; op_i < GF_OP__COUNT; op_i++) {
      if (op_i) strncat(list, ", ", sizeof list - strlen(list) - 1);
      strncat(list, gf_step_specs[op_i].op, sizeof list - strlen(list) - 1);
    }
    gf_json_brief(op, got, sizeof got);
    return gf_errf(err, "%sop: unknown op %s (expected %s)", where, op ? got : "undefined", list);
  }
  const gf_step_spec *sp = &gf_step_specs[k];
  const char *allowed[] = {"op", sp->arg, NULL};
  if (gf_json_known_keys(obj, allowed, where, err) != 0) return -1;
  st->op = (uint8_t)k;
  if (sp->names) {
    int idx;
    if (gf_json_enum(obj, sp->arg, sp->names, (int)sp->dflt, where, &idx, err) != 0) return -1;
    st->arg = (uint32_t)idx;
  } else {
    uint64_t v;
    if (gf_json_uint(obj, sp->arg, sp->lo, sp->hi, sp->dflt, where, &v, err) != 0) return -1;
    st->arg = (uint32_t)v;
  }
  return 0;
}

int gf_case_from_json(gf_case *c, const cJSON *obj, gf_err *err) {
  const char *allowed[GF_F__COUNT + 4] = {"id", "entry", "gc"};
  for (int i = 0; i < GF_F__COUNT; i++) allowed[3 + i] = gf_case_fields[i].name;
  gf_case_default(c);
  if (!cJSON_IsObject(obj)) return gf_errf(err, "case: must be a JSON object");
  if (gf_json_known_keys(obj, allowed, "", err) != 0) return -1;
  if (gf_json_str(obj, "id", "case", "", c->id, sizeof c->id, err) != 0 ||
      !charset_ok(c->id, "._-", 1))
    return gf_errf(err, "id: must be 1-63 characters of [A-Za-z0-9._-]");
  if (gf_json_str(obj, "entry", "sum", "", c->entry, sizeof c->entry, err) != 0 ||
      !charset_ok(c->entry, "_", 0))
    return gf_errf(err, "entry: must be 1-31 characters of [a-z0-9_]");
  for (int i = 0; i < GF_F__COUNT; i++) {
    const gf_field_spec *f = &gf_case_fields[i];
    uint64_t v;
    if (gf_json_uint(obj, f->name, f->lo, f->hi, f->dflt, "", &v, err) != 0) return -1;
    c->f[i] = (uint32_t)v;
  }
  if (gf_case_total_doubles(c) > GF_CASE_MAX_TOTAL_DOUBLES)
    return gf_errf(err, "elems*elem_len*concurrency: must be at most %llu, got %llu",
                   GF_CASE_MAX_TOTAL_DOUBLES, (unsigned long long)gf_case_total_doubles(c));
  const cJSON *gc = cJSON_GetObjectItemCaseSensitive(obj, "gc");
  if (gc == NULL) return 0;
  if (!cJSON_IsArray(gc)) return gf_errf(err, "gc: must be an array of steps");
  int n = cJSON_GetArraySize(gc);
  if (n > GF_CASE_MAX_STEPS)
    return gf_errf(err, "gc: at most %d steps, got %d", GF_CASE_MAX_STEPS, n);
  int i = 0;
  const cJSON *st;
  cJSON_ArrayForEach(st, gc) {
    if (step_from_json(&c->steps[i], st, i, err) != 0) return -1;
    i++;
  }
  c->nsteps = (uint32_t)n;
  return 0;
}

int gf_case_parse(gf_case *c, const char *text, gf_err *err) {
  cJSON *obj = gf_json_parse(text, err);
  if (obj == NULL) {
    gf_case_default(c);
    return -1;
  }
  int rc = gf_case_from_json(c, obj, err);
  cJSON_Delete(obj);
  return rc;
}

cJSON *gf_case_to_json(const gf_case *c) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", c->id);
  cJSON_AddStringToObject(o, "entry", c->entry);
  for (int i = 0; i < GF_F__COUNT; i++)
    cJSON_AddNumberToObject(o, gf_case_fields[i].name, c->f[i]);
  cJSON *gc = cJSON_AddArrayToObject(o, "gc");
  for (uint32_t i = 0; i < c->nsteps; i++) {
    const gf_step_spec *sp = &gf_step_specs[c->steps[i].op];
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "op", sp->op);
    if (sp->names)
      cJSON_AddStringToObject(st, sp->arg, sp->names[c->steps[i].arg]);
    else
      cJSON_AddNumberToObject(st, sp->arg, c->steps[i].arg);
    cJSON_AddItemToArray(gc, st);
  }
  return o;
}

char *gf_case_to_line(const gf_case *c) {
  cJSON *o = gf_case_to_json(c);
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return s;
}

int gf_case_equal(const gf_case *a, const gf_case *b) {
  if (strcmp(a->id, b->id) || strcmp(a->entry, b->entry) || a->nsteps != b->nsteps ||
      memcmp(a->f, b->f, sizeof a->f))
    return 0;
  for (uint32_t i = 0; i < a->nsteps; i++)
    if (a->steps[i].op != b->steps[i].op || a->steps[i].arg != b->steps[i].arg) return 0;
  return 1;
}

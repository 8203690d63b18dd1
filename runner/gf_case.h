/* gf_case.h - the case format: one stress case for the harness.
 *
 * The fields, steps and ranges come from harness/case-schema.json, which the
 * harness library reads too (doc/case-format.md); gf_case_schema.h is
 * generated from it at build time. Both validators are also tested against
 * tests/fixtures/cases/. A case on the wire is one line of JSON with every
 * field explicit, so the harness's defaults never matter to the runner.
 */
#ifndef GF_CASE_H
#define GF_CASE_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "gf_err.h"

#include "gf_case_schema.h"

#define GF_ID_MAX 64
#define GF_ENTRY_MAX 32

/* One integer field of a case: its name, range, default, and the smallest
 * value the minimizer tries. GF_F_* index them (gf_case_schema.h). */
typedef struct gf_field_spec {
  const char *name;
  uint32_t lo, hi, dflt, min;
} gf_field_spec;

extern const gf_field_spec gf_case_fields[GF_F__COUNT];

/* One GC-schedule op and its single argument (integer range, or an enum when
 * names != NULL, stored as the name's index). GF_OP_* index them. */
typedef struct gf_step_spec {
  const char *op;
  const char *arg;
  uint32_t lo, hi, dflt;
  const char *const *names;
} gf_step_spec;

/* Array ops: the harness holds each call's array and edits it. */
#define GF_OP_IS_ARRAY(op) ((GF_OP_ARRAY_MASK >> (op)) & 1u)
extern const gf_step_spec gf_step_specs[GF_OP__COUNT];

typedef struct gf_step {
  uint8_t op;
  uint32_t arg;
} gf_step;

typedef struct gf_case {
  char id[GF_ID_MAX];
  char entry[GF_ENTRY_MAX];
  uint32_t f[GF_F__COUNT]; /* indexed by GF_F_* */
  uint32_t nsteps;
  gf_step steps[GF_CASE_MAX_STEPS];
} gf_case;

void gf_case_default(gf_case *c);

/* Validates and fills c (defaults for absent fields). On failure err names
 * the field: "elems: must be an integer in [0, 100000], got -1". */
int gf_case_from_json(gf_case *c, const cJSON *obj, gf_err *err);
int gf_case_parse(gf_case *c, const char *text, gf_err *err);

cJSON *gf_case_to_json(const gf_case *c);
/* One line of JSON, malloc'd, without the newline. */
char *gf_case_to_line(const gf_case *c);

uint64_t gf_case_total_doubles(const gf_case *c);
int gf_case_equal(const gf_case *a, const gf_case *b);

#endif

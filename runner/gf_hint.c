/* gf_hint.c - see gf_hint.h. */
#include "gf_hint.h"

#include <string.h>

#include "gf_bugs.h"
#include "gf_json.h"

int gf_case_reuses_inputs(const gf_case *c) {
  return (c->f[GF_F_DUPS] > 0 && c->f[GF_F_ELEMS] > 1) ||
         (c->f[GF_F_SHARED] > 0 && c->f[GF_F_CONCURRENCY] > 1);
}

void gf_hint_count(cJSON *record, gf_kind kind, const gf_case *c) {
  if (kind != GF_KIND_EXCEPTION) return;
  cJSON *reuse = cJSON_GetObjectItemCaseSensitive(record, "reuse");
  if (!cJSON_IsObject(reuse)) {
    reuse = cJSON_CreateObject();
    gf_json_set(record, "reuse", reuse);
  }
  int reused = gf_case_reuses_inputs(c);
  double with = gf_json_count(reuse, "with") + reused;
  double without = gf_json_count(reuse, "without") + !reused;
  gf_json_set(reuse, "with", cJSON_CreateNumber(with));
  gf_json_set(reuse, "without", cJSON_CreateNumber(without));
  if (with > 0 && without == 0)
    gf_json_set(record, "distinct_hint", cJSON_CreateTrue());
  else
    cJSON_DeleteItemFromObjectCaseSensitive(record, "distinct_hint");
}

int gf_hint_distinct(const cJSON *record) {
  return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(record, "distinct_hint"));
}

void gf_hint_new_bucket(const gf_bucket *b, FILE *out) {
  if (gf_bug_unmatched_frames(b))
    fprintf(out, "gcfuzz:   no frame of it matched target_frames: the bucket has no location "
                 "(name the addon's module or source directory, e.g. \"../src/\")\n");
  if (b->facts.distinct_hint) fprintf(out, "gcfuzz:   " GF_DISTINCT_HINT "\n");
}

void gf_hint_runtime(const char *runtime, int no_gc_entries, FILE *out) {
  if (no_gc_entries)
    fprintf(out, "gcfuzz: the workers' runtime (%s) gives no GC performance entries: the window "
                 "counters of GCs read 0, and search feedback sees no GC features "
                 "(doc/addon.md, \"Other runtimes\")\n", runtime[0] ? runtime : "?");
}

void gf_hint_no_worker(const char *why, FILE *out) {
  static int said;
  if (said++) return;
  fprintf(out, "gcfuzz: %s: its teardown cases are not run (limits.max_teardown 0 stops sending "
               "them; doc/case-format.md, \"Environment teardown\")\n",
          why[0] ? why : "the target cannot run in a worker_threads Worker");
}

/* gf_index.c - see gf_index.h. */
#include "gf_index.h"

#include <stdlib.h>
#include <string.h>

#include "gf_bugs.h"
#include "gf_classify.h"
#include "gf_fs.h"
#include "gf_json.h"
#include "gf_store.h"

uint64_t gf_link_fp(const cJSON *item) {
  if (item == NULL) return 0;
  char *text = cJSON_PrintUnformatted(item);
  uint64_t fp = text ? gf_fnv1a64(text) : 1; /* out of memory: never equal to a real one */
  free(text);
  return fp;
}

static const cJSON *field(const cJSON *r, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(r, key);
}

static void frame_facts(gf_facts *f, const cJSON *frames) {
  const cJSON *fr;
  f->frames = cJSON_GetArraySize(frames) > 0;
  cJSON_ArrayForEach(fr, frames)
    if (cJSON_IsTrue(field(fr, "target"))) f->target_frame = 1;
}

static void link_facts(gf_facts *f, const cJSON *r) {
  const cJSON *link = field(r, "same_bug_as");
  const cJSON *hash = field(link, "hash");
  if (cJSON_IsString(hash)) gf_strlcpy(f->root, hash->valuestring, sizeof f->root);
  f->same_bug_as_fp = gf_link_fp(link);
  f->manifestations_fp = gf_link_fp(field(r, "manifestations"));
}

void gf_facts_of(gf_facts *f, const cJSON *r) {
  memset(f, 0, sizeof *f);
  const cJSON *fresh = field(r, "reproducibility");
  const cJSON *control = field(r, "control"), *patience = field(r, "patience");
  const cJSON *build = field(r, "addon_build");
  f->score = gf_record_score(r);
  f->confirmed = gf_json_count(fresh, "runs") > 0;
  f->reproduced = gf_json_count(fresh, "reproduced") > 0;
  f->has_control = control != NULL;
  f->control_runs = gf_json_count(control, "runs");
  f->control_failed = gf_json_count(control, "failed");
  f->has_patience = patience != NULL;
  f->patience.timeout_ms = gf_json_count(patience, "timeout_ms");
  f->patience.finished = gf_json_count(patience, "finished");
  f->patience.hangs = gf_json_count(patience, "hangs");
  f->patience.of = gf_json_count(patience, "of");
  f->slow = gf_patience_slow(patience);
  f->build = gf_fnv1a64(cJSON_IsString(build) ? build->valuestring : "");
  double tries = gf_json_count(r, "case_tries"); /* 0 to 3 in a checked record */
  f->case_tries = tries > 255 ? 255 : (uint8_t)tries;
  f->probes_pending = cJSON_IsTrue(field(r, "probes_pending"));
  f->minimized = field(r, "minimized_case") != NULL;
  f->minimize_failed = field(r, "minimize_failed") != NULL;
  f->distinct_hint = cJSON_IsTrue(field(r, "distinct_hint"));
  frame_facts(f, field(r, "frames"));
  link_facts(f, r);
}

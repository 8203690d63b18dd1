/* gf_bugs.c - see gf_bugs.h. */
#include "gf_bugs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_json.h"

/* Every verdict here reads the bucket's facts (gf_index.h), never its
 * record: a writer keeps its records on disk. */
static int has_target_frame(const gf_bucket *b) { return b->facts.target_frame; }

int gf_bug_unmatched_frames(const gf_bucket *b) {
  return b->facts.frames && !has_target_frame(b);
}

int gf_bug_frameless(const gf_bucket *b) {
  switch (b->kind) {
  case GF_KIND_MISMATCH:
  case GF_KIND_TIMEOUT: /* a freed length or delay read as garbage */
  case GF_KIND_OOM: return 1;
  case GF_KIND_SIGNAL:
  case GF_KIND_V8_FATAL:
  case GF_KIND_ASAN: return !has_target_frame(b);
  default: return 0;
  }
}

/* A memory error in the target's own code: what a frameless failure of
 * the same entry may be a manifestation of. */
static int located(const gf_bucket *b) {
  return (b->kind == GF_KIND_SIGNAL || b->kind == GF_KIND_ASAN) && has_target_frame(b);
}

/* The control ran the case with every input kept and it failed the same
 * way: not a lifetime bug. */
static int control_failed(const gf_bucket *b) { return b->facts.control_failed > 0; }

int gf_bug_needs_gc(const gf_bucket *b) {
  if (b->facts.control_runs <= 0) return -1;
  if (control_failed(b)) return 0;
  return b->facts.score > 0 ? 1 : -1; /* a clean control says nothing alone */
}

const char *gf_bug_needs_gc_name(const gf_bucket *b) {
  int v = gf_bug_needs_gc(b);
  return v > 0 ? "yes" : v == 0 ? "no" : "unknown";
}

void gf_bug_needs_gc_text(const gf_bucket *b, char *out, size_t cap) {
  if (b->facts.control_runs <= 0)
    snprintf(out, cap, "unknown");
  else
    snprintf(out, cap, "%s (kept: %.0f/%.0f failed)", gf_bug_needs_gc_name(b),
             b->facts.control_failed, b->facts.control_runs);
}

int gf_patience_slow(const cJSON *patience) {
  double hangs = gf_json_count(patience, "hangs"), of = gf_json_count(patience, "of");
  return gf_json_count(patience, "finished") > 0 && !(2 * hangs > of);
}

int gf_bug_slow(const gf_bucket *b) { return b->kind == GF_KIND_TIMEOUT && b->facts.slow; }

void gf_bug_hang_text(const gf_bucket *b, char *out, size_t cap) {
  char rate[96] = "";
  if (b->facts.patience.of > 0)
    snprintf(rate, sizeof rate, "it hung in %.0f of %.0f runs (fresh, warm and patience)",
             b->facts.patience.hangs, b->facts.patience.of);
  if (!b->facts.has_patience)
    snprintf(out, cap, "%s", "");
  else if (gf_bug_slow(b))
    snprintf(out, cap, GF_SLOW_CASE_LINE "%s%s", rate[0] ? "; " : "", rate);
  else if (b->facts.patience.finished > 0)
    snprintf(out, cap, "a hang, though a patience run finished: %s", rate);
  else
    snprintf(out, cap, "a hang: it ran past %.0f ms too%s%s", b->facts.patience.timeout_ms,
             rate[0] ? "; " : "", rate);
}

/* The one located bucket of b's entry and build, or NULL (none, or more
 * than one: which of them it is cannot be told). */
static const gf_bucket *unique_root(const gf_store *s, const gf_bucket *b) {
  const gf_bucket *root = NULL;
  for (size_t i = 0; i < s->n; i++) {
    const gf_bucket *r = &s->b[i];
    if (strcmp(r->entry, b->entry) != 0 || !located(r) || r->facts.build != b->facts.build)
      continue;
    if (root) return NULL;
    root = r;
  }
  return root;
}

static cJSON *link_json(const gf_bucket *b) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "hash", b->hash);
  cJSON_AddStringToObject(o, "signature", b->signature);
  return o;
}

/* Makes the record's key want (NULL: absent); consumes want. Returns 0
 * unchanged, 1 rewritten, -1 when the write failed. The record is read
 * back only when the fingerprint its facts keep differs from want's. */
static int set_link(gf_store *s, gf_bucket *b, const char *key, cJSON *want, gf_err *err) {
  uint64_t have_fp = strcmp(key, "same_bug_as") == 0 ? b->facts.same_bug_as_fp
                                                     : b->facts.manifestations_fp;
  if (have_fp == gf_link_fp(want)) { /* unchanged, as its facts say: nothing to read */
    cJSON_Delete(want);
    return 0;
  }
  cJSON *r = gf_store_record(s, b, err);
  const cJSON *have = cJSON_GetObjectItemCaseSensitive(r, key);
  if (r == NULL || (!have && !want) || (have && want && cJSON_Compare(have, want, 1))) {
    cJSON_Delete(want);
    return r == NULL ? -1 : 0;
  }
  if (want)
    gf_json_set(r, key, want);
  else
    cJSON_DeleteItemFromObjectCaseSensitive(r, key);
  return gf_store_rewrite(s, b, err) == 0 ? 1 : -1;
}

const char *gf_bug_root_hash(const gf_bucket *b) { return b->facts.root[0] ? b->facts.root : NULL; }

static int tally(int *changed, int rc) {
  if (rc < 0) return -1;
  *changed += rc;
  return 0;
}

int gf_bugs_link(gf_store *s, const char *entry, gf_err *err) {
  int changed = 0, failed = 0;
  for (size_t i = 0; i < s->n; i++) { /* each frameless bucket to its root */
    gf_bucket *b = &s->b[i];
    if (strcmp(b->entry, entry) != 0 || !gf_bug_frameless(b)) continue;
    const gf_bucket *root = control_failed(b) || gf_bug_slow(b) ? NULL : unique_root(s, b);
    failed |= tally(&changed, set_link(s, b, "same_bug_as", root ? link_json(root) : NULL, err));
  }
  for (size_t i = 0; i < s->n; i++) { /* and each root to what it was seen as */
    gf_bucket *r = &s->b[i];
    if (strcmp(r->entry, entry) != 0 || !located(r)) continue;
    cJSON *list = NULL;
    for (size_t j = 0; j < s->n; j++) {
      const char *root = gf_bug_root_hash(&s->b[j]);
      if (!root || strcmp(root, r->hash) != 0) continue;
      if (!list) list = cJSON_CreateArray();
      cJSON_AddItemToArray(list, link_json(&s->b[j]));
    }
    failed |= tally(&changed, set_link(s, r, "manifestations", list, err));
  }
  return failed ? -1 : changed;
}

static int by_entry(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int gf_bugs_link_all(gf_store *s, gf_err *err) {
  const char **entries = malloc((s->n ? s->n : 1) * sizeof *entries);
  if (entries == NULL) return gf_errf(err, "out of memory");
  for (size_t i = 0; i < s->n; i++) entries[i] = s->b[i].entry;
  qsort(entries, s->n, sizeof *entries, by_entry);
  int changed = 0, failed = 0;
  for (size_t i = 0; i < s->n; i++) {
    if (i > 0 && strcmp(entries[i], entries[i - 1]) == 0) continue;
    failed |= tally(&changed, gf_bugs_link(s, entries[i], err));
  }
  free(entries);
  return failed ? -1 : changed;
}

size_t gf_bugs_count(const gf_store *s) {
  size_t n = 0;
  for (size_t i = 0; i < s->n; i++) {
    const char *root = gf_bug_root_hash(&s->b[i]);
    n += !gf_bug_slow(&s->b[i]) && (root == NULL || gf_store_find((gf_store *)s, root) == NULL);
  }
  return n;
}

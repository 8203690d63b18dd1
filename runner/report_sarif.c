/* report_sarif.c - DIR/report.sarif: SARIF 2.1.0, one result per bucket, in
 * the shape GitHub code scanning accepts. Rules are the (kind, bug type)
 * pairs; the location is the top target frame with file:line, as a path
 * relative to the repository root (uriBaseId %SRCROOT%, given in
 * originalUriBaseIds); the access, free and allocation stacks go along;
 * automationDetails.id keeps runs of one job apart from other tools'. A
 * manifestation of a located bug points where that bug is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_bugs.h"
#include "gf_fs.h"
#include "gf_run.h"
#include "gf_sbuf.h"
#include "gf_srcroot.h"
#include "gf_version.h"

static void rule_id(const gf_bucket *b, char *out, size_t cap) {
  const cJSON *bt = cJSON_GetObjectItemCaseSensitive(b->record, "bug_type");
  snprintf(out, cap, "gcfuzz/%s/%s", gf_kind_name(b->kind),
           cJSON_IsString(bt) && bt->valuestring[0] ? bt->valuestring : "crash");
  for (char *p = out; *p; p++)
    if (*p == ' ' || *p == ':') *p = '-';
}

static int rule_index(cJSON *rules, const char *id) {
  int i = 0;
  const cJSON *r;
  cJSON_ArrayForEach(r, rules) {
    if (strcmp(cJSON_GetObjectItem(r, "id")->valuestring, id) == 0) return i;
    i++;
  }
  cJSON *rule = cJSON_CreateObject();
  cJSON_AddStringToObject(rule, "id", id);
  cJSON *desc = cJSON_AddObjectToObject(rule, "shortDescription");
  cJSON_AddStringToObject(desc, "text", id + strlen("gcfuzz/"));
  cJSON_AddItemToArray(rules, rule);
  return i;
}

static cJSON *logical(const char *func) {
  cJSON *logical = cJSON_CreateArray();
  cJSON *fn = cJSON_CreateObject();
  cJSON_AddStringToObject(fn, "name", func);
  cJSON_AddStringToObject(fn, "kind", "function");
  cJSON_AddItemToArray(logical, fn);
  return logical;
}

/* A location: the file and line when loc names one; a file of the
 * repository is relative to %SRCROOT%, another (node's, libc's) has no base. */
static cJSON *location(const gf_srcroot *src, const char *loc, const char *func) {
  char uri[PATH_MAX];
  int line = 0;
  cJSON *l = cJSON_CreateObject();
  int in_repo = gf_srcroot_resolve(src, loc, uri, sizeof uri, &line);
  if (in_repo >= 0) {
    cJSON *phys = cJSON_AddObjectToObject(l, "physicalLocation");
    cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
    cJSON_AddStringToObject(art, "uri", uri);
    if (in_repo) cJSON_AddStringToObject(art, "uriBaseId", "%SRCROOT%");
    if (line > 0) cJSON_AddNumberToObject(cJSON_AddObjectToObject(phys, "region"), "startLine", line);
  }
  cJSON_AddItemToObject(l, "logicalLocations", logical(func));
  return l;
}

/* One stack of a record (frames, free_frames, alloc_frames) as a SARIF stack. */
static void add_stack(cJSON *stacks, const gf_srcroot *src, const gf_bucket *b, const char *key,
                      const char *what) {
  const cJSON *frames = cJSON_GetObjectItemCaseSensitive(b->record, key), *fr;
  if (!cJSON_IsArray(frames) || cJSON_GetArraySize(frames) == 0) return;
  cJSON *st = cJSON_CreateObject();
  cJSON_AddStringToObject(cJSON_AddObjectToObject(st, "message"), "text", what);
  cJSON *out = cJSON_AddArrayToObject(st, "frames");
  cJSON_ArrayForEach(fr, frames) {
    const cJSON *fn = cJSON_GetObjectItemCaseSensitive(fr, "function");
    const cJSON *loc = cJSON_GetObjectItemCaseSensitive(fr, "location");
    cJSON *f = cJSON_CreateObject();
    cJSON_AddItemToObject(f, "location", location(src, cJSON_IsString(loc) ? loc->valuestring : "",
                                                  cJSON_IsString(fn) ? fn->valuestring : "?"));
    cJSON_AddItemToArray(out, f);
  }
  cJSON_AddItemToArray(stacks, st);
}

/* The top target frame's function when it has no file:line (a release
 * build's native frame names a function and a module offset only). */
static int top_target_function(const gf_bucket *b, char *func, size_t cap) {
  const cJSON *fr;
  cJSON_ArrayForEach(fr, cJSON_GetObjectItemCaseSensitive(b->record, "frames")) {
    const cJSON *fn = cJSON_GetObjectItemCaseSensitive(fr, "function");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(fr, "target")) && cJSON_IsString(fn) &&
        fn->valuestring[0]) {
      gf_strlcpy(func, fn->valuestring, cap);
      return 1;
    }
  }
  return 0;
}

/* A bucket's result. A manifestation of a located bug (gf_bugs.h) - a
 * wrong result has no frames - is shown where that bug is: its root's
 * location and stacks. A slow case is a note, not an error. */
static cJSON *result(const gf_run *run, const gf_bucket *b, cJSON *rules, const gf_srcroot *src) {
  char id[160], rate[32], text[2400], func[128], note[640];
  gf_sbuf replay = {0};
  const char *root_hash = gf_bug_root_hash(b);
  const gf_bucket *root = root_hash ? gf_store_find((gf_store *)&run->store, root_hash) : NULL;
  const gf_bucket *at = root ? root : b;
  rule_id(b, id, sizeof id);
  gf_rec_rate(b, "reproducibility", rate, sizeof rate);
  cJSON *r = cJSON_CreateObject();
  cJSON_AddStringToObject(r, "ruleId", id);
  cJSON_AddNumberToObject(r, "ruleIndex", rule_index(rules, id));
  cJSON_AddStringToObject(r, "level", gf_bug_slow(b) ? "note" : "error");
  /* Portable: run from the output folder, whatever machine found it. */
  gf_sbuf_printf(&replay, "gcfuzz replay --runs auto ");
  gf_sbuf_printf(&replay, "crashes/%s.json", b->hash);
  gf_rec_note(b, note, sizeof note);
  snprintf(text, sizeof text, "%s%s (entry %s, seen %llu times, reproduced %s).%s%s%s%s%s%s Replay, in "
           "the output folder: %s", gf_bug_slow(b) ? "A slow case, not a hang: " : "",
           b->signature, b->entry, (unsigned long long)b->count, rate,
           note[0] ? " " : "", note, note[0] ? "." : "",
           root ? " The same bug as " : "", root ? root->signature : "",
           root ? " (its location and stacks)." : "", replay.p ? replay.p : "");
  gf_sbuf_free(&replay);
  cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "message"), "text", text);
  const char *loc = gf_rec_top_location(at, func, sizeof func);
  cJSON *locs = cJSON_AddArrayToObject(r, "locations");
  if (loc)
    cJSON_AddItemToArray(locs, location(src, loc, func));
  else if (top_target_function(at, func, sizeof func)) { /* a release build's native frame */
    cJSON *l = cJSON_CreateObject();
    cJSON_AddItemToObject(l, "logicalLocations", logical(func));
    cJSON_AddItemToArray(locs, l);
  }
  cJSON *stacks = cJSON_AddArrayToObject(r, "stacks");
  add_stack(stacks, src, at, "frames", "access");
  add_stack(stacks, src, at, "free_frames", "freed by");
  add_stack(stacks, src, at, "alloc_frames", "allocated by");
  cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "partialFingerprints"),
                          "gcfuzzSignature/v1", b->hash);
  cJSON *props = cJSON_AddObjectToObject(r, "properties");
  cJSON_AddStringToObject(props, "signature", b->signature);
  cJSON_AddNumberToObject(props, "count", (double)b->count);
  cJSON_AddStringToObject(props, "needs_gc", gf_bug_needs_gc_name(b));
  return r;
}

int gf_write_report_sarif(const gf_run *r, const char *path, gf_err *err) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  cJSON_AddStringToObject(root, "version", "2.1.0");
  cJSON *run = cJSON_CreateObject();
  cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run);
  cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
  cJSON_AddStringToObject(driver, "name", "gcfuzz");
  cJSON_AddStringToObject(driver, "version", GF_VERSION);
  cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
  gf_srcroot src;
  gf_srcroot_init(&src, r->source_root);
  cJSON *base = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "originalUriBaseIds"), "%SRCROOT%");
  if (src.root[0]) {
    gf_sbuf uri = {0};
    gf_sbuf_printf(&uri, "file://");
    gf_sbuf_uri_path(&uri, src.root);
    gf_sbuf_printf(&uri, "/");
    cJSON_AddStringToObject(base, "uri", uri.p ? uri.p : "");
    gf_sbuf_free(&uri);
  }
  cJSON_AddStringToObject(cJSON_AddObjectToObject(base, "description"), "text",
                          "the repository root (report --source-root)");
  char category[160];
  snprintf(category, sizeof category, "gcfuzz/%s/", r->category ? r->category : "soak");
  cJSON_AddStringToObject(cJSON_AddObjectToObject(run, "automationDetails"), "id", category);
  cJSON *results = cJSON_AddArrayToObject(run, "results");
  for (size_t i = 0; i < r->store.n; i++)
    cJSON_AddItemToArray(results, result(r, r->order[i], rules, &src));
  gf_srcroot_free(&src);
  char *text = cJSON_Print(root);
  cJSON_Delete(root);
  int rc = text ? gf_write_atomic(path, text, strlen(text), err) : gf_errf(err, "out of memory");
  free(text);
  return rc;
}

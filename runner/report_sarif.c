/* report_sarif.c - DIR/report.sarif: SARIF 2.1.0, one result per bucket, so
 * code-scanning tools can ingest a run. Rules are the (kind, bug type)
 * pairs; the location is the top target frame when it has file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_fs.h"
#include "gf_run.h"

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

/* "../src/core.c:82:35" -> uri "src/core.c", line 82. */
static cJSON *location(const char *loc, const char *func) {
  char uri[256];
  while (strncmp(loc, "../", 3) == 0) loc += 3;
  gf_strlcpy(uri, loc, sizeof uri);
  char *colon = strchr(uri, ':');
  int line = colon ? atoi(colon + 1) : 0;
  if (colon) *colon = '\0';
  cJSON *l = cJSON_CreateObject();
  cJSON *phys = cJSON_AddObjectToObject(l, "physicalLocation");
  cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
  cJSON_AddStringToObject(art, "uri", uri);
  cJSON_AddStringToObject(art, "uriBaseId", "ADDONROOT");
  if (line > 0) cJSON_AddNumberToObject(cJSON_AddObjectToObject(phys, "region"), "startLine", line);
  cJSON *logical = cJSON_AddArrayToObject(l, "logicalLocations");
  cJSON *fn = cJSON_CreateObject();
  cJSON_AddStringToObject(fn, "name", func);
  cJSON_AddStringToObject(fn, "kind", "function");
  cJSON_AddItemToArray(logical, fn);
  return l;
}

static cJSON *result(const gf_bucket *b, cJSON *rules) {
  char id[160], rate[32], text[1024], func[128];
  rule_id(b, id, sizeof id);
  gf_rec_rate(b, "reproducibility", rate, sizeof rate);
  cJSON *r = cJSON_CreateObject();
  cJSON_AddStringToObject(r, "ruleId", id);
  cJSON_AddNumberToObject(r, "ruleIndex", rule_index(rules, id));
  cJSON_AddStringToObject(r, "level", "error");
  snprintf(text, sizeof text, "%s (entry %s, seen %llu times, reproduced %s). Replay: %s",
           b->signature, b->entry, (unsigned long long)b->count, rate, gf_rec_str(b, "replay"));
  cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "message"), "text", text);
  const char *loc = gf_rec_top_location(b, func, sizeof func);
  cJSON *locs = cJSON_AddArrayToObject(r, "locations");
  if (loc) cJSON_AddItemToArray(locs, location(loc, func));
  cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "partialFingerprints"),
                          "gcfuzzSignature/v1", b->hash);
  cJSON *props = cJSON_AddObjectToObject(r, "properties");
  cJSON_AddStringToObject(props, "signature", b->signature);
  cJSON_AddNumberToObject(props, "count", (double)b->count);
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
  cJSON_AddStringToObject(driver, "version", "0.1.0");
  cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
  cJSON *results = cJSON_AddArrayToObject(run, "results");
  for (size_t i = 0; i < r->store.n; i++) cJSON_AddItemToArray(results, result(r->order[i], rules));
  char *text = cJSON_Print(root);
  cJSON_Delete(root);
  int rc = text ? gf_write_atomic(path, text, strlen(text), err) : gf_errf(err, "out of memory");
  free(text);
  return rc;
}

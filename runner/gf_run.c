/* gf_run.c - see gf_run.h. */
#include "gf_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gf_fs.h"

static int by_count_desc(const void *a, const void *b) {
  const gf_bucket *x = *(const gf_bucket *const *)a, *y = *(const gf_bucket *const *)b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->hash, y->hash);
}

static double iso_seconds(const char *s) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  if (s == NULL || strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL) return -1;
  return (double)timegm(&tm);
}

/* stats.jsonl: one sample per line; a torn last line (kill -9) is skipped. */
/* A stats field, 0 when absent or not a number (older lines, junk). */
static double number_or_zero(const cJSON *j, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void load_history(gf_run *r) {
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/stats.jsonl", r->dir);
  char *text = gf_read_file(path, 256 << 20, NULL, NULL);
  if (text == NULL) return;
  size_t cap = 256;
  double t0 = -1;
  r->hist = malloc(cap * sizeof *r->hist);
  for (char *line = strtok(text, "\n"); line && r->hist; line = strtok(NULL, "\n")) {
    cJSON *j = cJSON_Parse(line);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "time");
    double secs = iso_seconds(cJSON_IsString(t) ? t->valuestring : NULL);
    if (j && secs >= 0) {
      if (t0 < 0) t0 = secs;
      if (r->nhist == cap) r->hist = realloc(r->hist, (cap *= 2) * sizeof *r->hist);
      gf_sample *s = &r->hist[r->nhist++];
      s->t = secs - t0;
      s->execs_per_s = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "execs_per_s"));
      s->crashes = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "crashes"));
      s->execs = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "execs"));
      s->corpus = number_or_zero(j, "corpus");
      s->features = number_or_zero(j, "features"); /* absent before search feedback */
      r->execs = s->execs;
      r->uptime_s = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "uptime_s"));
    }
    cJSON_Delete(j);
  }
  free(text);
}

int gf_run_load(gf_run *r, const char *dir, gf_err *err) {
  memset(r, 0, sizeof *r);
  gf_strlcpy(r->dir, dir, sizeof r->dir);
  if (!gf_is_dir(dir)) return gf_errf(err, "%s: not a directory", dir);
  if (gf_store_open(&r->store, dir, GF_STORE_READ, err) != 0) return -1;
  r->order = calloc(r->store.n + 1, sizeof *r->order);
  if (r->order == NULL) return gf_errf(err, "out of memory");
  for (size_t i = 0; i < r->store.n; i++) r->order[i] = &r->store.b[i];
  qsort(r->order, r->store.n, sizeof *r->order, by_count_desc);
  load_history(r);
  return 0;
}

void gf_run_free(gf_run *r) {
  gf_store_close(&r->store);
  free(r->order);
  free(r->hist);
}

const char *gf_rec_str(const gf_bucket *b, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(b->record, key);
  return cJSON_IsString(v) ? v->valuestring : "";
}

void gf_rec_rate(const gf_bucket *b, const char *key, char *out, size_t cap) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(b->record, key);
  const cJSON *runs = cJSON_GetObjectItemCaseSensitive(v, "runs");
  const cJSON *rep = cJSON_GetObjectItemCaseSensitive(v, "reproduced");
  if (cJSON_IsNumber(runs) && cJSON_IsNumber(rep) && runs->valueint > 0)
    snprintf(out, cap, "%d/%d", rep->valueint, runs->valueint);
  else
    gf_strlcpy(out, "-", cap);
}

const char *gf_rec_top_location(const gf_bucket *b, char *func, size_t cap) {
  const cJSON *frames = cJSON_GetObjectItemCaseSensitive(b->record, "frames"), *fr;
  cJSON_ArrayForEach(fr, frames) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(fr, "target");
    const cJSON *loc = cJSON_GetObjectItemCaseSensitive(fr, "location");
    const cJSON *fn = cJSON_GetObjectItemCaseSensitive(fr, "function");
    if (cJSON_IsTrue(t) && cJSON_IsString(loc) && strchr(loc->valuestring, ':')) {
      gf_strlcpy(func, cJSON_IsString(fn) ? fn->valuestring : "", cap);
      return loc->valuestring;
    }
  }
  return NULL;
}

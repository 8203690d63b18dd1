/* gf_run.c - see gf_run.h. */
#include "gf_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_fs.h"
#include "gf_hint.h"
#include "gf_json.h"

static int by_count_desc(const void *a, const void *b) {
  const gf_bucket *x = *(const gf_bucket *const *)a, *y = *(const gf_bucket *const *)b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->hash, y->hash);
}

/* A stats field, 0 when absent or not a number (older lines, junk). */
static double number_or_zero(const cJSON *j, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
  return cJSON_IsNumber(v) && v->valuedouble >= 0 ? v->valuedouble : 0;
}

#define GF_HIST_MAX 20000 /* samples kept for charts; older ones thinned */

/* The whole history of OUT, across resumes: counters that restarted at a
 * session (files of older versions) are continued from where the last
 * session left them, and the run time is the sum of the sessions'. */
typedef struct history {
  double t0, execs_base, crashes_base, run_base;
  double last_execs, last_crashes, last_uptime, last_sessions;
  size_t stride, skip; /* keep one sample in stride once thinned */
} history;

static void add_sample(gf_run *r, history *h, const cJSON *j) {
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "time");
  double secs = gf_iso_seconds(cJSON_IsString(t) ? t->valuestring : NULL);
  if (secs < 0) return;
  double execs = number_or_zero(j, "execs"), crashes = number_or_zero(j, "crashes");
  double up = number_or_zero(j, "uptime_s"), sessions = number_or_zero(j, "sessions");
  if (up < h->last_uptime || (sessions > 0 && sessions != h->last_sessions))
    h->run_base += h->last_uptime; /* a new session */
  h->last_sessions = sessions;
  if (execs < h->last_execs) h->execs_base += h->last_execs; /* its counters restarted */
  if (crashes < h->last_crashes) h->crashes_base += h->last_crashes;
  h->last_execs = execs;
  h->last_crashes = crashes;
  h->last_uptime = up;
  r->uptime_s = h->run_base + up; /* run_time_s may have started late (an upgraded OUT) */
  r->execs = h->execs_base + execs;
  if (h->t0 < 0) h->t0 = secs;
  if (h->skip++ % h->stride) return;
  if (r->nhist == GF_HIST_MAX) { /* thin: every other sample goes, the stride doubles */
    for (size_t i = 0; i < GF_HIST_MAX / 2; i++) r->hist[i] = r->hist[2 * i];
    r->nhist = GF_HIST_MAX / 2;
    h->stride *= 2;
  }
  gf_sample *s = &r->hist[r->nhist++];
  s->t = secs - h->t0;
  s->execs_per_s = number_or_zero(j, "execs_per_s");
  s->crashes = h->crashes_base + crashes;
  s->execs = r->execs;
  s->corpus = number_or_zero(j, "corpus");
  s->features = number_or_zero(j, "features"); /* absent before search feedback */
}

/* stats.jsonl.1 (the rotated generation) then stats.jsonl, line by line
 * (no size limit); a torn last line (kill -9) or junk is skipped. */
static void load_history(gf_run *r) {
  r->hist = malloc(GF_HIST_MAX * sizeof *r->hist);
  if (r->hist == NULL) return;
  history h = {.t0 = -1, .stride = 1};
  static const char *const names[] = {"stats.jsonl.1", "stats.jsonl"};
  for (int i = 0; i < 2; i++) {
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/%s", r->dir, names[i]);
    FILE *f = fopen(path, "re");
    if (f == NULL) continue;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
      cJSON *j = cJSON_Parse(line);
      if (cJSON_IsObject(j)) add_sample(r, &h, j);
      cJSON_Delete(j);
    }
    free(line);
    fclose(f);
  }
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

void gf_rec_note(const gf_bucket *b, char *out, size_t cap) {
  const cJSON *got = cJSON_GetObjectItemCaseSensitive(b->record, "result");
  const cJSON *call = cJSON_GetObjectItemCaseSensitive(b->record, "call");
  out[0] = '\0';
  if (gf_hint_distinct(b->record)) snprintf(out, cap, "%s", GF_DISTINCT_HINT);
  if (b->kind != GF_KIND_MISMATCH || !cJSON_IsString(got)) return;
  char which[32] = "a call";
  if (cJSON_IsNumber(call)) snprintf(which, sizeof which, "call %.0f", call->valuedouble);
  snprintf(out, cap, "%s: got %s, expected %s", which, got->valuestring, gf_rec_str(b, "expected"));
}

void gf_rec_status(const gf_bucket *b, char *out, size_t cap) {
  const cJSON *lr = cJSON_GetObjectItemCaseSensitive(b->record, "last_replay");
  const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(lr, "status"));
  if (!st) {
    gf_strlcpy(out, "open (not replayed)", cap);
    return;
  }
  const char *word = strcmp(st, "reproduced") == 0 ? "open" : st;
  const char *build = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(lr, "build"));
  const char *node = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(lr, "node_version"));
  const char *time = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(lr, "time"));
  const char *slash = build ? strrchr(build, '/') : NULL; /* a path: its last part */
  snprintf(out, cap, "%s (%.0f/%.0f on %s, Node %s, %.10s)", word,
           gf_json_count(lr, "reproduced"), gf_json_count(lr, "runs"),
           slash ? slash + 1 : build ? build : "?", node && node[0] ? node : "?", time ? time : "?");
}

void gf_rec_replay_cmd(const gf_bucket *b, char *out, size_t cap) {
  snprintf(out, cap, "gcfuzz replay --config CONFIG --runs auto crashes/%s.json", b->hash);
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

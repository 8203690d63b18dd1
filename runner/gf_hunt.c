/* gf_hunt.c - see gf_hunt.h. */
#include "gf_hunt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_err.h"
#include "gf_fs.h"
#include "gf_json.h"
#include "gf_phase.h"
#include "gf_text.h"

typedef struct pkg_run {
  const gf_hunt_opts *o;
  const char *spec;
  char work[PATH_MAX];
  cJSON *seconds; /* phase -> seconds */
  int *stop;
} pkg_run;

cJSON *gf_hunt_read_json(const char *path, int *exists) {
  gf_err err = {{0}};
  char *text = gf_read_file(path, 64 << 20, NULL, &err);
  if (exists) *exists = text != NULL;
  cJSON *j = text ? cJSON_Parse(text) : NULL;
  free(text);
  return j;
}

/* FNV-1a: a short, stable tag for a path spec. */
static uint32_t fnv1a(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

void gf_hunt_slug(const char *spec, char *out, size_t cap) {
  int is_path = spec[0] == '/' || spec[0] == '.' || strstr(spec, ".tgz") != NULL;
  const char *base = spec;
  if (is_path) {
    const char *slash = strrchr(spec, '/');
    base = slash && slash[1] ? slash + 1 : spec;
  }
  size_t n = 0;
  for (const char *p = base; *p && n + 1 < cap && n < 80; p++) {
    unsigned char c = (unsigned char)*p;
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             strchr("._@-+", c) != NULL;
    out[n++] = c == '/' ? '+' : ok ? (char)c : '_';
  }
  out[n] = '\0';
  if (n == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0 || out[0] == '.') {
    out[0] = 'p';
    if (n == 0) out[n = 1] = '\0';
  }
  if (is_path && n + 10 < cap) snprintf(out + n, cap - n, "-%08x", fnv1a(spec));
}

/* The "error" of DIR/<phase>.json, made one safe paragraph; else "". */
static void phase_error(const pkg_run *pr, const char *phase, char *out, size_t cap) {
  char path[PATH_MAX + 64];
  out[0] = '\0';
  snprintf(path, sizeof path, "%s/%s.json", pr->work, phase);
  cJSON *j = gf_hunt_read_json(path, NULL);
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
  if (cJSON_IsString(e)) gf_strlcpy(out, e->valuestring, cap);
  gf_text_sanitize(out, strlen(out));
  cJSON_Delete(j);
}

/* One phase; 0 when it succeeded, else its reason in why. */
static int run_step(pkg_run *pr, const char *phase, char *const *argv, double max_s,
                    char *why, size_t cap) {
  char log[PATH_MAX + 64];
  gf_phase_result r;
  gf_err err = {{0}};
  snprintf(log, sizeof log, "%s/%s.log", pr->work, phase);
  fprintf(stderr, "gcfuzz hunt: %s: %s\n", pr->spec, phase);
  if (gf_phase_run(argv, log, max_s, 15, &r, &err) != 0) {
    snprintf(why, cap, "%s", err.msg);
    return -1;
  }
  cJSON_AddNumberToObject(pr->seconds, phase, (double)(long)(r.seconds * 10) / 10);
  if (r.interrupted) *pr->stop = 1;
  if (r.timed_out) {
    snprintf(why, cap, "%s: timed out after %.0f s", phase, max_s);
    return -1;
  }
  if (r.exit_status == 0) return 0;
  /* gcfuzz ci: 1 means it found something, which is a result */
  if (strcmp(phase, "fuzz") == 0 && r.exit_status == 1) return 0;
  phase_error(pr, phase, why, cap);
  if (!why[0] && r.term_signal)
    snprintf(why, cap, "%s: killed by signal %d (see %s.log)", phase, r.term_signal, phase);
  else if (!why[0])
    snprintf(why, cap, "%s: exit %d (see %s.log)", phase, r.exit_status, phase);
  return -1;
}

static int node_phase(pkg_run *pr, const char *phase, double max_s, char *why, size_t cap) {
  char script[PATH_MAX + 32];
  snprintf(script, sizeof script, "%s/harness/hunt/phase.js", pr->o->root);
  char runs[16];
  char *argv[12] = {(char *)pr->o->node, "--expose-gc", script, (char *)phase, "--work", pr->work};
  int n = 6;
  if (strcmp(phase, "discover") == 0) {
    snprintf(runs, sizeof runs, "%u", pr->o->confirm_runs);
    argv[n++] = "--confirm-runs";
    argv[n++] = runs;
  }
  if (strcmp(phase, "fetch") == 0) {
    argv[n++] = "--spec";
    argv[n++] = (char *)pr->spec;
  }
  if (strcmp(phase, "build") == 0) {
    argv[n++] = "--cache";
    argv[n++] = (char *)pr->o->cache;
  }
  argv[n] = NULL;
  return run_step(pr, phase, argv, max_s, why, cap);
}

static int fuzz_phase(pkg_run *pr, char *why, size_t cap) {
  char cfg[PATH_MAX + 16], out[PATH_MAX + 16], t[32], w[32], seed[32];
  snprintf(cfg, sizeof cfg, "%s/config.json", pr->work);
  snprintf(out, sizeof out, "%s/out", pr->work);
  snprintf(t, sizeof t, "%.0f", pr->o->fuzz_s);
  snprintf(w, sizeof w, "%u", pr->o->workers);
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)pr->o->seed);
  char *argv[] = {(char *)pr->o->exe, "ci", "--config", cfg, "--out", out, "--max-time", t,
                  "--seed", seed, "--workers", w, "--status-every", "0", NULL};
  if (run_step(pr, "fuzz", argv, pr->o->fuzz_s + GF_HUNT_FUZZ_SLACK, why, cap) != 0) return -1;
  char *rep[] = {(char *)pr->o->exe, "report", out, NULL};
  char ignored[256];
  run_step(pr, "report", rep, GF_HUNT_SMALL_S, ignored, sizeof ignored);
  return 0;
}

static cJSON *read_row(const pkg_run *pr) {
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/summarize.json", pr->work);
  cJSON *row = gf_hunt_read_json(path, NULL);
  if (!cJSON_IsObject(row)) {
    cJSON_Delete(row);
    row = cJSON_CreateObject();
  }
  return row;
}

cJSON *gf_hunt_package(const gf_hunt_opts *o, const char *spec, int *stop) {
  pkg_run pr = {.o = o, .spec = spec, .seconds = cJSON_CreateObject(), .stop = stop};
  char slug[160], why[1024] = "", failed[16] = "";
  gf_err err = {{0}};
  gf_hunt_slug(spec, slug, sizeof slug);
  snprintf(pr.work, sizeof pr.work, "%s/pkgs/%s", o->out, slug);
  if (gf_mkdirs(pr.work, &err) != 0) snprintf(why, sizeof why, "%s", err.msg);
  static const char *const steps[] = {"fetch", "build", "discover"};
  static const double caps[] = {GF_HUNT_FETCH_S, GF_HUNT_BUILD_S, GF_HUNT_DISCOVER_S};
  for (int i = 0; i < 3 && !why[0] && !*stop; i++)
    if (node_phase(&pr, steps[i], caps[i], why, sizeof why) != 0) gf_strlcpy(failed, steps[i], sizeof failed);
  if (!why[0] && !*stop && fuzz_phase(&pr, why, sizeof why) != 0) gf_strlcpy(failed, "fuzz", sizeof failed);
  char ignored[256];
  node_phase(&pr, "summarize", GF_HUNT_SMALL_S, ignored, sizeof ignored);
  cJSON *row = read_row(&pr);
  gf_json_set(row, "spec", cJSON_CreateString(spec));
  char rel[200];
  snprintf(rel, sizeof rel, "pkgs/%s", slug);
  gf_json_set(row, "dir", cJSON_CreateString(rel));
  gf_json_set(row, "status", cJSON_CreateString(*stop ? "interrupted" : why[0] ? "failed" : "done"));
  if (why[0]) {
    gf_json_set(row, "failed_phase", cJSON_CreateString(failed));
    gf_json_set(row, "reason", cJSON_CreateString(why));
  }
  gf_json_set(row, "seconds", pr.seconds);
  return row;
}

/* gf_cmin.c - see gf_cmin.h. */
#include "gf_cmin.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gf_corpus.h"
#include "gf_feedback.h"
#include "gf_fs.h"

typedef struct cmin_case {
  uint64_t cost; /* what a run of it roughly costs: inputs, size, steps */
  uint32_t ids[GF_FEATURES_PER_CASE];
  int n;    /* features; -1: none recorded */
  int keep;
} cmin_case;

static uint64_t case_cost(const gf_case *c) {
  return ((uint64_t)c->f[GF_F_ELEMS] * c->f[GF_F_CONCURRENCY] + 1) * (c->f[GF_F_ELEM_LEN] + 1) +
         (uint64_t)c->nsteps * 64 + c->f[GF_F_DELAY_US] / 16;
}

static void load_case(const char *dir, const char *name, cmin_case *cc, FILE *log) {
  char path[PATH_MAX + 300];
  gf_case c;
  gf_err e = {{0}};
  snprintf(path, sizeof path, "%s/%s", dir, name);
  cc->n = -1;
  if (gf_case_load_file(&c, path, NULL, &e) != 0) {
    fprintf(log, "gcfuzz cmin: keeping %s as is: %s\n", name, e.msg);
    return;
  }
  cc->cost = case_cost(&c);
  snprintf(path + strlen(path) - 5, 6, ".feat"); /* name.json -> name.feat */
  cc->n = gf_feedback_read_ids(path, cc->ids, GF_FEATURES_PER_CASE, &e);
  if (cc->n < 0) fprintf(log, "gcfuzz cmin: keeping %s: no features recorded (%s)\n", name, e.msg);
}

/* Moves name.json and name.feat from dir to gone. */
static int move_aside(const char *dir, const char *gone, const char *name, gf_err *err) {
  char from[PATH_MAX + 300], to[PATH_MAX + 300];
  for (int k = 0; k < 2; k++) {
    snprintf(from, sizeof from, "%s/%s", dir, name);
    snprintf(to, sizeof to, "%s/%s", gone, name);
    if (k) {
      strcpy(from + strlen(from) - 5, ".feat");
      strcpy(to + strlen(to) - 5, ".feat");
    }
    if (rename(from, to) != 0 && !(k && errno == ENOENT))
      return gf_errf(err, "cannot move %s to %s: %s", from, to, strerror(errno));
  }
  return 0;
}

int gf_cmin(const char *out_dir, gf_cmin_result *res, FILE *log, gf_err *err) {
  char dir[PATH_MAX + 32], gone[PATH_MAX + 48], **names;
  memset(res, 0, sizeof *res);
  snprintf(dir, sizeof dir, "%s/corpus/feedback", out_dir);
  snprintf(gone, sizeof gone, "%s/corpus/feedback.removed", out_dir);
  int n = gf_list_dir(dir, ".json", &names, err);
  if (n < 0) return -1;
  cmin_case *cs = calloc((size_t)n + 1, sizeof *cs);
  int32_t *best = malloc(GF_FEATURE_MAP * sizeof *best);
  int rc = 0;
  if (cs == NULL || best == NULL) rc = gf_errf(err, "out of memory");
  for (uint32_t f = 0; rc == 0 && f < GF_FEATURE_MAP; f++) best[f] = -1;
  /* Names are sorted: among equal costs the first name wins, every time. */
  for (int i = 0; rc == 0 && i < n; i++) {
    load_case(dir, names[i], &cs[i], log);
    if (cs[i].n < 0) cs[i].keep = 1, res->unknown++;
    for (int j = 0; j < cs[i].n; j++) {
      int32_t *b = &best[cs[i].ids[j]];
      if (*b < 0) res->features++;
      if (*b < 0 || cs[i].cost < cs[*b].cost) *b = i;
    }
  }
  for (uint32_t f = 0; rc == 0 && f < GF_FEATURE_MAP; f++)
    if (best[f] >= 0) cs[best[f]].keep = 1;
  for (int i = 0; rc == 0 && i < n; i++) {
    res->cases++;
    if (cs[i].keep) {
      res->kept++;
    } else if ((rc = gf_mkdirs(gone, err)) == 0 && (rc = move_aside(dir, gone, names[i], err)) == 0) {
      res->removed++;
    }
  }
  free(cs);
  free(best);
  gf_free_names(names, n);
  return rc;
}

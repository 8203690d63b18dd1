/* gf_sync.c - see gf_sync.h. */
#include "gf_sync.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gf_fs.h"

void gf_sync_init(gf_sync *s) { memset(s, 0, sizeof *s); }

void gf_sync_free(gf_sync *s) {
  for (size_t i = 0; i < s->n; i++) free(s->seen[i]);
  free(s->seen);
  memset(s, 0, sizeof *s);
}

/* Whether path was seen; if not, remembers it (sorted). -1 out of memory. */
static int seen_before(gf_sync *s, const char *path) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(s->seen[mid], path);
    if (c == 0) return 1;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    char **v = realloc(s->seen, cap * sizeof *v);
    if (v == NULL) return -1;
    s->seen = v;
    s->cap = cap;
  }
  char *copy = strdup(path);
  if (copy == NULL) return -1;
  memmove(&s->seen[lo + 1], &s->seen[lo], (s->n - lo) * sizeof *s->seen);
  s->seen[lo] = copy;
  s->n++;
  return 0;
}

/* The new cases of one corpus directory. */
static unsigned pass_dir(gf_sync *s, const gf_config *cfg, const char *dir, gf_corpus *corpus,
                         FILE *log) {
  char **names;
  gf_err err = {{0}};
  int n = gf_list_dir(dir, ".json", &names, &err);
  unsigned joined = 0;
  /* limits.max_corpus bounds what joins (a peer's flood of 100 000 cases
   * took the corpus past a cap of 500): past it, nothing more is read. */
  for (int i = 0; i < n && corpus->n < cfg->limits.max_corpus; i++) {
    char path[PATH_MAX + 256];
    gf_case c;
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (seen_before(s, path) != 0) continue;
    if (gf_case_load_file(&c, path, NULL, &err) != 0 || !gf_config_has_entry(cfg, c.entry)) {
      if (log) fprintf(log, "gcfuzz: sync: skipping %s: %s\n", path,
                       err.msg[0] ? err.msg : "an entry this config does not run");
      err.msg[0] = '\0';
      s->rejected++;
      continue;
    }
    gf_config_clamp_case(cfg, &c);
    if (gf_corpus_add(corpus, &c, cfg->feedback_weight, 0) == 0) joined++;
  }
  if (n > 0) gf_free_names(names, n);
  return joined;
}

unsigned gf_sync_pass(gf_sync *s, const gf_config *cfg, const char *out_dir, gf_corpus *corpus,
                      FILE *log) {
  char self[PATH_MAX], other[PATH_MAX];
  unsigned joined = 0;
  if (realpath(out_dir, self) == NULL) self[0] = '\0';
  for (int i = 0; i < cfg->n_sync_dirs; i++) {
    if (realpath(cfg->sync_dirs[i], other) == NULL || strcmp(other, self) == 0)
      continue; /* not there (yet), or this soak's own folder */
    char dir[PATH_MAX + 32];
    snprintf(dir, sizeof dir, "%s/corpus", other);
    joined += pass_dir(s, cfg, dir, corpus, log);
    snprintf(dir, sizeof dir, "%s/corpus/feedback", other);
    joined += pass_dir(s, cfg, dir, corpus, log);
  }
  s->imported += joined;
  return joined;
}

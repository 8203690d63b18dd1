/* gf_corpus.c - see gf_corpus.h. */
#include "gf_corpus.h"
#include "gf_json.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gf_fs.h"

void gf_corpus_init(gf_corpus *c) { memset(c, 0, sizeof *c); }

void gf_corpus_free(gf_corpus *c) {
  free(c->v);
  memset(c, 0, sizeof *c);
}

int gf_corpus_add(gf_corpus *c, const gf_case *cs, uint32_t weight, int from_crash) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 32;
    gf_corpus_item *v = realloc(c->v, cap * sizeof *v);
    if (v == NULL) return -1;
    c->v = v;
    c->cap = cap;
  }
  c->v[c->n++] = (gf_corpus_item){*cs, weight, from_crash};
  c->total_weight += weight;
  return 0;
}

int gf_case_load_file(gf_case *out, const char *path, cJSON **doc, gf_err *err) {
  if (doc) *doc = NULL;
  char *text = gf_read_file(path, 1 << 20, NULL, err);
  if (text == NULL) return -1;
  cJSON *j = gf_json_parse(text, err);
  free(text);
  if (j == NULL) return gf_err_prefix(err, "%s", path);
  /* A crash record carries its case under "case". */
  const cJSON *inner = cJSON_GetObjectItemCaseSensitive(j, "gcfuzz_record")
                           ? cJSON_GetObjectItemCaseSensitive(j, "case")
                           : j;
  int rc = gf_case_from_json(out, inner, err);
  if (rc == 0 && doc)
    *doc = j;
  else
    cJSON_Delete(j);
  return rc ? gf_err_prefix(err, "%s", path) : 0;
}

int gf_corpus_load_dir(gf_corpus *c, const char *dir, const gf_config *cfg, uint32_t weight,
                       int from_crash, FILE *log, gf_err *err) {
  char **names;
  int n = gf_list_dir(dir, ".json", &names, err);
  if (n < 0) return -1;
  int loaded = 0;
  for (int i = 0; i < n; i++) {
    char path[PATH_MAX + 256];
    gf_case cs;
    gf_err e = {{0}};
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (gf_case_load_file(&cs, path, NULL, &e) != 0) {
      fprintf(log, "gcfuzz: skipping %s\n", e.msg);
      continue;
    }
    if (!gf_config_has_entry(cfg, cs.entry)) {
      fprintf(log, "gcfuzz: skipping %s: entry: '%s' is not one of the config's entries\n",
              path, cs.entry);
      continue;
    }
    if (gf_config_clamp_case(cfg, &cs)) c->clamped++;
    if (gf_corpus_add(c, &cs, weight, from_crash) != 0) break;
    loaded++;
  }
  gf_free_names(names, n);
  return loaded;
}

int gf_corpus_keep(gf_corpus *c, const gf_case *cs, const char *dir, const char *name,
                   uint32_t weight, int from_crash, gf_err *err) {
  char path[PATH_MAX + 96];
  char *text = gf_case_to_line(cs);
  snprintf(path, sizeof path, "%s/%s.json", dir, name);
  int rc = text ? gf_write_atomic(path, text, strlen(text), err) : gf_errf(err, "out of memory");
  free(text);
  if (gf_corpus_add(c, cs, weight, from_crash) != 0 && rc == 0) rc = gf_errf(err, "out of memory");
  return rc;
}

const gf_case *gf_corpus_pick(const gf_corpus *c, gf_prng *p) {
  uint64_t r = gf_prng_below(p, c->total_weight);
  for (size_t i = 0; i < c->n; i++) {
    if (r < c->v[i].weight) return &c->v[i].c;
    r -= c->v[i].weight;
  }
  return &c->v[c->n - 1].c;
}

const gf_case *gf_corpus_pick_scheduled(const gf_corpus *c, gf_prng *p) {
  if (c->n > GF_CORPUS_RECENT && gf_prng_chance(p, 1, 4))
    return &c->v[c->n - 1 - gf_prng_below(p, GF_CORPUS_RECENT)].c;
  return gf_corpus_pick(c, p);
}

/* The textbook window of the bug class: the gate holds every pool thread,
 * a full GC runs, a turn passes, and only then do the calls read. */
static void gated_window(gf_case *c) {
  c->f[GF_F_GATE] = 1;
  c->nsteps = 2;
  c->steps[0] = (gf_step){.op = GF_OP_GC, .arg = 2 /* full */};
  c->steps[1] = (gf_step){.op = GF_OP_IMMEDIATE, .arg = 1};
}

int gf_corpus_add_defaults(gf_corpus *corpus, const gf_config *cfg, const char *forced, gf_err *err) {
  int n = forced[0] ? 1 : cfg->n_entries;
  if (n == 0) return gf_errf(err, "seeds: none given, and no entries to start from (set seeds or entries)");
  for (int i = 0; i < n; i++) {
    for (int gated = 0; gated < 2; gated++) {
      gf_case c;
      gf_case_default(&c);
      gf_strlcpy(c.entry, forced[0] ? forced : cfg->entries[i], sizeof c.entry);
      snprintf(c.id, sizeof c.id, "%s-%d", gated ? "gated" : "default", i);
      if (gated) gated_window(&c);
      gf_config_clamp_case(cfg, &c); /* drops the steps gc_ops forbids */
      if (gf_corpus_add(corpus, &c, 1, 0) != 0) return gf_errf(err, "out of memory");
    }
  }
  return 0;
}

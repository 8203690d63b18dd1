/* gf_search.c - see gf_search.h. */
#include "gf_search.h"

#include <stdlib.h>
#include <string.h>

#include "gf_classify.h"
#include "gf_fs.h"
#include "gf_mutate.h"

int gf_search_open(gf_search *s, const gf_config *cfg, const char *out_dir, const char *forced,
                   FILE *log, gf_err *err) {
  memset(s, 0, sizeof *s);
  s->cfg = cfg;
  gf_corpus_init(&s->corpus);
  gf_feedback_init(&s->fb);
  snprintf(s->corpus_dir, sizeof s->corpus_dir, "%s/corpus", out_dir);
  snprintf(s->feedback_dir, sizeof s->feedback_dir, "%s/feedback", s->corpus_dir);
  snprintf(s->features, sizeof s->features, "%s/features.json", out_dir);
  gf_cost_init(&s->cost, cfg->threadpool_size);
  s->cap_us = (uint64_t)(cfg->max_case_ms ? cfg->max_case_ms : cfg->timeout_ms / 4) * 1000;
  if (cfg->seeds[0] == '\0') {
    if (gf_corpus_add_defaults(&s->corpus, cfg, forced[0] ? forced : cfg->entry, err) != 0) return -1;
  } else if (gf_corpus_load_dir(&s->corpus, cfg->seeds, cfg, 1, 0, log, err) < 0) {
    return gf_err_prefix(err, "seeds");
  }
  s->n_seeds = s->corpus.n;
  if (gf_mkdirs(s->corpus_dir, err) != 0 ||
      gf_corpus_load_dir(&s->corpus, s->corpus_dir, cfg, cfg->crash_bias, 1, log, err) < 0)
    return -1;
  if (cfg->feedback) {
    if (gf_mkdirs(s->feedback_dir, err) != 0 ||
        gf_corpus_load_dir(&s->corpus, s->feedback_dir, cfg, cfg->feedback_weight, 0, log, err) < 0 ||
        gf_feedback_load(&s->fb, s->features, err) != 0)
      return -1;
    if (cfg->favoured && ((s->fav = gf_favour_new()) == NULL || (s->widen = malloc(sizeof *s->widen)) == NULL))
      return gf_errf(err, "out of memory");
    if (s->widen) gf_widen_init(s->widen);
  }
  if (s->corpus.n == 0)
    return gf_errf(err, "seeds: no usable case in %s (see the lines above)", cfg->seeds);
  return 0;
}

void gf_search_free(gf_search *s) {
  gf_corpus_free(&s->corpus);
  gf_favour_free(s->fav);
  s->fav = NULL;
  free(s->widen);
  s->widen = NULL;
}

/* A favoured parent nine times in ten, else one by weight, or (one time
 * in four) one of the newest finds; one child in eight is a splice of two
 * parents before the moves. */
static void breed(gf_search *s, gf_prng *p, gf_case *c) {
  long fav = s->fav && gf_prng_chance(p, 9, 10) ? gf_favour_pick(s->fav, p) : -1;
  *c = fav >= 0 ? s->corpus.v[fav].c : *gf_corpus_pick_scheduled(&s->corpus, p);
  if (s->corpus.n > 1 && gf_prng_chance(p, 1, 8)) gf_splice(c, gf_corpus_pick(&s->corpus, p), s->cfg, p);
  gf_mutate(c, s->cfg, p);
}

/* Each seed once as it is; then a near miss's widening child when one is
 * due (gf_widen.h), else a bred child; either within the cost cap. */
void gf_search_next(gf_search *s, gf_prng *p, gf_case *c) {
  if (s->next_seed < s->n_seeds) {
    *c = s->corpus.v[s->next_seed++].c;
    return;
  }
  int child = s->widen && gf_widen_due(s->widen) && gf_widen_pop(s->widen, c);
  if (!child) breed(s, p, c);
  if (gf_cost_cap(&s->cost, c, s->cap_us) > 0)
    gf_config_clamp_case(s->cfg, c); /* shared and dups stay within elems */
  if (s->widen) gf_widen_spent(s->widen, gf_cost_nominal_us(&s->cost, c), child);
}

int gf_search_keep_crash(gf_search *s, const gf_case *c, const char *hash, gf_err *err) {
  return gf_corpus_keep(&s->corpus, c, s->corpus_dir, hash, s->cfg->crash_bias, 1, err);
}

/* OUT/corpus/feedback/<hash of the case>.json, its features beside it
 * (.feat, what cmin covers) and the feature map. */
static int keep_clean(gf_search *s, const gf_case *c, const uint32_t *ids, int n, int fresh,
                      gf_err *err) {
  char name[32], feat[PATH_MAX + 64];
  char *line = gf_case_to_line(c);
  snprintf(name, sizeof name, "%016llx", (unsigned long long)(line ? gf_fnv1a64(line) : 0));
  free(line);
  snprintf(feat, sizeof feat, "%s/%s.feat", s->feedback_dir, name);
  if (gf_corpus_keep(&s->corpus, c, s->feedback_dir, name, s->cfg->feedback_weight, 0, err) != 0 ||
      gf_feedback_write_ids(feat, ids, n, err) != 0 ||
      (fresh && gf_feedback_save(&s->fb, s->features, err) != 0))
    return -1;
  return 0;
}

/* The seed that c is, run as it is (the dry run: any id, and any entry,
 * as a forced entry replaces the seed's; mutation never changes one), or
 * -1. A resumed soak runs its seeds again with the ids of its first
 * session, and a copy kept as a feedback case was the same line again:
 * the same file, a second corpus entry. */
static long seed_of(const gf_search *s, const gf_case *c) {
  for (size_t i = 0; i < s->next_seed; i++) {
    gf_case k = *c;
    memcpy(k.id, s->corpus.v[i].c.id, sizeof k.id);
    memcpy(k.entry, s->corpus.v[i].c.entry, sizeof k.entry);
    if (gf_case_equal(&k, &s->corpus.v[i].c)) return (long)i;
  }
  return -1;
}

void gf_search_clean(gf_search *s, const gf_case *c, const cJSON *result, uint64_t exec_us,
                     FILE *log) {
  uint32_t ids[GF_FEATURES_PER_CASE];
  gf_cost_learn(&s->cost, c, exec_us);
  int n = s->cfg->feedback ? gf_feedback_features(result, c->entry, ids) : 0;
  if (n == 0) return;
  uint32_t cost = exec_us > UINT32_MAX ? UINT32_MAX : exec_us ? (uint32_t)exec_us : 1;
  int fresh = gf_feedback_add(&s->fb, ids, n);
  int cheaper = 0;
  if (s->fav) {
    gf_favour_hit(s->fav, ids, n);
    cheaper = !fresh && gf_favour_gain(s->fav, ids, n, cost) > 0;
  }
  if (!fresh && !cheaper) return;
  gf_err err = {{0}};
  long idx = seed_of(s, c);
  if (idx >= 0) { /* a seed run as it is holds its features itself */
    if (fresh && gf_feedback_save(&s->fb, s->features, &err) != 0)
      fprintf(log, "gcfuzz: cannot save the feature map: %s\n", err.msg);
  } else {
    if (s->corpus.n >= s->cfg->limits.max_corpus) return;
    idx = (long)s->corpus.n;
    if (keep_clean(s, c, ids, n, fresh, &err) != 0) fprintf(log, "gcfuzz: cannot save the feedback corpus: %s\n", err.msg);
    if (s->corpus.n == (size_t)idx) return; /* out of memory: not in the corpus */
  }
  int near = gf_feedback_near_miss(result);
  if (s->fav && gf_favour_claim(s->fav, (size_t)idx, ids, n, cost, near) != 0)
    fprintf(log, "gcfuzz: out of memory: favoured parents stop updating\n");
  if (s->widen && near && fresh) gf_widen_push(s->widen, c, s->cfg);
}

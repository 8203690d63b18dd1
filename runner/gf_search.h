/* gf_search.h - what the fuzz loop breeds from, and what it keeps.
 *
 * The corpus (seeds, OUT/corpus/ crash cases, OUT/corpus/feedback/ cases),
 * the feature map of the window feedback, and the favoured parents
 * (gf_favour.h, config `favoured`). The seeds run first, each once as it
 * is (AFL's dry run, libFuzzer's reading of the corpus): a seed written to
 * show a bug shows it at once, and its features are measured. Then a child
 * is a parent - a favoured one
 * nine times in ten when there are any, else by weight or among the newest
 * finds - maybe spliced with another, then mutated (gf_mutate.h), then
 * shrunk if its nominal duration passes max_case_ms (gf_cost.h). A clean
 * run is kept when it reached a feature never seen, or a feature at under
 * 3/4 of its holder's cost; one that is also a near miss queues the
 * children that widen its window (gf_widen.h), run first within a share
 * of the time.
 */
#ifndef GF_SEARCH_H
#define GF_SEARCH_H

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>

#include "gf_config.h"
#include "gf_corpus.h"
#include "gf_cost.h"
#include "gf_favour.h"
#include "gf_feedback.h"
#include "gf_prng.h"
#include "gf_widen.h"

typedef struct gf_search {
  const gf_config *cfg;
  gf_corpus corpus;
  gf_feedback fb;
  gf_favour *fav; /* NULL unless both feedback and favoured are on */
  gf_widen *widen; /* with fav: the children of new near misses */
  gf_cost cost;   /* what a case implies, learned from the clean runs */
  uint64_t cap_us; /* config max_case_ms (or timeout_ms / 4), in µs */
  size_t n_seeds, next_seed; /* corpus entries 0 .. n_seeds-1 are the seeds */
  char corpus_dir[PATH_MAX], feedback_dir[PATH_MAX + 16], features[PATH_MAX + 32];
} gf_search;

/* Loads the seeds (or, when cfg->seeds is "", the default cases of each
 * entry, gf_corpus_add_defaults; of entry `forced` alone when not ""), OUT/corpus and, with feedback on,
 * OUT/corpus/feedback and OUT/features.json. Unusable files are named on
 * log and skipped. */
int gf_search_open(gf_search *s, const gf_config *cfg, const char *out_dir, const char *forced,
                   FILE *log, gf_err *err);
void gf_search_free(gf_search *s);

/* The next case to run (id and entry left to the caller). */
void gf_search_next(gf_search *s, gf_prng *p, gf_case *c);

/* Case c ran clean in exec_us; result is its result line (window
 * counters). Its time teaches the cost model; with feedback on, it is
 * kept when it adds to the search. Errors go to log. */
void gf_search_clean(gf_search *s, const gf_case *c, const cJSON *result, uint64_t exec_us,
                     FILE *log);

/* A case that opened bucket `hash`: OUT/corpus/<hash>.json, bred from with
 * weight crash_bias. */
int gf_search_keep_crash(gf_search *s, const gf_case *c, const char *hash, gf_err *err);

#endif

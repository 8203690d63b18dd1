/* gf_corpus.h - the cases mutation starts from.
 *
 * Seeds (weight 1), cases that reached a new window feature (weight
 * feedback_weight, OUT/corpus/feedback/) and cases that produced a new
 * bucket (weight crash_bias, OUT/corpus/):
 * picking parents by weight biases the fuzzer toward the regions that
 * crashed. Files are loaded in sorted name order, so the same corpus and
 * --seed give the same case stream.
 */
#ifndef GF_CORPUS_H
#define GF_CORPUS_H

#include <stdio.h>

#include "gf_case.h"
#include "gf_config.h"
#include "gf_prng.h"

typedef struct gf_corpus_item {
  gf_case c;
  uint32_t weight;
  int from_crash;
} gf_corpus_item;

typedef struct gf_corpus {
  gf_corpus_item *v;
  size_t n, cap;
  uint64_t total_weight;
  int clamped; /* seeds changed to fit the config's limits */
} gf_corpus;

void gf_corpus_init(gf_corpus *c);
void gf_corpus_free(gf_corpus *c);

/* Loads every *.json of dir. A file that does not parse, has an
 * out-of-range field or an entry the harness lacks is skipped with one line
 * on log naming the file and the reason. Returns the number loaded, -1 if
 * dir itself cannot be read. */
int gf_corpus_load_dir(gf_corpus *c, const char *dir, const gf_config *cfg, uint32_t weight,
                       int from_crash, FILE *log, gf_err *err);

int gf_corpus_add(gf_corpus *c, const gf_case *cs, uint32_t weight, int from_crash);

/* No seed directory: per entry (forced, when not "", or each of the
 * config's entries) the default case and the gated window (the gate on, a
 * full GC, a turn) are where the mutator starts. */
int gf_corpus_add_defaults(gf_corpus *c, const gf_config *cfg, const char *forced, gf_err *err);

/* Saves cs as dir/<name>.json (atomically; a resumed run loads it) and adds
 * it to the corpus. The corpus keeps it even if the file cannot be written
 * (the error says so). */
int gf_corpus_keep(gf_corpus *c, const gf_case *cs, const char *dir, const char *name,
                   uint32_t weight, int from_crash, gf_err *err);

/* A parent, chosen by weight. The corpus must not be empty. */
const gf_case *gf_corpus_pick(const gf_corpus *c, gf_prng *p);

/* The fuzz loop's parent: by weight, or one time in four uniformly among
 * the GF_CORPUS_RECENT newest entries (recent finds get bred from while
 * they are fresh, before the corpus buries them). */
#define GF_CORPUS_RECENT 16
const gf_case *gf_corpus_pick_scheduled(const gf_corpus *c, gf_prng *p);

/* Reads one case from a file: a case object, or a crash record (its "case").
 * doc (if non-NULL) receives the whole parsed file on success, for callers
 * that also want the record's other fields; cJSON_Delete it. */
int gf_case_load_file(gf_case *out, const char *path, cJSON **doc, gf_err *err);

#endif

/* gf_sync.h - corpus exchange while soaks run (AFL++'s -S over a sync
 * directory).
 *
 * Config `sync_dirs`: other soaks' output folders (a shared filesystem,
 * or copies a job refreshes). Every `sync_interval_ms` the daemon lists
 * their corpus/ and corpus/feedback/ and reads the cases it has not seen
 * yet; one that parses and whose entry this config runs joins the corpus
 * as a parent (weight feedback_weight; clamped to this config's limits).
 * Only reads: another soak's folder is never written and its lock never
 * taken. Imported cases stay in memory - their folder keeps them - so a
 * resumed soak imports them again.
 */
#ifndef GF_SYNC_H
#define GF_SYNC_H

#include <stddef.h>
#include <stdio.h>

#include "gf_config.h"
#include "gf_corpus.h"

typedef struct gf_sync {
  char **seen; /* "DIR/name" of every file read, sorted */
  size_t n, cap;
  unsigned imported, rejected;
} gf_sync;

void gf_sync_init(gf_sync *s);
void gf_sync_free(gf_sync *s);

/* One pass over cfg's sync_dirs (out_dir itself is skipped): new cases
 * into corpus; a file that cannot be used is named on log once. Returns
 * how many cases joined. */
unsigned gf_sync_pass(gf_sync *s, const gf_config *cfg, const char *out_dir, gf_corpus *corpus,
                      FILE *log);

#endif

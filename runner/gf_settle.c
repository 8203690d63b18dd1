/* gf_settle.c - see gf_settle.h. */
#include "gf_settle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_bugs.h"
#include "gf_pending.h"
#include "gf_replay.h"
#include "gf_store.h"

struct gf_settle_count {
  char hash[17];
  uint64_t count;
};

static int by_hash(const void *a, const void *b) {
  return strcmp(((const struct gf_settle_count *)a)->hash, ((const struct gf_settle_count *)b)->hash);
}

int gf_settle_before_read(const char *out, gf_settle_before *before, gf_err *err) {
  gf_store s;
  memset(before, 0, sizeof *before);
  if (gf_store_open(&s, out, GF_STORE_READ, err) != 0) return -1;
  before->v = calloc(s.n ? s.n : 1, sizeof *before->v);
  if (before->v == NULL) {
    gf_store_close(&s);
    return gf_errf(err, "out of memory");
  }
  for (size_t i = 0; i < s.n; i++) {
    gf_strlcpy(before->v[i].hash, s.b[i].hash, sizeof before->v[i].hash);
    before->v[i].count = s.b[i].count;
  }
  before->n = s.n;
  qsort(before->v, before->n, sizeof *before->v, by_hash);
  gf_store_close(&s);
  return 0;
}

void gf_settle_before_free(gf_settle_before *before) {
  free(before->v);
  memset(before, 0, sizeof *before);
}

static const struct gf_settle_count *was(const gf_settle_before *before, const char *hash) {
  struct gf_settle_count key;
  gf_strlcpy(key.hash, hash, sizeof key.hash);
  return before->n ? bsearch(&key, before->v, before->n, sizeof key, by_hash) : NULL;
}

static int hit(const gf_settle_before *before, const gf_bucket *b) {
  const struct gf_settle_count *c = was(before, b->hash);
  return c == NULL || b->count > c->count;
}

/* The patience runs of the hit timeouts that have none yet, recorded. */
static void run_patience(const gf_config *cfg, gf_store *s, const gf_settle_before *before,
                         unsigned workers, gf_settle_result *r) {
  gf_replay_item *items = calloc(s->n ? s->n : 1, sizeof *items);
  size_t n = 0;
  for (size_t i = 0; items && i < s->n; i++) {
    const gf_bucket *b = &s->b[i];
    char path[PATH_MAX + 32];
    gf_err err = {{0}};
    if (b->kind != GF_KIND_TIMEOUT || !hit(before, b) || b->facts.has_patience) continue;
    gf_store_record_path(s, b, path, sizeof path);
    if (gf_replay_load(&items[n], path, NULL, NULL, cfg->build, &err) != 0) continue;
    items[n].want_runs = 1;
    items[n].rec_warm_runs = 0; /* one fresh run */
    n++;
  }
  gf_config *patient = n ? malloc(sizeof *patient) : NULL;
  if (patient) {
    *patient = *cfg;
    patient->timeout_ms = gf_patience_ms(cfg);
    fprintf(stderr, "gcfuzz ci: %zu timeout(s) not confirmed yet: one run each with timeout_ms "
                    "%u\n", n, patient->timeout_ms);
    gf_replay_run(patient, NULL, 0, workers, items, n);
  }
  for (size_t i = 0; patient && i < n; i++) {
    gf_bucket *b = gf_store_find(s, items[i].want_hash);
    gf_err err = {{0}};
    if (b == NULL || items[i].harness_errors == items[i].runs) continue; /* never ran: no verdict */
    r->patience_runs += items[i].runs;
    unsigned finished = items[i].clean[0] + items[i].other; /* ended, one way or another */
    if (gf_store_set_patience(s, b, patient->timeout_ms, items[i].runs, finished, &err) != 0 ||
        gf_bugs_link(s, b->entry, &err) < 0)
      fprintf(stderr, "gcfuzz ci: %s\n", err.msg);
    char verdict[256];
    gf_bug_hang_text(b, verdict, sizeof verdict);
    fprintf(stderr, "gcfuzz ci: %s: %s\n", b->hash, verdict);
  }
  free(patient);
  free(items);
}

int gf_settle(const gf_config *cfg, const char *out, const gf_settle_before *before,
              unsigned workers, gf_settle_result *r, gf_err *err) {
  gf_store s;
  memset(r, 0, sizeof *r);
  if (gf_store_open(&s, out, GF_STORE_WRITE, err) != 0) return -1;
  run_patience(cfg, &s, before, workers, r);
  for (size_t i = 0; i < s.n; i++) {
    const gf_bucket *b = &s.b[i];
    if (!hit(before, b)) continue;
    int is_new = was(before, b->hash) == NULL, slow = gf_bug_slow(b);
    const char *root = gf_bug_root_hash(b);
    r->hit++;
    r->new_hit += is_new;
    r->slow += slow;
    r->bugs += !slow;
    /* A new manifestation of a bug OUT already had is not a new bug. */
    r->new_bugs += is_new && !slow && !(root && was(before, root));
  }
  gf_store_flush(&s, NULL);
  gf_store_close(&s);
  return 0;
}

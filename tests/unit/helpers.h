/* helpers.h - shared by the cmocka unit tests. Tests run from the project
 * root (scripts/run-tests.js sets the cwd). */
#ifndef GF_TEST_HELPERS_H
#define GF_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka must come after the headers above */
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ftw.h>
#include <signal.h>

#include "gf_case.h"
#include "gf_classify.h"
#include "gf_fs.h"
#include "gf_store.h"

static inline int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

/* Removes a test's temporary folder and everything in it. */
static inline void rm_tree(const char *dir) { nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

/* A case of the demo's near-miss shape: two calls, a short delay, a GC
 * after the first settles, nothing shared. */
static inline gf_case demo_case(const char *id) {
  gf_case c;
  gf_case_default(&c);
  snprintf(c.id, sizeof c.id, "%s", id);
  snprintf(c.entry, sizeof c.entry, "sum");
  c.f[GF_F_CONCURRENCY] = 2;
  c.f[GF_F_ELEMS] = 4;
  c.f[GF_F_DELAY_US] = 100;
  c.nsteps = 2;
  c.steps[0] = (gf_step){.op = GF_OP_AWAIT, .arg = 1};
  c.steps[1] = (gf_step){.op = GF_OP_GC, .arg = 2};
  return c;
}

/* The fields of k that differ from c's, a bit per GF_F_*. */
static inline unsigned fields_changed(const gf_case *k, const gf_case *c) {
  unsigned bits = 0;
  for (int f = 0; f < GF_F__COUNT; f++)
    if (k->f[f] != c->f[f]) bits |= 1u << f;
  return bits;
}

/* A fixture file's text (malloc'd), failing the test if it is missing. */
static inline char *fixture(const char *rel) {
  char path[PATH_MAX];
  gf_err err = {{0}};
  snprintf(path, sizeof path, "tests/fixtures/%s", rel);
  char *text = gf_read_file(path, 1 << 24, NULL, &err);
  if (text == NULL) fail_msg("fixture: %s", err.msg);
  return text;
}

/* A fresh temporary directory; removed by the OS's tmp cleaning. */
static inline void temp_dir(char *out, size_t cap) {
  snprintf(out, cap, "%s/gcfuzz-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (mkdtemp(out) == NULL) fail_msg("mkdtemp failed");
}

/* A fresh temporary directory (into dir) with a writer's store open on it. */
static inline void temp_store(gf_store *s, char *dir, size_t cap) {
  gf_err err = {{0}};
  temp_dir(dir, cap);
  assert_int_equal(gf_store_open(s, dir, GF_STORE_WRITE, &err), 0);
}

/* A bucket's whole record, as its store reads it back (a writer keeps
 * none in memory); fails the test when there is none. */
static inline const cJSON *record_of(gf_store *s, const char *hash) {
  gf_bucket *b = gf_store_find(s, hash);
  gf_err err = {{0}};
  const cJSON *r = b ? gf_store_record(s, b, &err) : NULL;
  if (r == NULL) fail_msg("no record of %s: %s", hash, b ? err.msg : "no such bucket");
  return r;
}

/* A worker's death by SIGSEGV in entry, classified as the runner does. */
static inline gf_finding segv_finding(const char *entry) {
  gf_outcome o;
  gf_finding f;
  memset(&o, 0, sizeof o);
  o.exited = 1;
  o.term_signal = SIGSEGV;
  o.entry = entry;
  gf_classify(&o, &f);
  return f;
}

/* A release build's SIGSEGV whose native frames name a target function. */
static inline gf_finding located_finding(const char *entry, const char *func) {
  gf_finding f = segv_finding(entry);
  f.stack.n = 1;
  gf_strlcpy(f.stack.f[0].func, func, sizeof f.stack.f[0].func);
  f.stack.f[0].target = 1;
  snprintf(f.signature, sizeof f.signature, "signal:SIGSEGV:%s:entry=%s", func, entry);
  snprintf(f.hash, sizeof f.hash, "%016llx", (unsigned long long)gf_fnv1a64(f.signature));
  return f;
}

/* A harness result with this outcome ("mismatch", "exception"). */
static inline gf_finding outcome_finding(const char *entry, const char *outcome) {
  gf_outcome o;
  gf_finding f;
  memset(&o, 0, sizeof o);
  o.result_outcome = outcome;
  o.result_message = "sum 12 != 10";
  o.entry = entry;
  assert_int_equal(gf_classify(&o, &f), 1);
  return f;
}

/* A case of entry that ran past timeout_ms, classified as the runner does. */
static inline gf_finding hang_finding(const char *entry) {
  gf_outcome o;
  gf_finding f;
  memset(&o, 0, sizeof o);
  o.timed_out = o.case_in_flight = 1;
  o.entry = entry;
  assert_int_equal(gf_classify(&o, &f), 1);
  return f;
}

static inline void write_text(const char *dir, const char *name, const char *text) {
  char path[PATH_MAX];
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) fail_msg("path too long");
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

#endif

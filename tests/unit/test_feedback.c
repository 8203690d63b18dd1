/* test_feedback.c - window features: classes, novelty, junk, persistence. */
#include "helpers.h"

#include <sys/stat.h>

#include "gf_case.h"
#include "gf_feedback.h"

static int features_of(const char *json, const char *entry, uint32_t *ids) {
  cJSON *r = cJSON_Parse(json);
  assert_non_null(r);
  int n = gf_feedback_features(r, entry, ids);
  cJSON_Delete(r);
  return n;
}

/* Counts in one class give the same features; another class, another
 * entry or another combination of non-zero counters, new ones. */
static void classes_and_novelty(void **state) {
  (void)state;
  gf_feedback fb;
  uint32_t ids[GF_FEATURES_PER_CASE];
  gf_feedback_init(&fb);
  int n = features_of("{\"window\":{\"inputs\":16,\"collected\":0}}", "sum", ids);
  assert_true(n > GF_WINDOW_N && n <= GF_FEATURES_PER_CASE);
  assert_int_equal(gf_feedback_add(&fb, ids, n), n);
  assert_int_equal(fb.count, (uint32_t)n);
  /* 16 and 31 share the class 16-31: nothing new. */
  n = features_of("{\"window\":{\"inputs\":31,\"collected\":0}}", "sum", ids);
  assert_int_equal(gf_feedback_add(&fb, ids, n), 0);
  /* 32 is the next class: that counter's feature only. */
  n = features_of("{\"window\":{\"inputs\":32,\"collected\":0}}", "sum", ids);
  assert_int_equal(gf_feedback_add(&fb, ids, n), 1);
  /* The bug's precondition: collected in flight, with calls pending at a GC. */
  n = features_of("{\"window\":{\"inputs\":32,\"collected\":3,\"collected_in_flight\":3,\"inflight_at_gc\":1}}", "sum", ids);
  assert_true(gf_feedback_add(&fb, ids, n) >= 4); /* 3 counters, the combination, the pair */
  /* The same window on another entry is another place. */
  n = features_of("{\"window\":{\"inputs\":32,\"collected\":0}}", "sum_ref", ids);
  assert_int_equal(gf_feedback_add(&fb, ids, n), n);
}

/* A worker's stdout is untrusted: junk is zero, never a crash. */
static void junk_windows(void **state) {
  (void)state;
  uint32_t ids[GF_FEATURES_PER_CASE], zero[GF_FEATURES_PER_CASE];
  assert_int_equal(features_of("{\"outcome\":\"ok\"}", "sum", ids), 0);
  assert_int_equal(features_of("{\"window\":[1,2]}", "sum", ids), 0);
  int n = features_of("{\"window\":{}}", "sum", zero);
  assert_int_equal(features_of("{\"window\":{\"inputs\":\"many\",\"collected\":-5,\"gc_major\":1e308,"
                               "\"gc_minor\":null,\"extra\":{\"x\":1}}}", "sum", ids), n);
  assert_int_not_equal(memcmp(ids, zero, sizeof ids[0] * (size_t)n), 0); /* 1e308: the top class */
  for (int i = 0; i < n; i++) assert_true(ids[i] < GF_FEATURE_MAP);
}

static void save_and_load(void **state) {
  (void)state;
  char dir[PATH_MAX], path[PATH_MAX + 32];
  gf_feedback a, b;
  gf_err err = {{0}};
  uint32_t ids[GF_FEATURES_PER_CASE];
  temp_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/features.json", dir);
  assert_int_equal(gf_feedback_load(&b, path, &err), 0); /* missing: empty */
  assert_int_equal(b.count, 0);
  gf_feedback_init(&a);
  int n = features_of("{\"window\":{\"inputs\":5,\"collected_in_flight\":2}}", "sum_typed", ids);
  gf_feedback_add(&a, ids, n);
  assert_int_equal(gf_feedback_save(&a, path, &err), 0);
  assert_int_equal(gf_feedback_load(&b, path, &err), 0);
  assert_int_equal(b.count, a.count);
  assert_memory_equal(a.map, b.map, sizeof a.map);
  write_text(dir, "features.json", "{\"features\":[1,\"x\"]}");
  assert_int_equal(gf_feedback_load(&b, path, &err), -1);
  assert_non_null(strstr(err.msg, "features.json: features:"));
  write_text(dir, "features.json", "{\"features\":[70000]}");
  assert_int_equal(gf_feedback_load(&b, path, &err), -1);
  /* A FIFO in its place is refused at once, not read (it would block). */
  snprintf(path, sizeof path, "%s/fifo.json", dir);
  assert_int_equal(mkfifo(path, 0600), 0);
  assert_int_equal(gf_feedback_load(&b, path, &err), -1);
  assert_non_null(strstr(err.msg, "not a regular file"));
}

static int near_miss_of(const char *json) {
  cJSON *r = cJSON_Parse(json);
  assert_non_null(r);
  int near = gf_feedback_near_miss(r);
  cJSON_Delete(r);
  return near;
}

/* A near miss: calls pending at a GC after another settled; junk is no. */
static void near_misses(void **state) {
  (void)state;
  assert_true(near_miss_of("{\"window\":{\"inflight_at_partial_gc\":2}}"));
  assert_false(near_miss_of("{\"window\":{\"inflight_at_partial_gc\":0,\"inflight_at_gc\":5}}"));
  assert_false(near_miss_of("{\"window\":{\"inflight_at_partial_gc\":\"2\"}}"));
  assert_false(near_miss_of("{\"window\":{\"inflight_at_partial_gc\":0.5}}"));
  assert_false(near_miss_of("{\"window\":[1]}"));
  assert_false(near_miss_of("{\"outcome\":\"ok\"}"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(classes_and_novelty),
      cmocka_unit_test(junk_windows),
      cmocka_unit_test(near_misses),
      cmocka_unit_test(save_and_load),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

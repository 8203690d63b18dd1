/* test_bugs.c - which buckets are one bug (gf_bugs.h): a wrong result and a
 * located segfault of one entry are linked, whichever came first; not when
 * the control failed, nor when the entry has two located bugs, nor across
 * entries or builds. */
#include "helpers.h"

#include "gf_bugs.h"
#include "gf_json.h"
#include "gf_store.h"

static gf_bucket *add(gf_store *s, const gf_finding *f, const char *entry, const char *build) {
  gf_case c;
  gf_case_default(&c);
  gf_strlcpy(c.entry, entry, sizeof c.entry);
  gf_run_meta m = {"v20.0.0", build, "gcfuzz replay", NULL, "/usr/bin/node", "none"};
  gf_err err = {{0}};
  int is_new;
  gf_bucket *b = gf_store_add(s, f, &c, "tail", &m, &is_new, &err);
  assert_non_null(b);
  assert_int_equal(gf_bugs_link(s, entry, &err) >= 0, 1);
  return gf_store_find(s, f->hash); /* the array may have moved */
}

static const char *linked_to(gf_store *s, const gf_finding *f) {
  return gf_bug_root_hash(gf_store_find(s, f->hash));
}

/* A fresh store with a wrong result and a located SIGSEGV of entry (in
 * gf_views_sum), added in that order or (segv_first) the other. */
static void wrong_and_segv(gf_store *s, char *dir, size_t cap, const char *entry, int segv_first,
                           gf_finding *wrong, gf_finding *segv) {
  temp_store(s, dir, cap);
  *wrong = outcome_finding(entry, "mismatch");
  *segv = located_finding(entry, "gf_views_sum");
  add(s, segv_first ? segv : wrong, entry, "release");
  add(s, segv_first ? wrong : segv, entry, "release");
}

/* A crash with frames none of which is the target's has no location: the
 * soak warns at its NEW line. A wrong result (no frames) is no such case. */
static void unmatched_frames(void **state) {
  (void)state;
  char dir[PATH_MAX];
  gf_store s;
  temp_store(&s, dir, sizeof dir);
  gf_finding in_lib = located_finding("sum", "snappy::RawUncompress");
  in_lib.stack.f[0].target = 0; /* a library of the addon: not matched */
  gf_finding located = located_finding("sum", "gf_views_sum");
  gf_finding wrong = outcome_finding("sum", "mismatch");
  assert_true(gf_bug_unmatched_frames(add(&s, &in_lib, "sum", "release")));
  assert_false(gf_bug_unmatched_frames(add(&s, &located, "sum", "release")));
  assert_false(gf_bug_unmatched_frames(add(&s, &wrong, "sum", "release")));
  gf_store_close(&s);
}

static void wrong_result_then_segfault_is_one_bug(void **state) {
  (void)state;
  char dir[PATH_MAX];
  gf_store s;
  gf_err err = {{0}};
  gf_finding wrong, segv;
  wrong_and_segv(&s, dir, sizeof dir, "sum_typed", 0, &wrong, &segv);
  assert_string_equal(linked_to(&s, &wrong), segv.hash);
  assert_null(linked_to(&s, &segv));
  assert_int_equal(s.n, 2);
  assert_int_equal(gf_bugs_count(&s), 1);
  const cJSON *man = cJSON_GetObjectItem(record_of(&s, segv.hash), "manifestations");
  assert_int_equal(cJSON_GetArraySize(man), 1);
  assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(man, 0), "signature")->valuestring,
                      wrong.signature);
  assert_int_equal(gf_bugs_link_all(&s, &err), 0); /* nothing left to change */
  gf_store_close(&s);

  /* Written both ways, and read back. */
  assert_int_equal(gf_store_open(&s, dir, GF_STORE_READ, &err), 0);
  assert_string_equal(linked_to(&s, &wrong), segv.hash);
  const cJSON *link = cJSON_GetObjectItem(record_of(&s, wrong.hash), "same_bug_as");
  assert_string_equal(cJSON_GetObjectItem(link, "signature")->valuestring, segv.signature);
  assert_int_equal(gf_bugs_count(&s), 1);
  gf_store_close(&s);
}

static void segfault_then_wrong_result_gives_the_same_links(void **state) {
  (void)state;
  char dir[PATH_MAX];
  gf_store s;
  gf_finding wrong, segv;
  wrong_and_segv(&s, dir, sizeof dir, "sum_self", 1, &wrong, &segv);
  assert_string_equal(linked_to(&s, &wrong), segv.hash);
  assert_int_equal(gf_bugs_count(&s), 1);
  gf_store_close(&s);
}

static void a_failed_control_is_a_bug_of_its_own(void **state) {
  (void)state;
  char dir[PATH_MAX];
  gf_store s;
  gf_err err = {{0}};
  gf_finding wrong, segv;
  wrong_and_segv(&s, dir, sizeof dir, "sum_typed", 1, &wrong, &segv);
  assert_non_null(linked_to(&s, &wrong));
  /* The wrong result also came with every input kept: a logic bug. */
  cJSON *control = cJSON_CreateObject();
  cJSON_AddNumberToObject(control, "runs", 3);
  cJSON_AddNumberToObject(control, "failed", 1);
  assert_int_equal(gf_store_update(&s, gf_store_find(&s, wrong.hash), "control", control, &err), 0);
  assert_int_equal(gf_bugs_link(&s, "sum_typed", &err), 2); /* both records rewritten */
  assert_null(linked_to(&s, &wrong));
  assert_null(cJSON_GetObjectItem(record_of(&s, segv.hash), "manifestations"));
  assert_int_equal(gf_bugs_count(&s), 2);
  gf_store_close(&s);
}

static void only_one_located_bug_of_the_entry_and_build(void **state) {
  (void)state;
  char dir[PATH_MAX];
  gf_store s;
  temp_store(&s, dir, sizeof dir);
  gf_finding wrong = outcome_finding("sum_typed", "mismatch");
  gf_finding other_entry = located_finding("sum_borrowed", "gf_borrowed_sum");
  gf_finding other_build = located_finding("sum_typed", "gf_views_sum_asan");
  gf_finding exception = outcome_finding("sum_typed", "exception");
  add(&s, &wrong, "sum_typed", "release");
  add(&s, &other_entry, "sum_borrowed", "release");
  add(&s, &other_build, "sum_typed", "asan");
  add(&s, &exception, "sum_typed", "release");
  assert_null(linked_to(&s, &wrong));
  assert_null(linked_to(&s, &exception));

  gf_finding a = located_finding("sum_typed", "gf_views_sum");
  add(&s, &a, "sum_typed", "release");
  assert_string_equal(linked_to(&s, &wrong), a.hash);
  assert_null(linked_to(&s, &exception)); /* an exception is never a manifestation */
  /* A second located bug of the entry: which one the wrong result was
   * cannot be told, so it is linked to neither. */
  gf_finding b = located_finding("sum_typed", "gf_other_sum");
  add(&s, &b, "sum_typed", "release");
  assert_null(linked_to(&s, &wrong));
  assert_null(cJSON_GetObjectItem(record_of(&s, a.hash), "manifestations"));
  assert_int_equal(gf_bugs_count(&s), s.n);
  gf_store_close(&s);
}

static void a_hang_may_be_the_bug_a_slow_case_is_no_bug(void **state) {
  (void)state;
  char dir[PATH_MAX];
  gf_store s;
  gf_err err = {{0}};
  temp_store(&s, dir, sizeof dir);
  gf_finding hang = hang_finding("sum_self");
  gf_finding segv = located_finding("sum_self", "gf_borrowed_sum");
  add(&s, &hang, "sum_self", "release");
  add(&s, &segv, "sum_self", "release");
  assert_string_equal(linked_to(&s, &hang), segv.hash); /* a garbage length or delay */
  assert_int_equal(gf_bugs_count(&s), 1);
  /* Given four times the time it finished: slow, not hung, and no bug. */
  cJSON *patience = cJSON_CreateObject();
  cJSON_AddNumberToObject(patience, "timeout_ms", 40000);
  cJSON_AddNumberToObject(patience, "runs", 1);
  cJSON_AddNumberToObject(patience, "finished", 1);
  assert_int_equal(gf_store_update(&s, gf_store_find(&s, hang.hash), "patience", patience, &err), 0);
  assert_int_equal(gf_bugs_link(&s, "sum_self", &err), 2);
  assert_null(linked_to(&s, &hang));
  assert_true(gf_bug_slow(gf_store_find(&s, hang.hash)));
  assert_int_equal(gf_bugs_count(&s), 1);
  gf_store_close(&s);
}

static void rate(gf_store *s, gf_bucket *b, const char *key, double runs, double n,
                 const char *n_key) {
  gf_err err = {{0}};
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "runs", runs);
  cJSON_AddNumberToObject(o, n_key, n);
  assert_int_equal(gf_store_update(s, b, key, o, &err), 0);
}

/* The control says whether a failure needs the GC to free an input. */
static void the_control_tells_whether_the_gc_is_needed(void **state) {
  (void)state;
  char dir[PATH_MAX], text[64];
  gf_store s;
  temp_store(&s, dir, sizeof dir);
  gf_finding segv = located_finding("sum_self", "gf_borrowed_sum");
  gf_bucket *b = add(&s, &segv, "sum_self", "release");
  assert_int_equal(gf_bug_needs_gc(b), -1); /* no control yet */
  rate(&s, b, "control", 3, 0, "failed");
  rate(&s, b, "reproducibility", 3, 0, "reproduced");
  assert_int_equal(gf_bug_needs_gc(b), -1); /* a clean control of a case that never failed says nothing */
  rate(&s, b, "reproducibility_warm", 3, 2, "reproduced");
  assert_int_equal(gf_bug_needs_gc(b), 1);
  gf_bug_needs_gc_text(b, text, sizeof text);
  assert_string_equal(text, "yes (kept: 0/3 failed)");
  rate(&s, b, "control", 3, 3, "failed"); /* fails with every input kept: not the GC */
  assert_int_equal(gf_bug_needs_gc(b), 0);
  assert_string_equal(gf_bug_needs_gc_name(b), "no");
  gf_store_close(&s);
}

/* The issue #25 case: a racy hang, hung 3/3 fresh and 3/3 warm, whose one
 * patience run finished. Six hangs of seven runs are a hang, and the
 * record says so; a case that hung only where the short limit cut it (its
 * warm runs never reached it: their warm-ups ran past the limit too) and
 * finished given the time is slow. */
static void a_hang_in_most_runs_stays_a_hang_though_one_patience_run_finished(void **state) {
  (void)state;
  char dir[PATH_MAX], text[256];
  gf_store s;
  gf_err err = {{0}};
  temp_store(&s, dir, sizeof dir);
  gf_finding hang = hang_finding("racy");
  gf_bucket *b = add(&s, &hang, "racy", "release");
  assert_int_equal(gf_store_set_repro(&s, b, 3, 3, &err), 0);
  assert_int_equal(gf_store_set_warm(&s, b, 3, 3, &err), 0);
  assert_int_equal(gf_store_set_patience(&s, b, 2000, 1, 1, &err), 0);
  const cJSON *p = cJSON_GetObjectItem(record_of(&s, b->hash), "patience");
  assert_int_equal(gf_json_count(p, "hangs"), 6);
  assert_int_equal(gf_json_count(p, "of"), 7);
  assert_false(gf_bug_slow(b));
  assert_int_equal(gf_bugs_count(&s), 1);
  gf_bug_hang_text(b, text, sizeof text);
  assert_string_equal(text, "a hang, though a patience run finished: it hung in 6 of 7 runs "
                            "(fresh, warm and patience)");
  /* Timed out fresh only (3/3), never reached warm (0/3), finished given time. */
  assert_int_equal(gf_store_set_warm(&s, b, 3, 0, &err), 0);
  assert_int_equal(gf_store_set_patience(&s, b, 2000, 1, 1, &err), 0);
  assert_true(gf_bug_slow(b));
  gf_bug_hang_text(b, text, sizeof text);
  assert_non_null(strstr(text, GF_SLOW_CASE_LINE "; it hung in 3 of 7 runs"));
  gf_store_close(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(wrong_result_then_segfault_is_one_bug),
      cmocka_unit_test(unmatched_frames),
      cmocka_unit_test(segfault_then_wrong_result_gives_the_same_links),
      cmocka_unit_test(a_failed_control_is_a_bug_of_its_own),
      cmocka_unit_test(only_one_located_bug_of_the_entry_and_build),
      cmocka_unit_test(a_hang_may_be_the_bug_a_slow_case_is_no_bug),
      cmocka_unit_test(a_hang_in_most_runs_stays_a_hang_though_one_patience_run_finished),
      cmocka_unit_test(the_control_tells_whether_the_gc_is_needed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

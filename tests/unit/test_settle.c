/* test_settle.c - what a ci night is blamed for (gf_settle.h): the buckets
 * its phase hit; under --pr only new bugs, and a new manifestation of a bug
 * OUT already had is not one. No timeout here, so no process runs. */
#include "helpers.h"

#include "gf_bugs.h"
#include "gf_settle.h"

/* Opens OUT, counts each finding once (linking as the daemon does), closes. */
static void hit(const char *dir, const gf_finding *const *fs, int n) {
  gf_store s;
  gf_err err = {{0}};
  gf_run_meta m = {"v20.0.0", "release", "gcfuzz replay", NULL, "/usr/bin/node", "none"};
  assert_int_equal(gf_store_open(&s, dir, GF_STORE_WRITE, &err), 0);
  for (int i = 0; i < n; i++) {
    gf_case c;
    int is_new;
    gf_case_default(&c);
    gf_strlcpy(c.entry, "sum_typed", sizeof c.entry);
    assert_non_null(gf_store_add(&s, fs[i], &c, "tail", &m, &is_new, &err));
    assert_true(gf_bugs_link(&s, "sum_typed", &err) >= 0);
  }
  gf_store_close(&s);
}

static void a_new_manifestation_of_an_old_bug_is_no_new_bug(void **state) {
  (void)state;
  char dir[PATH_MAX];
  gf_config cfg;
  gf_err err = {{0}};
  gf_settle_before before;
  gf_settle_result r;
  gf_finding segv = located_finding("sum_typed", "gf_views_sum");
  gf_finding wrong = outcome_finding("sum_typed", "mismatch");
  gf_config_default(&cfg, "/p");
  temp_dir(dir, sizeof dir);
  hit(dir, (const gf_finding *[]){&segv}, 1); /* last night's bug */
  assert_int_equal(gf_settle_before_read(dir, &before, &err), 0);
  hit(dir, (const gf_finding *[]){&wrong, &segv}, 2); /* tonight */
  assert_int_equal(gf_settle(&cfg, dir, &before, 1, &r, &err), 0);
  assert_int_equal(r.hit, 2);
  assert_int_equal(r.new_hit, 1);
  assert_int_equal(r.bugs, 2);     /* a night without --pr fails on both */
  assert_int_equal(r.new_bugs, 0); /* --pr: the wrong result is that old bug */
  assert_int_equal(r.slow, 0);
  gf_settle_before_free(&before);

  /* Nothing hit: nothing blamed. */
  assert_int_equal(gf_settle_before_read(dir, &before, &err), 0);
  assert_int_equal(gf_settle(&cfg, dir, &before, 1, &r, &err), 0);
  assert_int_equal(r.hit + r.bugs + r.new_bugs, 0);
  gf_settle_before_free(&before);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_new_manifestation_of_an_old_bug_is_no_new_bug),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_search.c - what the fuzz loop runs next: the seeds first, as they
 * are, then children. */
#include "helpers.h"

#include "gf_search.h"

/* A search whose seeds are the n cases `seeds`, in a fresh OUT under dir;
 * feedback and favoured parents on. */
static void open_search(gf_search *s, gf_config *cfg, const gf_case *seeds, int n, char *dir) {
  gf_err err = {{0}};
  assert_non_null(mkdtemp(dir));
  char sdir[PATH_MAX], file[PATH_MAX + 16];
  snprintf(sdir, sizeof sdir, "%s/seeds", dir);
  assert_int_equal(gf_mkdirs(sdir, &err), 0);
  for (int i = 0; i < n; i++) {
    snprintf(file, sizeof file, "%s/%02d.json", sdir, i);
    char *line = gf_case_to_line(&seeds[i]);
    assert_int_equal(gf_write_atomic(file, line, strlen(line), &err), 0);
    free(line);
  }
  gf_config_default(cfg, ".");
  snprintf(cfg->seeds, sizeof cfg->seeds, "%s", sdir);
  cfg->feedback = cfg->favoured = 1;
  FILE *devnull = fopen("/dev/null", "w");
  assert_int_equal(gf_search_open(s, cfg, dir, "", devnull, &err), 0);
  fclose(devnull);
}

/* The seeds run first, each once and as written, in name order; a crash
 * case of a resumed run is bred from, not run again; then come children. */
static void the_seeds_run_first_as_they_are(void **state) {
  (void)state;
  char dir[] = "/tmp/gcfuzz-search-XXXXXX";
  gf_config cfg;
  gf_search s;
  gf_case seeds[3] = {demo_case("a"), demo_case("b"), demo_case("c")}, k;
  seeds[1].f[GF_F_GATE] = 1;
  seeds[2].f[GF_F_SHARED] = 3;
  open_search(&s, &cfg, seeds, 3, dir);
  gf_err err = {{0}};
  gf_case crash = demo_case("crash");
  assert_int_equal(gf_search_keep_crash(&s, &crash, "0123456789abcdef", &err), 0);
  gf_prng p;
  gf_prng_seed(&p, 1);
  for (int i = 0; i < 3; i++) {
    gf_search_next(&s, &p, &k);
    assert_true(gf_case_equal(&k, &seeds[i]));
  }
  int same = 0;
  for (int i = 0; i < 50; i++) {
    gf_search_next(&s, &p, &k);
    for (int j = 0; j < 3; j++) same += gf_case_equal(&k, &seeds[j]);
  }
  assert_true(same < 50); /* children now, not the seeds again */
  gf_search_free(&s);
  rm_tree(dir);
}

/* No seed directory: per entry its default case, then the gated window
 * (the gate on, a full GC, a turn), each run first as it is; a config
 * whose limits allow no gate keeps the window's GC. */
static void without_seeds_each_entry_starts_gated_too(void **state) {
  (void)state;
  char dir[] = "/tmp/gcfuzz-search-XXXXXX";
  gf_err err = {{0}};
  assert_non_null(mkdtemp(dir));
  gf_config cfg;
  gf_config_default(&cfg, ".");
  cfg.seeds[0] = cfg.entry[0] = '\0'; /* every entry, none forced */
  cfg.n_entries = 2;
  snprintf(cfg.entries[0], sizeof cfg.entries[0], "a");
  snprintf(cfg.entries[1], sizeof cfg.entries[1], "b");
  for (int gate = 1; gate >= 0; gate--) {
    cfg.limits.max_gate = (uint32_t)gate;
    gf_search s;
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(gf_search_open(&s, &cfg, dir, "", devnull, &err), 0);
    fclose(devnull);
    gf_prng p;
    gf_prng_seed(&p, 1);
    for (int i = 0; i < 4; i++) {
      gf_case k;
      gf_search_next(&s, &p, &k);
      assert_string_equal(k.entry, i < 2 ? "a" : "b");
      if (i % 2 == 0) {
        assert_int_equal(k.f[GF_F_GATE], 0);
        assert_int_equal(k.nsteps, 0);
        continue;
      }
      assert_int_equal(k.f[GF_F_GATE], (uint32_t)gate);
      assert_int_equal(k.nsteps, 2);
      assert_int_equal(k.steps[0].op, GF_OP_GC);
      assert_int_equal(k.steps[0].arg, 2); /* full */
      assert_int_equal(k.steps[1].op, GF_OP_IMMEDIATE);
    }
    gf_search_free(&s);
  }
  rm_tree(dir);
}

/* A seed run as it is (any id; a forced entry in place of its own) that
 * reaches new features holds them itself: no copy joins the corpus (a
 * resumed soak's copy was the same line as its first session's, one file
 * and two corpus entries). A child with new features is kept. */
static void a_seed_holds_its_own_features(void **state) {
  (void)state;
  char dir[] = "/tmp/gcfuzz-search-XXXXXX";
  gf_config cfg;
  gf_search s;
  gf_case seeds[2] = {demo_case("a"), demo_case("b")}, k;
  seeds[1].f[GF_F_GATE] = 1;
  open_search(&s, &cfg, seeds, 2, dir);
  FILE *devnull = fopen("/dev/null", "w");
  cJSON *r1 = cJSON_Parse("{\"window\":{\"inflight_at_gc\":2}}");
  cJSON *r2 = cJSON_Parse("{\"window\":{\"inflight_at_gc\":9}}");
  gf_prng p;
  gf_prng_seed(&p, 1);
  gf_search_next(&s, &p, &k);
  snprintf(k.id, sizeof k.id, "g1");
  snprintf(k.entry, sizeof k.entry, "forced");
  gf_search_clean(&s, &k, r1, 1000, devnull);
  assert_int_equal(s.corpus.n, 2);
  long held = -1; /* the seed holds what it reached */
  for (uint32_t i = 0; i < GF_FEATURE_MAP && held < 0; i++)
    if (s.fav->top[i]) held = (long)s.fav->top[i] - 1;
  assert_int_equal(held, 0);
  gf_search_next(&s, &p, &k); /* the second seed */
  gf_search_next(&s, &p, &k); /* a child */
  k.f[GF_F_DELAY_US] = 12345; /* surely not a seed */
  gf_search_clean(&s, &k, r2, 1000, devnull);
  assert_int_equal(s.corpus.n, 3);
  cJSON_Delete(r1);
  cJSON_Delete(r2);
  fclose(devnull);
  gf_search_free(&s);
  rm_tree(dir);
}

/* A clean run that is a near miss with a new feature makes the next case
 * its first widening child (gf_widen.h), the others following within
 * their share of the time; a run that is no near miss, or one whose
 * features are all known, queues none. */
static void a_new_near_miss_is_widened_next(void **state) {
  (void)state;
  char dir[] = "/tmp/gcfuzz-search-XXXXXX";
  gf_config cfg;
  gf_search s;
  gf_case seed = demo_case("a"), k;
  open_search(&s, &cfg, &seed, 1, dir);
  FILE *devnull = fopen("/dev/null", "w");
  cJSON *plain = cJSON_Parse("{\"window\":{\"inflight_at_gc\":2}}");
  cJSON *near = cJSON_Parse("{\"window\":{\"inflight_at_gc\":2,\"inflight_at_partial_gc\":1}}");
  gf_prng p;
  gf_prng_seed(&p, 1);
  gf_search_next(&s, &p, &k); /* the seed */
  gf_case child = seed;
  child.f[GF_F_ELEMS] = 3;
  gf_search_clean(&s, &child, plain, 1000, devnull);
  assert_int_equal(s.widen->n, 0); /* new features, but no near miss */
  gf_search_clean(&s, &child, near, 1000, devnull);
  assert_int_equal(s.widen->n, GF_WIDEN_CHILDREN);
  gf_search_clean(&s, &child, near, 1000, devnull); /* nothing new */
  assert_int_equal(s.widen->n, GF_WIDEN_CHILDREN);
  gf_search_next(&s, &p, &k);
  assert_int_equal(fields_changed(&k, &child), 1u << GF_F_DELAY_US);
  assert_int_equal(k.f[GF_F_DELAY_US], 2000);
  /* the others come within their share of the time: at most 1/GF_WIDEN_SHARE of
   * the bred cases' nominal time, one child over at the most */
  int cases = 1;
  while (s.widen->n > 0 && cases < 100000) {
    uint64_t before = s.widen->child_us;
    gf_search_next(&s, &p, &k);
    cases++;
    if (s.widen->child_us > before) /* a child: due before it ran */
      assert_true(before <= s.widen->bred_us / GF_WIDEN_SHARE);
  }
  assert_int_equal(s.widen->n, 0);
  assert_true(cases > GF_WIDEN_CHILDREN); /* bred cases came between */
  cJSON_Delete(plain);
  cJSON_Delete(near);
  fclose(devnull);
  gf_search_free(&s);
  rm_tree(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_seeds_run_first_as_they_are),
      cmocka_unit_test(without_seeds_each_entry_starts_gated_too),
      cmocka_unit_test(a_seed_holds_its_own_features),
      cmocka_unit_test(a_new_near_miss_is_widened_next),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

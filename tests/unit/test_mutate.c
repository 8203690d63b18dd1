/* test_mutate.c - the PRNG, the mutator and the corpus. */
#include "helpers.h"

#include "gf_corpus.h"
#include "gf_mutate.h"

static void load_seeds(gf_corpus *corpus, const gf_config *cfg) {
  gf_err err = {{0}};
  gf_corpus_init(corpus);
  FILE *devnull = fopen("/dev/null", "w");
  assert_true(gf_corpus_load_dir(corpus, "corpus/seeds", cfg, 1, 0, devnull, &err) >= 12);
  fclose(devnull);
}

/* n children of the seed corpus under one PRNG seed, as JSON lines. */
static char *stream(uint64_t seed, int n) {
  gf_config cfg;
  gf_corpus corpus;
  gf_prng p;
  gf_config_default(&cfg, ".");
  load_seeds(&corpus, &cfg);
  gf_prng_seed(&p, seed);
  size_t cap = 1 << 20, len = 0;
  char *out = calloc(1, cap);
  for (int i = 0; i < n; i++) {
    gf_case c = *gf_corpus_pick(&corpus, &p);
    gf_mutate(&c, &cfg, &p);
    char *line = gf_case_to_line(&c);
    size_t l = strlen(line);
    if (len + l + 2 >= cap) out = realloc(out, cap *= 2);
    memcpy(out + len, line, l);
    len += l;
    out[len++] = '\n';
    out[len] = '\0';
    free(line);
  }
  gf_corpus_free(&corpus);
  return out;
}

static void same_seed_same_stream(void **state) {
  (void)state;
  char *a = stream(42, 500), *b = stream(42, 500), *c = stream(43, 500);
  assert_string_equal(a, b);
  assert_string_not_equal(a, c);
  free(a);
  free(b);
  free(c);
}

/* 20000 mutations never leave the config's limits or the format's ranges,
 * and every move is exercised (each field changes at least once). */
static void mutations_stay_in_bounds(void **state) {
  (void)state;
  gf_config cfg;
  gf_corpus corpus;
  gf_prng p;
  gf_config_default(&cfg, ".");
  load_seeds(&corpus, &cfg);
  gf_prng_seed(&p, 7);
  int changed[GF_F__COUNT] = {0}, fewer_steps = 0, more_steps = 0, changed_steps = 0;
  for (int i = 0; i < 20000; i++) {
    const gf_case *parent = gf_corpus_pick(&corpus, &p);
    gf_case c = *parent;
    gf_mutate(&c, &cfg, &p);
    assert_true(c.f[GF_F_ELEMS] <= cfg.limits.max_elems);
    assert_true(c.f[GF_F_ELEM_LEN] <= cfg.limits.max_elem_len);
    assert_true(c.f[GF_F_DELAY_US] <= cfg.limits.max_delay_us);
    assert_true(c.f[GF_F_CONCURRENCY] >= 1 && c.f[GF_F_CONCURRENCY] <= cfg.limits.max_concurrency);
    assert_true(gf_case_total_doubles(&c) <= cfg.limits.max_total_doubles);
    assert_true(c.f[GF_F_SHARED] <= c.f[GF_F_ELEMS] && c.f[GF_F_DUPS] <= c.f[GF_F_ELEMS]);
    assert_true(c.f[GF_F_STAGGER] <= cfg.limits.max_stagger);
    assert_true(c.f[GF_F_GATE] <= 1 && c.f[GF_F_LEN_MIX] <= 1);
    assert_true(c.nsteps <= cfg.limits.max_steps);
    for (uint32_t s = 0; s < c.nsteps; s++) {
      const gf_step_spec *sp = &gf_step_specs[c.steps[s].op];
      assert_true(c.steps[s].op < GF_OP__COUNT);
      assert_true(c.steps[s].arg >= sp->lo && c.steps[s].arg <= sp->hi);
    }
    /* The serialised child must pass the strict parser. */
    char *line = gf_case_to_line(&c);
    gf_case back;
    gf_err err = {{0}};
    if (gf_case_parse(&back, line, &err) != 0) fail_msg("%s: %s", line, err.msg);
    free(line);
    for (int f = 0; f < GF_F__COUNT; f++) changed[f] += c.f[f] != parent->f[f];
    fewer_steps += c.nsteps < parent->nsteps;
    more_steps += c.nsteps > parent->nsteps;
    changed_steps += c.nsteps == parent->nsteps &&
                     memcmp(c.steps, parent->steps, c.nsteps * sizeof c.steps[0]) != 0;
  }
  for (int f = 0; f < GF_F__COUNT; f++) {
    if (f == GF_F_KEEP) /* a case that keeps its inputs finds nothing: warm-ups only */
      assert_int_equal(changed[f], 0);
    else
      assert_true(changed[f] > 100);
  }
  assert_true(fewer_steps > 100 && more_steps > 100 && changed_steps > 100);
  gf_corpus_free(&corpus);
}

/* Crash cases carry crash_bias weight: with 1 crash case (weight 4) among
 * 4 seeds (weight 1 each), it is picked half the time. 40000 draws: the
 * rate lies within 0.5 +- 0.02 (more than 8 standard deviations). */
static void crash_cases_are_picked_more(void **state) {
  (void)state;
  gf_corpus corpus;
  gf_prng p;
  gf_case c;
  gf_corpus_init(&corpus);
  gf_case_default(&c);
  for (int i = 0; i < 4; i++) gf_corpus_add(&corpus, &c, 1, 0);
  strcpy(c.id, "crash");
  gf_corpus_add(&corpus, &c, 4, 1);
  gf_prng_seed(&p, 1);
  int hits = 0;
  for (int i = 0; i < 40000; i++) hits += strcmp(gf_corpus_pick(&corpus, &p)->id, "crash") == 0;
  assert_in_range(hits, 19200, 20800);
  gf_corpus_free(&corpus);
}

/* Bad files are skipped with a line naming file and reason; files load in
 * sorted order whatever readdir says. */
static void corpus_skips_bad_files(void **state) {
  (void)state;
  char dir[PATH_MAX], logbuf[4096] = "";
  temp_dir(dir, sizeof dir);
  write_text(dir, "b.json", "{\"id\":\"second\"}");
  write_text(dir, "a.json", "{\"id\":\"first\"}");
  write_text(dir, "c.json", "{\"elems\": -4}");
  write_text(dir, "d.json", "not json at all");
  write_text(dir, "e.json", "{\"entry\":\"sum_unknown\"}");
  write_text(dir, "f.txt", "ignored: not .json");
  gf_config cfg;
  gf_corpus corpus;
  gf_err err = {{0}};
  gf_config_default(&cfg, ".");
  gf_corpus_init(&corpus);
  FILE *log = fmemopen(logbuf, sizeof logbuf, "w");
  assert_int_equal(gf_corpus_load_dir(&corpus, dir, &cfg, 1, 0, log, &err), 2);
  fclose(log);
  assert_string_equal(corpus.v[0].c.id, "first");
  assert_string_equal(corpus.v[1].c.id, "second");
  assert_non_null(strstr(logbuf, "c.json: elems: must be an integer"));
  assert_non_null(strstr(logbuf, "d.json: not valid JSON"));
  assert_non_null(strstr(logbuf, "e.json: entry: 'sum_unknown' is not one of"));
  assert_int_equal(gf_corpus_load_dir(&corpus, "/nonexistent-dir", &cfg, 1, 0, stderr, &err), -1);
  gf_corpus_free(&corpus);
}

static void mutator_uses_only_allowed_ops(void **state) {
  (void)state;
  gf_config cfg;
  gf_prng p;
  gf_case c;
  gf_config_default(&cfg, ".");
  cfg.limits.gc_ops = 1u << GF_OP_ALLOC_KB;
  cfg.limits.max_gate = 0; /* and no gate either */
  gf_prng_seed(&p, 3);
  for (int i = 0; i < 2000; i++) {
    gf_case_default(&c);
    gf_mutate(&c, &cfg, &p);
    for (uint32_t s = 0; s < c.nsteps; s++) assert_int_equal(c.steps[s].op, GF_OP_ALLOC_KB);
    assert_int_equal(c.f[GF_F_GATE], 0);
  }
}

/* Splice: every field from one parent or the other, the schedule a prefix
 * of one and a suffix of the other; over many children both parents give. */
static void splice_crosses_two_parents(void **state) {
  (void)state;
  gf_config cfg;
  gf_prng p;
  gf_case a, b, c;
  gf_config_default(&cfg, ".");
  gf_prng_seed(&p, 11);
  gf_case_default(&a);
  gf_case_default(&b);
  a.f[GF_F_ELEMS] = 10, b.f[GF_F_ELEMS] = 20;
  a.f[GF_F_SEED] = 1, b.f[GF_F_SEED] = 2;
  a.nsteps = 2, a.steps[0] = (gf_step){GF_OP_GC, 0}, a.steps[1] = (gf_step){GF_OP_GC, 1};
  b.nsteps = 2, b.steps[0] = (gf_step){GF_OP_IMMEDIATE, 3}, b.steps[1] = (gf_step){GF_OP_SLEEP_MS, 4};
  int from_b = 0, mixed_steps = 0;
  for (int i = 0; i < 1000; i++) {
    c = a;
    gf_splice(&c, &b, &cfg, &p);
    assert_true(c.f[GF_F_ELEMS] == 10 || c.f[GF_F_ELEMS] == 20);
    assert_true(c.f[GF_F_SEED] == 1 || c.f[GF_F_SEED] == 2);
    from_b += c.f[GF_F_SEED] == 2;
    uint32_t s = 0; /* a's steps, then b's, never interleaved */
    while (s < c.nsteps && c.steps[s].op == GF_OP_GC) assert_int_equal(c.steps[s].arg, s), s++;
    int got_b = s < c.nsteps;
    for (; s < c.nsteps; s++) assert_true(c.steps[s].op != GF_OP_GC);
    mixed_steps += got_b && c.steps[0].op == GF_OP_GC;
  }
  assert_in_range(from_b, 400, 600);
  assert_true(mixed_steps > 100);
}

/* Havoc stacking: children land several moves away now and then. */
static void stacked_moves_reach_far(void **state) {
  (void)state;
  gf_config cfg;
  gf_prng p;
  gf_case c, parent;
  gf_config_default(&cfg, ".");
  gf_prng_seed(&p, 5);
  gf_case_default(&parent);
  int far = 0;
  for (int i = 0; i < 2000; i++) {
    c = parent;
    gf_mutate(&c, &cfg, &p);
    int diff = (int)c.nsteps;
    for (int f = 0; f < GF_F__COUNT; f++) diff += c.f[f] != parent.f[f];
    far += diff >= 6;
  }
  assert_true(far > 20 && far < 1000);
}

static void prng_ranges(void **state) {
  (void)state;
  gf_prng p;
  gf_prng_seed(&p, 99);
  int low = 0;
  for (int i = 0; i < 10000; i++) {
    uint32_t v = gf_prng_log_range(&p, 0, 1000000);
    assert_true(v <= 1000000);
    low += v < 1000;
    uint32_t r = gf_prng_range(&p, 5, 9);
    assert_in_range(r, 5, 9);
  }
  /* log-uniform: values below 1000 take about half the draws. */
  assert_in_range(low, 4000, 6000);
}

/* Environment teardown costs a Worker's start: a child of a parent without
 * it gets it rarely (measured 1.3 %; asserted 0.5-3 % of 20000), both
 * modes, at a point within the schedule; a parent with it loses it, moves
 * it or switches mode. limits.max_teardown bounds the mode, 0 forbids it,
 * and a case without it has no point. */
static void teardown_is_rare_and_bounded(void **state) {
  (void)state;
  gf_config cfg;
  gf_prng p;
  gf_config_default(&cfg, ".");
  gf_prng_seed(&p, 11);
  int on = 0, modes[3] = {0}, off = 0, moved = 0;
  for (int i = 0; i < 20000; i++) {
    gf_case c;
    gf_case_default(&c);
    c.nsteps = 3;
    for (int s = 0; s < 3; s++) c.steps[s] = (gf_step){GF_OP_GC, 0};
    gf_mutate(&c, &cfg, &p);
    on += c.f[GF_F_TEARDOWN] != 0;
    modes[c.f[GF_F_TEARDOWN]]++;
    assert_true(c.f[GF_F_TEARDOWN_AT] <= (c.f[GF_F_TEARDOWN] ? c.nsteps : 0));
    gf_case t;
    gf_case_default(&t);
    t.f[GF_F_TEARDOWN] = 2;
    t.f[GF_F_TEARDOWN_AT] = 1;
    t.nsteps = 3;
    for (int s = 0; s < 3; s++) t.steps[s] = (gf_step){GF_OP_GC, 0};
    gf_mutate(&t, &cfg, &p);
    off += t.f[GF_F_TEARDOWN] == 0;
    moved += t.f[GF_F_TEARDOWN] && (t.f[GF_F_TEARDOWN] != 2 || t.f[GF_F_TEARDOWN_AT] != 1);
  }
  assert_in_range(on, 100, 600);
  assert_true(modes[1] > 50 && modes[2] > 50);
  assert_true(off > 50 && moved > 50);
  cfg.limits.max_teardown = 1;
  for (int i = 0; i < 20000; i++) {
    gf_case c;
    gf_case_default(&c);
    c.f[GF_F_TEARDOWN] = 2; /* a seed above the limit is clamped */
    gf_mutate(&c, &cfg, &p);
    assert_true(c.f[GF_F_TEARDOWN] <= 1);
    assert_true(c.f[GF_F_TEARDOWN_AT] <= (c.f[GF_F_TEARDOWN] ? c.nsteps : 0));
  }
  cfg.limits.max_teardown = 0;
  for (int i = 0; i < 20000; i++) {
    gf_case c;
    gf_case_default(&c);
    gf_mutate(&c, &cfg, &p);
    assert_int_equal(c.f[GF_F_TEARDOWN], 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_seed_same_stream),
      cmocka_unit_test(mutations_stay_in_bounds),
      cmocka_unit_test(crash_cases_are_picked_more),
      cmocka_unit_test(corpus_skips_bad_files),
      cmocka_unit_test(mutator_uses_only_allowed_ops),
      cmocka_unit_test(prng_ranges),
      cmocka_unit_test(splice_crosses_two_parents),
      cmocka_unit_test(stacked_moves_reach_far),
      cmocka_unit_test(teardown_is_rare_and_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_widen.c - the deterministic stage of a new near miss. */
#include "helpers.h"

#include "gf_widen.h"

/* The default config, an empty queue, and the near miss to widen. */
static gf_case start(gf_config *cfg, gf_widen *w) {
  gf_config_default(cfg, ".");
  gf_widen_init(w);
  return demo_case("n1");
}

/* Each child widens one direction (the last all at once), within the
 * limits, its schedule the parent's; they come out in order. */
static void children_widen_one_direction_each(void **state) {
  (void)state;
  gf_config cfg;
  gf_widen w;
  gf_case c = start(&cfg, &w), k;
  assert_int_equal(gf_widen_push(&w, &c, &cfg), GF_WIDEN_CHILDREN);
  const uint32_t delays[] = {2000, 8000, 32000};
  for (int i = 0; i < 3; i++) {
    assert_true(gf_widen_pop(&w, &k));
    assert_int_equal(fields_changed(&k, &c), 1u << GF_F_DELAY_US);
    assert_int_equal(k.f[GF_F_DELAY_US], delays[i]); /* 100 µs x 4 is under the floor */
    assert_int_equal(k.nsteps, 2);
    assert_int_equal(k.steps[1].op, GF_OP_GC);
  }
  assert_true(gf_widen_pop(&w, &k));
  assert_int_equal(k.f[GF_F_CONCURRENCY], cfg.threadpool_size + 1);
  assert_true(gf_widen_pop(&w, &k));
  assert_int_equal(k.f[GF_F_CONCURRENCY], cfg.limits.max_concurrency);
  assert_true(gf_widen_pop(&w, &k));
  assert_int_equal(fields_changed(&k, &c), 1u << GF_F_SHARED);
  assert_int_equal(k.f[GF_F_SHARED], 4);
  assert_true(gf_widen_pop(&w, &k));
  assert_int_equal(fields_changed(&k, &c), 1u << GF_F_STAGGER);
  assert_true(gf_widen_pop(&w, &k));
  assert_int_equal(fields_changed(&k, &c), (1u << GF_F_DELAY_US) | (1u << GF_F_CONCURRENCY) | (1u << GF_F_SHARED));
  assert_int_equal(k.f[GF_F_SHARED], 1);
  assert_false(gf_widen_pop(&w, &k));
}

/* A child that clamping leaves equal to its parent is not queued: at the
 * delay and concurrency limits, every input shared and staggered, only the
 * over-the-pool child (fewer calls than the limit) is left. */
static void no_child_equal_to_its_parent(void **state) {
  (void)state;
  gf_config cfg;
  gf_widen w;
  gf_case c = start(&cfg, &w), k;
  c.f[GF_F_DELAY_US] = cfg.limits.max_delay_us;
  c.f[GF_F_CONCURRENCY] = cfg.limits.max_concurrency;
  c.f[GF_F_SHARED] = c.f[GF_F_ELEMS];
  c.f[GF_F_STAGGER] = 2;
  assert_int_equal(gf_widen_push(&w, &c, &cfg), 1);
  assert_true(gf_widen_pop(&w, &k));
  assert_int_equal(k.f[GF_F_CONCURRENCY], cfg.threadpool_size + 1);
  assert_false(gf_widen_pop(&w, &k));
}

/* The queue is bounded: five near misses queue 32 children, drop 8 (the
 * last ones), and the first out is the first near miss's first child. */
static void the_queue_is_bounded(void **state) {
  (void)state;
  gf_config cfg;
  gf_widen w;
  gf_case c = start(&cfg, &w), k;
  int queued = 0;
  for (int i = 0; i < 5; i++) queued += gf_widen_push(&w, &c, &cfg);
  assert_int_equal(queued, GF_WIDEN_QUEUE);
  assert_int_equal(w.dropped, 5 * GF_WIDEN_CHILDREN - GF_WIDEN_QUEUE);
  assert_true(gf_widen_pop(&w, &k));
  assert_int_equal(k.f[GF_F_DELAY_US], 2000);
  int left = 1;
  while (gf_widen_pop(&w, &k)) left++;
  assert_int_equal(left, GF_WIDEN_QUEUE);
}

/* A child is due while the children's nominal time is at most a share
 * (1/GF_WIDEN_SHARE) of the bred cases': at first (nothing spent), then
 * only after the bred cases have spent GF_WIDEN_SHARE times a child's. */
static void children_are_due_within_their_share(void **state) {
  (void)state;
  gf_config cfg;
  gf_widen w;
  gf_case c = start(&cfg, &w);
  assert_false(gf_widen_due(&w)); /* none queued */
  gf_widen_push(&w, &c, &cfg);
  assert_true(gf_widen_due(&w));
  gf_widen_spent(&w, 10000, 1);
  assert_false(gf_widen_due(&w));
  gf_widen_spent(&w, 10000 * GF_WIDEN_SHARE - 1, 0);
  assert_false(gf_widen_due(&w));
  gf_widen_spent(&w, 1, 0);
  assert_true(gf_widen_due(&w));
  gf_widen_spent(&w, UINT64_MAX, 0); /* saturates */
  assert_int_equal(w.bred_us, UINT64_MAX);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(children_widen_one_direction_each),
      cmocka_unit_test(no_child_equal_to_its_parent),
      cmocka_unit_test(the_queue_is_bounded),
      cmocka_unit_test(children_are_due_within_their_share),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

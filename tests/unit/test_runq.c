/* test_runq.c - the one-shot pool's lanes (gf_runq.h): cheap runs first,
 * patience runs after the other slow runs, and while both sides wait each
 * gets a share of the pool's time, charged as runs end. */
#include "helpers.h"

#include "gf_runq.h"

static void push(gf_runq *q, gf_lane lane, int n) {
  for (int i = 0; i < n; i++) {
    gf_oneshot_job job = {.lane = lane};
    snprintf(job.c.id, sizeof job.c.id, "%c%d", "csp"[lane], i);
    assert_int_equal(gf_runq_push(q, &job), 0);
  }
}

/* Pops one run, charges it as a crash's (300 ms) or a hang's (1000 ms),
 * and returns its lane's letter. */
static char run(gf_runq *q) {
  gf_oneshot_job job;
  assert_true(gf_runq_pop(q, &job));
  gf_runq_charge(q, job.lane, job.lane == GF_LANE_CHEAP ? 300 : 1000);
  return job.c.id[0];
}

static void cheap_first_patience_last_a_share_each(void **state) {
  (void)state;
  gf_runq q;
  memset(&q, 0, sizeof q);
  push(&q, GF_LANE_PATIENCE, 1);
  push(&q, GF_LANE_SLOW, 2);
  push(&q, GF_LANE_CHEAP, 8);
  assert_int_equal(gf_runq_len(&q), 11);
  /* a hang's run costs 1000 ms, a crash's 300: after each hang run, the
   * crashes get as much time before the next one */
  char got[16] = "";
  for (int i = 0; i < 11; i++) got[i] = run(&q);
  /* c (0 <= 0), s (300 > 0), c c c c (to 1500 > 1000), s, c c c (2400 > 2000: none left
   * but one), then the patience run once the other slow runs are done */
  assert_string_equal(got, "cscccscccpc");
  assert_int_equal(gf_runq_len(&q), 0);
  gf_oneshot_job none;
  assert_false(gf_runq_pop(&q, &none));
  gf_runq_free(&q);
}

/* A side that ran alone is not in debt for it: after 100 crash runs with
 * nothing else waiting, a hang waits for one of them at most (the last,
 * charged after its pop: here it goes first), not for 30 s of them. */
static void running_alone_is_no_debt(void **state) {
  (void)state;
  gf_runq q;
  memset(&q, 0, sizeof q);
  for (int i = 0; i < 100; i++) {
    push(&q, GF_LANE_CHEAP, 1);
    assert_int_equal(run(&q), 'c');
  }
  push(&q, GF_LANE_CHEAP, 2);
  push(&q, GF_LANE_SLOW, 2);
  char got[5] = "";
  for (int i = 0; i < 4; i++) got[i] = run(&q);
  assert_string_equal(got, "sccs");
  gf_runq_free(&q);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cheap_first_patience_last_a_share_each),
      cmocka_unit_test(running_alone_is_no_debt),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

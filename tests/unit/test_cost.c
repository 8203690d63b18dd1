/* test_cost.c - the nominal duration of a case, what it learns, the cap. */
#include "helpers.h"

#include "gf_cost.h"

static gf_case plain(uint32_t conc, uint32_t elems, uint32_t len, uint32_t delay_us) {
  gf_case c;
  gf_case_default(&c);
  c.nsteps = 0;
  c.f[GF_F_CONCURRENCY] = conc;
  c.f[GF_F_ELEMS] = elems;
  c.f[GF_F_ELEM_LEN] = len;
  c.f[GF_F_DELAY_US] = delay_us;
  return c;
}

/* What a case implies before anything is learned: calls in waves of the
 * pool's threads, each its delay; sleeps; a full GC's 16 ms. */
static void by_construction(void **state) {
  (void)state;
  gf_cost m;
  gf_cost_init(&m, 4);
  gf_case c = plain(8, 4, 4, 50000); /* 2 waves of 50 ms */
  assert_int_equal(gf_cost_nominal_us(&m, &c), 100000);
  c.f[GF_F_CONCURRENCY] = 9; /* 3 waves */
  assert_int_equal(gf_cost_nominal_us(&m, &c), 150000);
  c.steps[c.nsteps++] = (gf_step){GF_OP_SLEEP_MS, 20};
  c.steps[c.nsteps++] = (gf_step){GF_OP_GC, 2};
  assert_int_equal(gf_cost_nominal_us(&m, &c), 150000 + 20000 + 16000);
}

/* Runs whose time is 2 ms plus 10 µs per input unit (an input of length
 * 256 counts 2): the line is learned, and a case 100 times bigger than any
 * run is predicted within 5 %. */
static void learns_the_target(void **state) {
  (void)state;
  gf_cost m;
  gf_cost_init(&m, 4);
  for (uint32_t i = 1; i <= 100; i++) {
    gf_case c = plain(1 + i % 4, 1 + i % 16, 256, 0);
    double units = (double)c.f[GF_F_CONCURRENCY] * c.f[GF_F_ELEMS] * 2;
    gf_cost_learn(&m, &c, (uint64_t)(2000 + 10 * units));
  }
  gf_case big = plain(8, 1000, 256, 0); /* 16 000 units: 162 ms */
  double want = 2000 + 10 * 16000.0, got = (double)gf_cost_nominal_us(&m, &big);
  assert_true(got > want * 0.95 && got < want * 1.05);
}

/* The cap: a case of minutes by construction shrinks under it, costliest
 * term first; one under it is left alone. */
static void the_cap(void **state) {
  (void)state;
  gf_cost m;
  gf_cost_init(&m, 4);
  gf_case c = plain(8, 2000, 65536, 10000000); /* 2 waves of 10 s */
  for (int i = 0; i < 8; i++) c.steps[c.nsteps++] = (gf_step){GF_OP_SLEEP_MS, 10000};
  c.steps[c.nsteps++] = (gf_step){GF_OP_GC, 2};
  assert_true(gf_cost_nominal_us(&m, &c) > 90000000);
  assert_true(gf_cost_cap(&m, &c, 2500000) > 0);
  assert_true(gf_cost_nominal_us(&m, &c) <= 2500000);
  assert_true(c.f[GF_F_DELAY_US] > 0); /* both terms shrank, not one to nothing */
  gf_case small = plain(1, 4, 4, 1000), before = small;
  assert_int_equal(gf_cost_cap(&m, &small, 2500000), 0);
  assert_memory_equal(&small, &before, sizeof small);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(by_construction),
      cmocka_unit_test(learns_the_target),
      cmocka_unit_test(the_cap),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

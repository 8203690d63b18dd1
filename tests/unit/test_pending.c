/* test_pending.c - a better reproducer replaces a bucket's poor first case
 * (gf_pending.h). The pool has no slots, so its runs stay queued and the
 * test plays their outcomes: deterministic, no process. */
#include "helpers.h"

#include "gf_bugs.h"
#include "gf_json.h"
#include "gf_pending.h"

typedef struct pending_fx {
  char dir[PATH_MAX];
  gf_store store;
  gf_config cfg;
  gf_oneshot pool;
  gf_pending p;
  gf_finding f;
} pending_fx;

static gf_case case_named(const char *id, int elems) {
  gf_case c;
  gf_case_default(&c);
  gf_strlcpy(c.entry, "sum_borrowed", sizeof c.entry);
  gf_strlcpy(c.id, id, sizeof c.id);
  c.f[GF_F_ELEMS] = elems;
  return c;
}

/* A bucket opened by case "first", confirmed 0/2 fresh and 1/2 warm. */
static int setup(void **state) {
  pending_fx *x = calloc(1, sizeof *x);
  gf_err err = {{0}};
  temp_dir(x->dir, sizeof x->dir);
  assert_int_equal(gf_store_open(&x->store, x->dir, GF_STORE_WRITE, &err), 0);
  gf_config_default(&x->cfg, "/p");
  x->cfg.confirm_runs = 2;
  x->f = segv_finding("sum_borrowed");
  gf_case first = case_named("first", 1);
  gf_run_meta m = {"v20.0.0", "release", "gcfuzz replay", NULL, "/usr/bin/node", "none"};
  int is_new;
  gf_bucket *b = gf_store_add(&x->store, &x->f, &first, "tail", &m, &is_new, &err);
  assert_int_equal(gf_store_set_warm(&x->store, b, 2, 1, &err), 0);
  assert_int_equal(gf_store_set_repro(&x->store, b, 2, 0, &err), 0);
  gf_pending_init(&x->p, &x->store, &x->pool, &x->cfg, 0);
  *state = x;
  return 0;
}

static int teardown(void **state) {
  pending_fx *x = *state;
  gf_pending_free(&x->p);
  gf_runq_free(&x->pool.queue);
  gf_store_close(&x->store);
  free(x);
  return 0;
}

/* Takes every queued run off the pool, in the order it would start them. */
static unsigned drain(pending_fx *x, gf_oneshot_job **jobs) {
  unsigned n = (unsigned)gf_oneshot_queued(&x->pool);
  *jobs = calloc(n ? n : 1, sizeof **jobs);
  for (unsigned i = 0; i < n; i++) assert_true(gf_oneshot_take(&x->pool, &(*jobs)[i]));
  return n;
}

/* Plays every queued run: a hit (the bucket's finding) when hit says so. */
static unsigned play_runs(pending_fx *x, int (*hit)(int warm)) {
  gf_oneshot_job *jobs;
  unsigned n = drain(x, &jobs);
  for (unsigned i = 0; i < n; i++) {
    x->pool.last_warm = jobs[i].warm;
    int found = hit(jobs[i].warm);
    gf_pending_on_run(&x->p, jobs[i].data, found, found ? &x->f : NULL);
  }
  free(jobs);
  return n;
}

static int always(int warm) { (void)warm; return 1; }
static int never(int warm) { (void)warm; return 0; }

static const char *record_case_id(pending_fx *x) {
  const cJSON *c = cJSON_GetObjectItem(record_of(&x->store, x->f.hash), "case");
  return cJSON_GetObjectItem(c, "id")->valuestring;
}

static double record_count(pending_fx *x, const char *rate, const char *key) {
  const cJSON *r = record_of(&x->store, x->f.hash);
  return gf_json_count(rate ? cJSON_GetObjectItem(r, rate) : r, key);
}

static void a_case_that_reproduces_more_often_replaces_the_first(void **state) {
  pending_fx *x = *state;
  gf_case better = case_named("better", 4);
  gf_pending_occurrence(&x->p, gf_store_find(&x->store, x->f.hash), &better, 0);
  assert_int_equal(record_count(x, NULL, "case_tries"), 1); /* counted when it starts */
  assert_int_equal(play_runs(x, always), 4);                  /* 2 fresh + 2 warm */
  assert_string_equal(record_case_id(x), "better");
  assert_int_equal(record_count(x, "reproducibility", "reproduced"), 2);
  assert_int_equal(record_count(x, "reproducibility_warm", "reproduced"), 2);
  /* Now it reproduces every time: no more candidates. */
  gf_case another = case_named("another", 2);
  gf_pending_occurrence(&x->p, gf_store_find(&x->store, x->f.hash), &another, 0);
  assert_int_equal(play_runs(x, always), 0);
  assert_string_equal(record_case_id(x), "better");
  /* The event says which case it was and at what rates. */
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/events.jsonl", x->dir);
  gf_err err = {{0}};
  char *ev = gf_read_file(path, 1 << 20, NULL, &err);
  assert_non_null(strstr(ev, "\"event\":\"better_case\",\"hash\":\""));
  assert_non_null(strstr(ev, "\"case_id\":\"better\""));
  free(ev);
}

static void a_worse_case_does_not_and_tries_are_bounded(void **state) {
  pending_fx *x = *state;
  for (int i = 0; i < GF_CASE_TRIES + 2; i++) {
    gf_case worse = case_named("worse", 2);
    gf_pending_occurrence(&x->p, gf_store_find(&x->store, x->f.hash), &worse, 0);
    unsigned runs = play_runs(x, never);
    assert_int_equal(runs, i < GF_CASE_TRIES ? 4 : 0);
  }
  assert_string_equal(record_case_id(x), "first");
  assert_int_equal(record_count(x, NULL, "case_tries"), GF_CASE_TRIES);
  assert_int_equal(record_count(x, "reproducibility_warm", "reproduced"), 1); /* unchanged */
}

static void one_candidate_per_bucket_at_a_time(void **state) {
  pending_fx *x = *state;
  gf_case a = case_named("a", 2), b = case_named("b", 3);
  gf_pending_occurrence(&x->p, gf_store_find(&x->store, x->f.hash), &a, 0);
  gf_pending_occurrence(&x->p, gf_store_find(&x->store, x->f.hash), &b, 0);
  assert_int_equal(play_runs(x, always), 4); /* a's runs only */
  assert_string_equal(record_case_id(x), "a");
}

/* A timeout's patience run (the one job with its own timeout) ends - here
 * with another failure, a wrong result - and the case timed out only in
 * its fresh runs (its warm runs never reached it: the warm-ups ran past the
 * limit too), so it is slow, not hung. */
static void a_timeout_that_ends_given_time_is_a_slow_case(void **state) {
  pending_fx *x = *state;
  gf_err err = {{0}};
  gf_finding hang = hang_finding("sum_borrowed"), wrong = outcome_finding("sum_borrowed", "mismatch");
  gf_case c = case_named("slow", 1);
  gf_run_meta m = {"v20.0.0", "release", "gcfuzz replay", NULL, "/usr/bin/node", "none"};
  int is_new;
  gf_bucket *b = gf_store_add(&x->store, &hang, &c, "tail", &m, &is_new, &err);
  gf_pending_new_bucket(&x->p, b, 0);
  unsigned n = 0, patient = 0;
  gf_oneshot_job job;
  while (gf_oneshot_take(&x->pool, &job)) { /* the probes are queued after the rates */
    x->pool.last_warm = job.warm;
    patient += job.timeout_ms != 0;
    n++;
    assert_true(job.timeout_ms == 0 || job.timeout_ms == GF_PATIENCE * x->cfg.timeout_ms);
    gf_pending_on_run(&x->p, job.data, job.warm ? -1 : 1, job.timeout_ms ? &wrong : &hang);
  }
  assert_int_equal(n, 2 + 2 + 2 + 1); /* fresh, warm, control, patience */
  assert_int_equal(patient, 1);
  b = gf_store_find(&x->store, hang.hash);
  const cJSON *pat = cJSON_GetObjectItem(record_of(&x->store, b->hash), "patience");
  assert_int_equal(gf_json_count(pat, "finished"), 1);
  assert_int_equal(gf_json_count(pat, "hangs"), 2); /* of 5: the fresh ones */
  assert_true(gf_bug_slow(b));
}

static void open_bucket(pending_fx *x, const gf_finding *f, const char *id, const char *entry) {
  gf_err err = {{0}};
  gf_case c = case_named(id, 1);
  gf_strlcpy(c.entry, entry, sizeof c.entry);
  gf_run_meta m = {"v20.0.0", "release", "gcfuzz replay", NULL, "/usr/bin/node", "none"};
  int is_new;
  gf_bucket *b = gf_store_add(&x->store, f, &c, "tail", &m, &is_new, &err);
  gf_pending_new_bucket(&x->p, b, 0);
}

/* Issue 25: hangs starved confirmation (a 90 s ci night confirmed none of
 * three other buckets). A crash found after a hang is confirmed first -
 * its fresh, warm and control runs all before the hang's, though the hang
 * was queued first - the hang's patience run comes last, and a second
 * hang waits for the first: it never takes the slot cheap buckets need.
 * Each run is played as it would start (no time is charged here: the
 * shares are gf_runq's, test_runq). */
static void hangs_do_not_starve_the_other_buckets(void **state) {
  pending_fx *x = *state;
  gf_finding h1 = hang_finding("sum_typed"), h2 = hang_finding("sum_borrowed");
  gf_finding crash = located_finding("sum_typed", "gf_views_sum");
  open_bucket(x, &h1, "h1", "sum_typed");
  open_bucket(x, &h2, "h2", "sum_borrowed");
  open_bucket(x, &crash, "crash", "sum_typed");
  char order[64] = "";
  gf_oneshot_job job;
  while (gf_oneshot_take(&x->pool, &job) && strlen(order) < sizeof order - 1) {
    const char *id = job.c.id;
    int hit = strcmp(id, "crash") == 0;
    strcat(order, job.timeout_ms ? "P" : hit ? "c" : strcmp(id, "h1") == 0 ? "1" : "2");
    x->pool.last_warm = job.warm;
    const gf_finding *f = hit ? &crash : strcmp(id, "h1") == 0 ? &h1 : &h2;
    gf_pending_on_run(&x->p, job.data, job.c.f[GF_F_KEEP] ? 0 : 1, f);
  }
  /* crash: 2 fresh + 2 warm + 2 control; each hang: 2 + 2 + 2, then its patience */
  assert_string_equal(order, "cccccc111111P222222P");
  assert_int_equal(gf_json_count(cJSON_GetObjectItem(record_of(&x->store, crash.hash),
                                                     "reproducibility"), "reproduced"), 2);
}

/* The case of the next queued run (into c), and how many runs are queued. */
static unsigned queued_case(pending_fx *x, gf_case *c) {
  gf_oneshot_job *jobs;
  unsigned n = drain(x, &jobs);
  if (n) *c = jobs[0].c;
  for (unsigned i = 0; i < n; i++) gf_runq_push(&x->pool.queue, &jobs[i]); /* as they were */
  free(jobs);
  return n;
}

/* A kill during minimization does not undo its accepted moves: the best
 * case so far is in the record, and a new daemon goes on from it (its
 * first runs are a candidate of that case, not the original's baseline). */
static void minimization_goes_on_from_the_best_case_so_far(void **state) {
  pending_fx *x = *state;
  gf_err err = {{0}};
  x->cfg.minimize_new = 1;
  /* A bucket of its own whose case has much to shrink, confirmed 2/2. */
  x->f = located_finding("sum_borrowed", "gf_borrowed_sum");
  gf_case orig = case_named("big", 64), first, resumed;
  orig.f[GF_F_CONCURRENCY] = 4;
  gf_run_meta m = {"v20.0.0", "release", "gcfuzz replay", NULL, "/usr/bin/node", "none"};
  int is_new;
  gf_bucket *b = gf_store_add(&x->store, &x->f, &orig, "tail", &m, &is_new, &err);
  assert_int_equal(gf_store_set_repro(&x->store, b, 2, 2, &err), 0);
  gf_pending_resume(&x->p);                  /* reproduced, not minimized: minimize */
  assert_int_equal(play_runs(x, always), 2); /* the baseline: 2/2 */
  assert_int_equal(queued_case(x, &first), 2);
  assert_int_equal(play_runs(x, always), 2); /* the first candidate: accepted */
  const cJSON *prog = cJSON_GetObjectItem(record_of(&x->store, x->f.hash), "minimize_progress");
  assert_non_null(prog);
  gf_case saved;
  assert_int_equal(gf_case_from_json(&saved, cJSON_GetObjectItem(prog, "case"), &err), 0);
  assert_memory_equal(saved.f, first.f, sizeof saved.f);

  /* kill -9: the pending work and its queued runs are gone. */
  gf_pending_free(&x->p);
  gf_runq_clear(&x->pool.queue);
  gf_pending_init(&x->p, &x->store, &x->pool, &x->cfg, 0);
  gf_pending_resume(&x->p);
  assert_int_equal(queued_case(x, &resumed), 2);
  assert_memory_not_equal(resumed.f, orig.f, sizeof orig.f); /* not the baseline again */
  int kept = 0; /* the accepted move is kept in the next candidate */
  for (int i = 0; i < GF_F__COUNT; i++)
    kept += first.f[i] != orig.f[i] && resumed.f[i] == first.f[i];
  assert_int_equal(kept, 1);
  while (play_runs(x, always) > 0) {
  }
  const cJSON *r = record_of(&x->store, x->f.hash);
  assert_non_null(cJSON_GetObjectItem(r, "minimized_case"));
  assert_null(cJSON_GetObjectItem(r, "minimize_progress")); /* over */
}

/* Plays the first n queued runs as hits and drops the rest (a kill). */
static void play_first(pending_fx *x, unsigned n) {
  gf_oneshot_job *jobs;
  assert_true(drain(x, &jobs) >= n);
  for (unsigned i = 0; i < n; i++) {
    x->pool.last_warm = jobs[i].warm;
    gf_pending_on_run(&x->p, jobs[i].data, 1, &x->f);
  }
  free(jobs);
}

/* The rates are recorded as soon as the fresh and warm runs are done; a
 * kill before the control's runs leaves only those to do on resume. */
static void a_kill_before_the_control_leaves_only_the_control(void **state) {
  pending_fx *x = *state;
  gf_err err = {{0}};
  x->f = located_finding("sum_borrowed", "gf_borrowed_sum");
  gf_case c = case_named("new", 2);
  gf_run_meta m = {"v20.0.0", "release", "gcfuzz replay", NULL, "/usr/bin/node", "none"};
  int is_new;
  gf_bucket *b = gf_store_add(&x->store, &x->f, &c, "tail", &m, &is_new, &err);
  gf_pending_new_bucket(&x->p, b, 0);
  assert_int_equal(gf_oneshot_queued(&x->pool), 4); /* 2 fresh, 2 warm; the control once they are recorded */
  play_first(x, 4);
  assert_int_equal(gf_oneshot_queued(&x->pool), 2); /* the control's runs, queued now: then kill -9 */
  gf_runq_clear(&x->pool.queue);
  const cJSON *r = record_of(&x->store, x->f.hash);
  assert_int_equal(gf_json_count(cJSON_GetObjectItem(r, "reproducibility"), "reproduced"), 2);
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "probes_pending")));
  assert_null(cJSON_GetObjectItem(r, "control"));

  gf_pending_free(&x->p);
  gf_pending_init(&x->p, &x->store, &x->pool, &x->cfg, 0);
  gf_pending_resume(&x->p);
  gf_oneshot_job *jobs;
  assert_int_equal(drain(x, &jobs), 2); /* the control only */
  for (unsigned i = 0; i < 2; i++) {
    assert_int_equal(jobs[i].c.f[GF_F_KEEP], 1);
    assert_false(jobs[i].warm);
  }
  for (int i = 0; i < 2; i++) gf_pending_on_run(&x->p, jobs[i].data, 0, NULL); /* clean with keep */
  free(jobs);
  r = record_of(&x->store, x->f.hash);
  assert_int_equal(gf_json_count(cJSON_GetObjectItem(r, "control"), "runs"), 2);
  assert_int_equal(gf_json_count(cJSON_GetObjectItem(r, "control"), "failed"), 0);
  assert_null(cJSON_GetObjectItem(r, "probes_pending"));
  assert_int_equal(gf_json_count(cJSON_GetObjectItem(r, "reproducibility"), "runs"), 2); /* kept */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(a_case_that_reproduces_more_often_replaces_the_first, setup, teardown),
      cmocka_unit_test_setup_teardown(a_worse_case_does_not_and_tries_are_bounded, setup, teardown),
      cmocka_unit_test_setup_teardown(one_candidate_per_bucket_at_a_time, setup, teardown),
      cmocka_unit_test_setup_teardown(a_timeout_that_ends_given_time_is_a_slow_case, setup, teardown),
      cmocka_unit_test_setup_teardown(hangs_do_not_starve_the_other_buckets, setup, teardown),
      cmocka_unit_test_setup_teardown(minimization_goes_on_from_the_best_case_so_far, setup, teardown),
      cmocka_unit_test_setup_teardown(a_kill_before_the_control_leaves_only_the_control, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

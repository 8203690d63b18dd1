/* test_config.c - strict config loading: every error names its field. */
#include "helpers.h"

#include <sys/stat.h>

#include "gf_config.h"

/* Loads `json` from a temp file; returns gf_config_load's result. */
static int load(const char *json, gf_config *cfg, gf_err *err) {
  char dir[PATH_MAX], path[PATH_MAX + 16];
  temp_dir(dir, sizeof dir);
  write_text(dir, "c.json", json);
  snprintf(path, sizeof path, "%s/c.json", dir);
  return gf_config_load(cfg, path, "/root-of-project", err);
}

static void expect_error(const char *json, const char *needle) {
  gf_config cfg;
  gf_err err = {{0}};
  if (load(json, &cfg, &err) == 0) fail_msg("accepted: %s", json);
  if (strstr(err.msg, needle) == NULL) fail_msg("error '%s' lacks '%s'", err.msg, needle);
  assert_non_null(strstr(err.msg, "c.json: ")); /* names the file too */
}

static void rejects_bad_fields(void **state) {
  (void)state;
  expect_error("{\"wokers\": 2}", "wokers: unknown field");
  expect_error("{\"workers\": \"2\"}", "workers: must be an integer in [0, 256]");
  expect_error("{\"workers\": 1000}", "workers: must be an integer");
  expect_error("{\"timeout_ms\": 5}", "timeout_ms: must be an integer in [100,");
  expect_error("{\"node\": 7}", "node: must be a string");
  expect_error("{\"node_args\": \"--expose-gc\"}", "node_args: must be an array");
  expect_error("{\"node_args\": [1]}", "node_args[0]: must be a string");
  expect_error("{\"env\": {\"A\": 1}}", "env.A: must be a string");
  expect_error("{\"env\": []}", "env: must be an object");
  expect_error("{\"limits\": {\"max_elems\": 100001}}", "limits.max_elems: must be an integer");
  expect_error("{\"limits\": {\"max_elemz\": 1}}", "limits.max_elemz: unknown field");
  expect_error("{\"limits\": 3}", "limits: must be an object");
  expect_error("{\"control\": {\"max_s\": 0}}", "control.max_s: must be an integer");
  expect_error("{\"limits\": {\"gc_ops\": [\"gc\", \"nap\"]}}", "limits.gc_ops[1]: must be the name of a GC-schedule op");
  expect_error("{\"persistent\": 1}", "persistent: must be true or false");
  expect_error("{\"nodes\": \"node\"}", "nodes: must be an array");
  expect_error("{\"nodes\": [\"\"]}", "nodes[0]: must be a non-empty string");
  expect_error("{\"entry\": \"nope\"}", "entry: 'nope' is not in entries");
  expect_error("{\"entries\": [\"sum\"]}", "control.entry: 'sum_borrowed' is not in entries");
  expect_error("{\"workers\": 2", "not valid JSON");
  expect_error("[]", "config: must be a JSON object");
  expect_error("{\"sanitizer\": \"thread\"}", "sanitizer: must be one of");
  expect_error("{\"workers\": 1, \"workers\": 2}", "workers: duplicate key");
  expect_error("{\"limits\": {\"max_elems\": 1, \"max_elems\": 2}}", "limits.max_elems: duplicate key");
  expect_error("{\"env\": {\"A\": \"1\", \"A\": \"2\"}}", "env.A: duplicate key");
  expect_error("{\"threadpool_size\": 0}", "threadpool_size: must be an integer in [1, 1024]");
  expect_error("{\"target\": 3}", "target: must be a string");
  expect_error("{\"control\": {\"target\": 1}}", "control.target: must be a string");
  expect_error("{\"control\": {\"seedz\": \"x\"}}", "control.seedz: unknown field");
  expect_error("{\"control\": \"demo\"}", "control: must be an object or \"builtin\"");
  expect_error("{\"limits\": {\"max_gate\": 2}}", "limits.max_gate: must be an integer in [0, 1]");
  expect_error("{\"limits\": {\"max_teardown\": 3}}", "limits.max_teardown: must be an integer in [0, 2]");
  expect_error("{\"v8_flags\": [[\"--a\", \"--b\", \"--c\", \"--d\", \"--e\"]]}", "v8_flags[0]: must be an array of at most 4");
  expect_error("{\"v8_flags\": [[], [\"--ok\", \"bad\"]]}", "v8_flags[1][1]: must be one \"--flag\"");
  expect_error("{\"v8_flags\": [[\"--two words\"]]}", "v8_flags[0][0]: must be one");
}

/* target, seeds and the control: the defaults a user's config gets. */
static void target_and_control(void **state) {
  (void)state;
  gf_config cfg, ctl;
  gf_err err = {{0}};
  gf_config_default(&cfg, "/p");
  assert_string_equal(cfg.target, "/p/addon/target.js");
  assert_string_equal(cfg.seeds, "/p/corpus/seeds");
  assert_int_equal(cfg.threadpool_size, 4);
  assert_false(gf_config_wants_asan(&cfg)); /* release */
  assert_int_equal(cfg.n_flag_sets, 1); /* one set, empty: no extra V8 flags */
  assert_int_equal(cfg.v8_flags[0].n, 0);
  gf_flag_set stress = {.flag = {"--stress-scavenge=50"}, .n = 1};
  assert_int_equal(gf_config_flag_set_index(&cfg, &stress), 1);
  assert_int_equal(gf_config_flag_set_index(&cfg, &stress), 1); /* found, not added twice */
  assert_int_equal(gf_config_flag_set_index(&cfg, &cfg.v8_flags[0]), 0);
  /* Its own target: no project seeds, no control entry check. */
  assert_int_equal(load("{\"target\": \"t.js\", \"build\": \"x/a.node\", \"sanitizer\": \"address\","
                        " \"entries\": [\"f\"], \"entry\": \"f\", \"control\": {\"target\":"
                        " \"/p/addon/target.js\", \"build\": \"asan\"}}", &cfg, &err), 0);
  assert_non_null(strstr(cfg.target, "/t.js"));
  assert_string_equal(cfg.seeds, "");
  assert_true(gf_config_wants_asan(&cfg));
  gf_config_for_control(&cfg, &ctl);
  assert_string_equal(ctl.target, "/p/addon/target.js");
  assert_string_equal(ctl.build, "asan");
  assert_string_equal(ctl.entry, "sum_borrowed");
  assert_string_equal(ctl.seeds, "/root-of-project/corpus/seeds");
  assert_int_equal(ctl.n_entries, 0); /* the control target's own entries */
  assert_true(gf_config_wants_asan(&ctl)); /* by its build's name */
  /* A harness of one's own has no target unless it names one. */
  assert_int_equal(load("{\"harness\": \"h.js\"}", &cfg, &err), 0);
  assert_string_equal(cfg.target, "");
  assert_string_equal(cfg.seeds, "/root-of-project/corpus/seeds");
  assert_int_equal(load("{\"seeds\": \"\"}", &cfg, &err), 0); /* "" is none, as null */
  assert_string_equal(cfg.seeds, "");
  assert_int_equal(load("{\"target\": null, \"seeds\": null, \"sanitizer\": \"none\", \"build\": \"asan\"}", &cfg, &err), 0);
  assert_string_equal(cfg.target, "");
  assert_string_equal(cfg.seeds, "");
  assert_false(gf_config_wants_asan(&cfg)); /* the config decides */
}

/* "control": "builtin": no path into gcfuzz's tree in a user's config. */
static void builtin_control_follows_the_build(void **state) {
  (void)state;
  gf_config cfg, ctl;
  gf_err err = {{0}};
  assert_int_equal(load("{\"target\": \"t.js\", \"entries\": [\"f\"], \"entry\": \"f\","
                        " \"control\": \"builtin\"}", &cfg, &err), 0);
  gf_config_for_control(&cfg, &ctl);
  assert_string_equal(ctl.target, "/root-of-project/addon/target.js");
  assert_string_equal(ctl.seeds, "/root-of-project/corpus/seeds");
  assert_string_equal(ctl.entry, "sum_borrowed");
  assert_string_equal(ctl.build, "release");
  assert_int_equal(ctl.n_entries, 0);
  /* An ASan build under test gets the demo's ASan build, by sanitizer or name. */
  assert_int_equal(load("{\"target\": \"t.js\", \"build\": \"b/x.node\", \"sanitizer\": \"address\","
                        " \"control\": \"builtin\"}", &cfg, &err), 0);
  gf_config_for_control(&cfg, &ctl);
  assert_string_equal(ctl.build, "asan");
  assert_true(gf_config_wants_asan(&ctl));
  gf_strlcpy(cfg.build, "my_asan", sizeof cfg.build); /* as --build my_asan does */
  cfg.sanitizer = GF_SAN_AUTO;
  gf_config_for_control(&cfg, &ctl);
  assert_string_equal(ctl.build, "asan");
}

/* A config named by a relative path: every path it resolves is absolute,
 * so a target's setup gets a build it can require() from any directory. */
static void relative_config_gives_absolute_paths(void **state) {
  (void)state;
  char dir[PATH_MAX], sub[PATH_MAX + 8], cwd[PATH_MAX];
  gf_config cfg;
  gf_err err = {{0}};
  temp_dir(dir, sizeof dir);
  snprintf(sub, sizeof sub, "%s/sub", dir);
  assert_int_equal(mkdir(sub, 0700), 0);
  write_text(sub, "c.json", "{\"target\": \"t.js\", \"build\": \"build/Release/x.node\"}");
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(dir), 0);
  int rc = gf_config_load(&cfg, "sub/c.json", "/r", &err);
  assert_int_equal(chdir(cwd), 0);
  assert_int_equal(rc, 0);
  assert_int_equal(cfg.target[0], '/');
  assert_int_equal(cfg.build[0], '/');
  assert_non_null(strstr(cfg.build, "/sub/build/Release/x.node"));
  /* The package directory above the config (gcfuzz init's "..") is a path. */
  write_text(sub, "d.json", "{\"target\": \"t.js\", \"build\": \"..\"}");
  char file[PATH_MAX + 16];
  snprintf(file, sizeof file, "%s/d.json", sub);
  assert_int_equal(gf_config_load(&cfg, file, "/r", &err), 0);
  assert_non_null(strstr(cfg.build, "/sub/.."));
}

static void missing_file_is_named(void **state) {
  (void)state;
  gf_config cfg;
  gf_err err = {{0}};
  assert_int_equal(gf_config_load(&cfg, "/nonexistent/gcfuzz.json", "/r", &err), -1);
  assert_non_null(strstr(err.msg, "/nonexistent/gcfuzz.json: No such file"));
}

static void paths_are_relative_to_the_config_file(void **state) {
  (void)state;
  gf_config cfg;
  gf_err err = {{0}};
  assert_int_equal(load("{\"harness\": \"../h.js\", \"seeds\": \"/abs/seeds\", \"node\": "
                        "\"./bin/node\", \"entry\": null}",
                        &cfg, &err),
                   0);
  assert_non_null(strstr(cfg.harness, "/gcfuzz-test-"));
  assert_non_null(strstr(cfg.harness, "/../h.js"));
  assert_string_equal(cfg.seeds, "/abs/seeds");
  assert_non_null(strstr(cfg.node, "/./bin/node"));
  assert_string_equal(cfg.entry, ""); /* null: each case keeps its entry */
  assert_int_equal(load("{\"build\": \"exp_asan\", \"nodes\": [\"node\", \"../n22/bin/node\"]}",
                        &cfg, &err),
                   0);
  assert_string_equal(cfg.build, "exp_asan"); /* a build name, not a path */
  assert_int_equal(cfg.n_nodes, 2);
  assert_string_equal(cfg.nodes[0], "node");
  assert_non_null(strstr(cfg.nodes[1], "/../n22/bin/node"));
  assert_int_equal(load("{\"build\": \"other.node\"}", &cfg, &err), 0);
  assert_non_null(strstr(cfg.build, "/gcfuzz-test-")); /* a path, resolved */
  gf_config_default(&cfg, "/root-of-project");
  assert_string_equal(cfg.harness, "/root-of-project/harness/run.js");
  assert_string_equal(cfg.target, "/root-of-project/addon/target.js");
  assert_string_equal(cfg.node, "node"); /* looked up in PATH */
}

static void clamp_keeps_cases_inside_limits(void **state) {
  (void)state;
  gf_config cfg;
  gf_config_default(&cfg, "/r");
  gf_case c;
  gf_case_default(&c);
  c.f[GF_F_ELEMS] = 100000;
  c.f[GF_F_ELEM_LEN] = 300;
  c.f[GF_F_DELAY_US] = 9000000;
  c.nsteps = 20;
  for (int i = 0; i < 20; i++) c.steps[i] = (gf_step){GF_OP_SLEEP_MS, 9999};
  assert_true(gf_config_clamp_case(&cfg, &c) > 0);
  assert_true(c.f[GF_F_ELEMS] <= cfg.limits.max_elems);
  assert_int_equal(c.f[GF_F_DELAY_US], cfg.limits.max_delay_us);
  assert_int_equal(c.nsteps, cfg.limits.max_steps);
  assert_int_equal(c.steps[0].arg, cfg.limits.max_sleep_ms);
  assert_true(gf_case_total_doubles(&c) <= cfg.limits.max_total_doubles);
  assert_int_equal(gf_config_clamp_case(&cfg, &c), 0); /* idempotent */
}

/* limits.gc_ops: steps of other ops are dropped, and the mutator only
 * inserts allowed ops. */
static void gc_ops_filter_steps(void **state) {
  (void)state;
  gf_config cfg;
  gf_err err = {{0}};
  assert_int_equal(load("{\"limits\": {\"gc_ops\": [\"immediate\"]}}", &cfg, &err), 0);
  gf_case c;
  gf_case_default(&c);
  c.nsteps = 3;
  c.steps[0] = (gf_step){GF_OP_GC, 0};
  c.steps[1] = (gf_step){GF_OP_IMMEDIATE, 2};
  c.steps[2] = (gf_step){GF_OP_ALLOC_KB, 5};
  assert_true(gf_config_clamp_case(&cfg, &c) > 0);
  assert_int_equal(c.nsteps, 1);
  assert_int_equal(c.steps[0].op, GF_OP_IMMEDIATE);
  assert_int_equal(c.steps[0].arg, 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rejects_bad_fields),
      cmocka_unit_test(missing_file_is_named),
      cmocka_unit_test(target_and_control),
      cmocka_unit_test(builtin_control_follows_the_build),
      cmocka_unit_test(relative_config_gives_absolute_paths),
      cmocka_unit_test(paths_are_relative_to_the_config_file),
      cmocka_unit_test(clamp_keeps_cases_inside_limits),
      cmocka_unit_test(gc_ops_filter_steps),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

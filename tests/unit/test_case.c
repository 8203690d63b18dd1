/* test_case.c - the case format: the shared fixtures, defaults, round trip. */
#include "helpers.h"

#include "gf_case.h"

/* Every line of bad.jsonl is rejected with an error naming its field - the
 * same file the harness's JS validator is tested against. */
static void bad_fixtures_name_their_field(void **state) {
  (void)state;
  char *text = fixture("cases/bad.jsonl");
  int lines = 0;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    cJSON *j = cJSON_Parse(line);
    assert_non_null(j);
    const char *field = cJSON_GetObjectItem(j, "field")->valuestring;
    gf_case c;
    gf_err err = {{0}};
    assert_int_equal(gf_case_from_json(&c, cJSON_GetObjectItem(j, "case"), &err), -1);
    char want[128];
    snprintf(want, sizeof want, "%s:", field);
    if (strncmp(err.msg, want, strlen(want)) != 0)
      fail_msg("case %s: error '%s' does not start with '%s'", line, err.msg, want);
    cJSON_Delete(j);
    lines++;
  }
  assert_true(lines >= 30);
  free(text);
}

/* good.jsonl: parses, and serialises to exactly the expected full case. */
static void good_fixtures_fill_defaults(void **state) {
  (void)state;
  char *text = fixture("cases/good.jsonl");
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    cJSON *j = cJSON_Parse(line);
    gf_case c;
    gf_err err = {{0}};
    if (gf_case_from_json(&c, cJSON_GetObjectItem(j, "case"), &err) != 0)
      fail_msg("%s: %s", line, err.msg);
    cJSON *out = gf_case_to_json(&c);
    assert_true(cJSON_Compare(out, cJSON_GetObjectItem(j, "expect"), 1));
    cJSON_Delete(out);
    cJSON_Delete(j);
  }
  free(text);
}

static void round_trip_and_errors(void **state) {
  (void)state;
  gf_case a, b;
  gf_err err = {{0}};
  assert_int_equal(gf_case_parse(&a,
                                 "{\"id\":\"r\",\"entry\":\"sum_ref\",\"elems\":3,\"gc\":"
                                 "[{\"op\":\"alloc_kb\",\"kb\":5},{\"op\":\"gc\",\"type\":\"minor\"}]}",
                                 &err),
                   0);
  assert_int_equal(a.nsteps, 2);
  assert_int_equal(a.steps[1].arg, 1); /* minor */
  char *line = gf_case_to_line(&a);
  assert_int_equal(gf_case_parse(&b, line, &err), 0);
  assert_true(gf_case_equal(&a, &b));
  free(line);
  assert_int_equal(gf_case_parse(&a, "{\"elems\": 3", &err), -1);
  assert_non_null(strstr(err.msg, "not valid JSON: line 1, column "));
  assert_int_equal(gf_case_parse(&a, "{\"elems\": 1e300}", &err), -1);
  assert_non_null(strstr(err.msg, "elems: must be an integer in [0, 100000]"));
}

/* duplicate-keys.txt: "FIELD<TAB>JSON" lines; the JS validator reads it too. */
static void duplicate_keys_refused(void **state) {
  (void)state;
  char *text = fixture("cases/duplicate-keys.txt");
  int rows = 0;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    char *tab = strchr(line, '\t');
    assert_non_null(tab);
    *tab = '\0';
    char want[96];
    snprintf(want, sizeof want, "%s: duplicate key", line);
    gf_case c;
    gf_err err = {{0}};
    assert_int_equal(gf_case_parse(&c, tab + 1, &err), -1);
    if (strcmp(err.msg, want) != 0) fail_msg("%s: got '%s', want '%s'", tab + 1, err.msg, want);
    rows++;
  }
  assert_true(rows >= 3);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(duplicate_keys_refused),
      cmocka_unit_test(bad_fixtures_name_their_field),
      cmocka_unit_test(good_fixtures_fill_defaults),
      cmocka_unit_test(round_trip_and_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

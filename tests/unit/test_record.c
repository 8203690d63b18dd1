/* test_record.c - the crash record against harness/record-schema.json
 * (gf_record.h): a real record fits; a broken required field refuses the
 * record, a broken optional one is dropped and named; inbox values of the
 * wrong type are refused; counts saturate at 2^53. */
#include "helpers.h"

#include "gf_record.h"

/* The fixture run's ASan record: a real one, written by 0.5.0. */
static cJSON *real_record(void) {
  char *text = fixture("run/crashes/4556d7e668dad61b.json");
  cJSON *r = cJSON_Parse(text);
  free(text);
  assert_non_null(r);
  return r;
}

static void a_real_record_fits(void **state) {
  (void)state;
  cJSON *r = real_record();
  char dropped[512];
  gf_err err = {{0}};
  assert_int_equal(gf_record_check(r, dropped, sizeof dropped, &err), 0);
  assert_string_equal(dropped, "");
  cJSON_Delete(r);
}

/* Sets key of a fresh real record to the JSON text value and checks it. */
static int check_with(const char *key, const char *value, char *dropped, size_t cap, gf_err *err,
                      cJSON **out) {
  cJSON *r = real_record();
  cJSON_DeleteItemFromObjectCaseSensitive(r, key);
  cJSON_AddItemToObject(r, key, cJSON_Parse(value));
  int rc = gf_record_check(r, dropped, cap, err);
  if (out) *out = r;
  else cJSON_Delete(r);
  return rc;
}

static void a_broken_required_field_refuses_the_record(void **state) {
  (void)state;
  static const char *const cases[][3] = {
      {"count", "1e300", "count: must be an integer in [0, 2^53]"},
      {"count", "9223372036854775807", "count: must be an integer in [0, 2^53]"},
      {"count", "-1", "count: must be an integer in [0, 2^53]"},
      {"count", "2.5", "count: must be an integer in [0, 2^53]"},
      {"hash", "\"0123\"", "hash: must be 16 hex digits"},
      {"kind", "\"<script>\"", "kind: not one of its values"},
      {"signature", "[1]", "signature: must be a string of at most 511 bytes"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char dropped[512];
    gf_err err = {{0}};
    assert_int_equal(check_with(cases[i][0], cases[i][1], dropped, sizeof dropped, &err, NULL), -1);
    assert_string_equal(err.msg, cases[i][2]);
  }
  cJSON *r = real_record();
  cJSON_DeleteItemFromObjectCaseSensitive(r, "entry");
  gf_err err = {{0}};
  assert_int_equal(gf_record_check(r, NULL, 0, &err), -1);
  assert_string_equal(err.msg, "entry: missing (a required field)");
  cJSON_Delete(r);
}

static void a_broken_optional_field_is_dropped_and_named(void **state) {
  (void)state;
  static const char *const cases[][3] = {
      {"merged_counts", "[1, 2]", "merged_counts (must map origins (16 hex digits) to counts)"},
      {"merged_counts", "{\"<b>\\n\": 3}", "merged_counts (must map origins (16 hex digits) to counts)"},
      {"merged_counts", "{\"0123456789abcdef\": 1e999}", "merged_counts (must map origins (16 hex digits) to counts)"},
      {"minimized_case", "\"a string\"", "minimized_case"},
      {"minimized_rate", "{\"runs\": -5, \"reproduced\": null}", "minimized_rate (must be {runs, reproduced}, counts, reproduced <= runs)"},
      {"reproduces_on", "[]", "reproduces_on (must map Node versions to {runs, reproduced})"},
      {"frames", "[{\"function\": 7}]", "frames (must be at most 64 frames {function, location, target[, module]})"},
      {"control", "{\"runs\": 3, \"failed\": \"x\"}", "control (failed: must be an integer in [0, 2^53])"},
      {"first_seen", "\"yesterday\"", "first_seen (must be YYYY-MM-DDTHH:MM:SSZ)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char dropped[512];
    gf_err err = {{0}};
    cJSON *r;
    assert_int_equal(check_with(cases[i][0], cases[i][1], dropped, sizeof dropped, &err, &r), 0);
    assert_non_null(strstr(dropped, cases[i][2]));
    assert_null(cJSON_GetObjectItemCaseSensitive(r, cases[i][0])); /* gone */
    assert_non_null(cJSON_GetObjectItemCaseSensitive(r, "count")); /* the rest kept */
    cJSON_Delete(r);
  }
}

static void unknown_fields_are_kept(void **state) {
  (void)state;
  cJSON *r = real_record();
  cJSON_AddStringToObject(r, "from_a_newer_gcfuzz", "x");
  gf_err err = {{0}};
  assert_int_equal(gf_record_check(r, NULL, 0, &err), 0);
  assert_non_null(cJSON_GetObjectItemCaseSensitive(r, "from_a_newer_gcfuzz"));
  cJSON_Delete(r);
}

static void inbox_values_are_checked(void **state) {
  (void)state;
  static const char *const bad[][2] = {
      {"minimized_case", "\"a string\""},
      {"minimized_rate", "{\"runs\": -5, \"reproduced\": null}"},
      {"reproduces_on", "[1]"},
      {"last_replay", "{\"status\": \"pwned\"}"},
      {"no_such_field", "1"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    cJSON *v = cJSON_Parse(bad[i][1]);
    gf_err err = {{0}};
    assert_int_equal(gf_record_check_field(bad[i][0], v, &err), -1);
    assert_non_null(strstr(err.msg, bad[i][0]));
    cJSON_Delete(v);
  }
  cJSON *ok = cJSON_Parse("{\"runs\": 3, \"reproduced\": 2}");
  gf_err err = {{0}};
  assert_int_equal(gf_record_check_field("minimized_rate", ok, &err), 0);
  cJSON_Delete(ok);
}

static void counts_saturate(void **state) {
  (void)state;
  assert_true(gf_count_add(1, 2) == 3);
  assert_true(gf_count_add(GF_COUNT_MAX - 1, 5) == GF_COUNT_MAX);
  assert_true(gf_count_add(GF_COUNT_MAX, GF_COUNT_MAX) == GF_COUNT_MAX);
  assert_true(gf_count_add(UINT64_MAX, 1) == GF_COUNT_MAX);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_real_record_fits),
      cmocka_unit_test(a_broken_required_field_refuses_the_record),
      cmocka_unit_test(a_broken_optional_field_is_dropped_and_named),
      cmocka_unit_test(unknown_fields_are_kept),
      cmocka_unit_test(inbox_values_are_checked),
      cmocka_unit_test(counts_saturate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_store.c - durable records: atomic writes, buckets, resume, events;
 * and the stderr ring. */
#include "helpers.h"

#include <dirent.h>
#include <signal.h>

#include "gf_hint.h"
#include "gf_json.h"
#include "gf_record.h"
#include "gf_ring.h"
#include "gf_store.h"

static void atomic_write_replaces_whole_file(void **state) {
  (void)state;
  char dir[PATH_MAX], path[PATH_MAX + 16];
  gf_err err = {{0}};
  temp_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/r.json", dir);
  assert_int_equal(gf_write_atomic(path, "{\"v\":1}", 7, &err), 0);
  assert_int_equal(gf_write_atomic(path, "{\"v\":22}", 8, &err), 0);
  char *text = gf_read_file(path, 100, NULL, &err);
  assert_string_equal(text, "{\"v\":22}");
  free(text);
  /* No temp file is left behind. */
  char **names;
  int n = gf_list_dir(dir, "", &names, &err);
  assert_int_equal(n, 1);
  assert_string_equal(names[0], "r.json");
  gf_free_names(names, n);
  assert_int_equal(gf_write_atomic("/nonexistent-dir/x.json", "x", 1, &err), -1);
  assert_non_null(strstr(err.msg, "/nonexistent-dir/x.json.tmp"));
}

static void buckets_count_and_survive_reopen(void **state) {
  (void)state;
  char dir[PATH_MAX];
  gf_store s;
  gf_err err = {{0}};
  temp_store(&s, dir, sizeof dir);
  gf_finding f = segv_finding("sum_borrowed");
  gf_case c;
  gf_case_default(&c);
  strcpy(c.entry, "sum_borrowed");
  gf_run_meta m = {"v20.0.0", "release", "gcfuzz replay", NULL, "/usr/bin/node", "none"};
  int is_new;
  gf_bucket *b = gf_store_add(&s, &f, &c, "tail", &m, &is_new, &err);
  assert_non_null(b);
  assert_true(is_new);
  b = gf_store_add(&s, &f, &c, "tail", &m, &is_new, &err);
  assert_false(is_new);
  assert_int_equal(b->count, 2);
  assert_int_equal(gf_store_set_repro(&s, b, 5, 4, &err), 0);
  gf_store_close(&s);

  /* A corrupt record beside it is reported, skipped and left untouched. */
  char crashes[PATH_MAX + 16];
  snprintf(crashes, sizeof crashes, "%s/crashes", dir);
  write_text(crashes, "0000000000000000.json", "{\"truncated\": ");
  assert_int_equal(gf_store_open(&s, dir, GF_STORE_WRITE, &err), 0);
  assert_int_equal(s.n, 1);
  assert_int_equal(s.skipped, 1);
  assert_int_equal(s.b[0].count, 2);
  const cJSON *r = record_of(&s, s.b[0].hash);
  const cJSON *rep = cJSON_GetObjectItem(r, "reproducibility");
  assert_int_equal(cJSON_GetObjectItem(rep, "reproduced")->valueint, 4);
  assert_string_equal(cJSON_GetObjectItem(r, "signature")->valuestring,
                      "signal:SIGSEGV:entry=sum_borrowed");
  assert_string_equal(cJSON_GetObjectItem(r, "signal")->valuestring, "SIGSEGV");
  gf_store_add(&s, &f, &c, "tail", &m, &is_new, &err);
  assert_int_equal(s.b[0].count, 3);
  gf_store_close(&s);
  char path[PATH_MAX + 64];
  snprintf(path, sizeof path, "%s/0000000000000000.json", crashes);
  char *text = gf_read_file(path, 100, NULL, &err);
  assert_string_equal(text, "{\"truncated\": ");
  free(text);

  /* events.jsonl: one valid JSON object per line. */
  snprintf(path, sizeof path, "%s/events.jsonl", dir);
  text = gf_read_file(path, 1 << 20, NULL, &err);
  int lines = 0;
  for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n"), lines++) {
    cJSON *j = cJSON_Parse(l);
    assert_non_null(j);
    assert_non_null(cJSON_GetObjectItem(j, "time"));
    cJSON_Delete(j);
  }
  assert_int_equal(lines, 4); /* crash, crash, confirm, crash */
  free(text);
}

static void ring_keeps_the_tail(void **state) {
  (void)state;
  gf_ring r;
  char out[64];
  assert_int_equal(gf_ring_init(&r, 8), 0);
  gf_ring_write(&r, "abc", 3);
  gf_ring_read(&r, out, sizeof out);
  assert_string_equal(out, "abc");
  gf_ring_write(&r, "defghij", 7); /* wraps */
  gf_ring_read(&r, out, sizeof out);
  assert_string_equal(out, "cdefghij");
  assert_int_equal(r.dropped, 2);
  gf_ring_write(&r, "0123456789XY", 12); /* larger than the ring */
  gf_ring_read(&r, out, sizeof out);
  assert_string_equal(out, "456789XY");
  gf_ring_read(&r, out, 4); /* small output: newest bytes */
  assert_string_equal(out, "9XY");
  gf_ring_clear(&r);
  gf_ring_read(&r, out, sizeof out);
  assert_string_equal(out, "");
  gf_ring_free(&r);
}

/* What comes out is text: a NUL cannot cut the tail short, junk and a
 * character cut at the ring's start become '?', valid UTF-8 stays. */
static void ring_reads_text(void **state) {
  (void)state;
  gf_ring r;
  char out[64];
  assert_int_equal(gf_ring_init(&r, 32), 0);
  static const char in[] = "a\0b\x01\xff\tc\xc3\xa9\xe2\x82\n\xed\xa0\x80" "d";
  gf_ring_write(&r, in, sizeof in - 1);
  assert_int_equal(gf_ring_read(&r, out, sizeof out), sizeof in - 1);
  assert_string_equal(out, "a?b??\tc\xc3\xa9??\n???d"); /* é kept; a cut euro sign, a surrogate: ? */
  gf_ring_clear(&r);
  gf_ring_write(&r, "\xc3\xa9\xc3\xa9", 4);
  gf_ring_read(&r, out, 4); /* newest 3 bytes: the first é is cut in half */
  assert_string_equal(out, "?\xc3\xa9");
  gf_ring_free(&r);
}

/* An exception seen only with reused inputs (dups, shared) is flagged: set
 * distinct on the entry. Once seen without, it no longer is; dups in a
 * call of one input and shared inputs of a single call reuse nothing. */
static void an_exception_only_with_reused_inputs_hints_at_distinct(void **state) {
  (void)state;
  char dir[PATH_MAX];
  gf_store s;
  gf_err err = {{0}};
  temp_store(&s, dir, sizeof dir);
  gf_finding refused = outcome_finding("sum", "exception");
  gf_run_meta m = {"v20.0.0", "release", "gcfuzz replay", NULL, "/usr/bin/node", "none"};
  gf_case c;
  gf_case_default(&c);
  gf_strlcpy(c.entry, "sum", sizeof c.entry);
  c.f[GF_F_ELEMS] = 4;
  c.f[GF_F_DUPS] = 2;
  int is_new;
  gf_bucket *b = gf_store_add(&s, &refused, &c, "tail", &m, &is_new, &err);
  assert_true(gf_hint_distinct(record_of(&s, b->hash)));
  assert_true(b->facts.distinct_hint);
  c.f[GF_F_DUPS] = 0;
  c.f[GF_F_SHARED] = 1;
  c.f[GF_F_CONCURRENCY] = 2; /* shared by two calls at once */
  assert_true(gf_hint_distinct(record_of(&s, gf_store_add(&s, &refused, &c, "tail", &m, &is_new, &err)->hash)));
  const cJSON *reuse = cJSON_GetObjectItem(record_of(&s, b->hash), "reuse");
  assert_int_equal(gf_json_count(reuse, "with"), 2);
  assert_int_equal(gf_json_count(reuse, "without"), 0);
  assert_int_equal(gf_record_check_field("reuse", reuse, &err), 0);
  c.f[GF_F_CONCURRENCY] = 1; /* one call: nothing shared */
  assert_false(gf_hint_distinct(record_of(&s, gf_store_add(&s, &refused, &c, "tail", &m, &is_new, &err)->hash)));
  assert_false(b->facts.distinct_hint);
  assert_int_equal(gf_json_count(cJSON_GetObjectItem(record_of(&s, b->hash), "reuse"), "without"), 1);
  /* Other kinds are not counted. */
  gf_finding segv = segv_finding("sum");
  c.f[GF_F_DUPS] = 2;
  b = gf_store_add(&s, &segv, &c, "tail", &m, &is_new, &err);
  assert_null(cJSON_GetObjectItem(record_of(&s, b->hash), "reuse"));
  assert_false(gf_hint_distinct(record_of(&s, b->hash)));
  gf_store_close(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(an_exception_only_with_reused_inputs_hints_at_distinct),
      cmocka_unit_test(atomic_write_replaces_whole_file),
      cmocka_unit_test(buckets_count_and_survive_reopen),
      cmocka_unit_test(ring_keeps_the_tail),
      cmocka_unit_test(ring_reads_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_out.c - an output folder under a daemon: one writer (the lock),
 * bounded memory (tails stay on disk), failed writes kept and retried, and
 * changes posted through the inbox while the folder is held. */
#include "helpers.h"

#include <malloc.h>
#include <signal.h>
#include <sys/stat.h>

#include "gf_inbox.h"
#include "gf_store.h"

static gf_bucket *add_segv(gf_store *s, const char *tail, gf_err *err) {
  gf_finding f = segv_finding("sum_borrowed");
  gf_case c;
  gf_case_default(&c);
  strcpy(c.entry, "sum_borrowed");
  gf_run_meta m = {"v20.0.0", "release", "gcfuzz replay", NULL, "/usr/bin/node", "none"};
  int is_new;
  return gf_store_add(s, &f, &c, tail, &m, &is_new, err);
}

static cJSON *disk_record(const gf_store *s, const gf_bucket *b) {
  cJSON *r = gf_store_load_record(s, b);
  assert_non_null(r);
  return r;
}

static void second_writer_is_refused_with_the_holder_named(void **state) {
  (void)state;
  char dir[PATH_MAX], pid[32];
  gf_store a, b, r;
  gf_err err = {{0}};
  temp_store(&a, dir, sizeof dir);
  assert_int_equal(gf_store_open(&b, dir, GF_STORE_WRITE, &err), 1);
  snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
  assert_non_null(strstr(err.msg, pid));
  assert_non_null(strstr(err.msg, dir));
  assert_int_equal(gf_store_open(&r, dir, GF_STORE_READ, &err), 0); /* readers need no lock */
  gf_store_close(&r);
  gf_store_close(&a);
  assert_int_equal(gf_store_open(&b, dir, GF_STORE_WRITE, &err), 0); /* released on close */
  gf_store_close(&b);
}

static void tails_stay_on_disk_and_survive_rewrites(void **state) {
  (void)state;
  char dir[PATH_MAX];
  gf_store s;
  gf_err err = {{0}};
  temp_store(&s, dir, sizeof dir);
  gf_bucket *b = add_segv(&s, "the first tail", &err);
  assert_false(b->dirty);
  /* No record per bucket in memory (#22: their trees cost a daemon 8 KB a
   * bucket): it is read back, whole, when needed. */
  assert_null(b->record);
  assert_string_equal(cJSON_GetObjectItem(gf_store_record(&s, b, &err), "stderr_tail")->valuestring,
                      "the first tail");
  b = add_segv(&s, "a later tail", &err); /* rewritten: count 2, first tail kept */
  cJSON *r = disk_record(&s, b);
  assert_string_equal(cJSON_GetObjectItem(r, "stderr_tail")->valuestring, "the first tail");
  assert_true(cJSON_IsArray(cJSON_GetObjectItem(r, "free_frames")));
  assert_true(cJSON_IsArray(cJSON_GetObjectItem(r, "alloc_frames")));
  assert_int_equal(cJSON_GetObjectItem(r, "count")->valueint, 2);
  cJSON_Delete(r);
  gf_store_close(&s);
  /* Reopened by a writer: still not in memory, read back whole; by a
   * reader: whole. */
  assert_int_equal(gf_store_open(&s, dir, GF_STORE_WRITE, &err), 0);
  assert_null(s.b[0].record);
  r = gf_store_record(&s, &s.b[0], &err);
  assert_string_equal(cJSON_GetObjectItem(r, "stderr_tail")->valuestring, "the first tail");
  assert_true(cJSON_IsArray(cJSON_GetObjectItem(r, "frames")));
  gf_store_close(&s);
  assert_int_equal(gf_store_open(&s, dir, GF_STORE_READ, &err), 0);
  assert_string_equal(cJSON_GetObjectItem(s.b[0].record, "stderr_tail")->valuestring,
                      "the first tail");
  gf_store_close(&s);
}

/* The crashes folder taken away stands for any failed write (ENOSPC, EIO):
 * the bucket is counted and kept, and written once writing works again. */
static void failed_first_write_is_kept_and_retried(void **state) {
  (void)state;
  char dir[PATH_MAX], crashes[PATH_MAX + 16], away[PATH_MAX + 16];
  gf_store s;
  gf_err err = {{0}};
  temp_store(&s, dir, sizeof dir);
  snprintf(crashes, sizeof crashes, "%s/crashes", dir);
  snprintf(away, sizeof away, "%s/away", dir);
  assert_int_equal(rename(crashes, away), 0);
  gf_bucket *b = add_segv(&s, "tail of a bucket not yet on disk", &err);
  assert_non_null(b);
  assert_true(b->dirty);
  assert_non_null(strstr(err.msg, "crashes/"));
  b = add_segv(&s, "second", &err);
  assert_int_equal(b->count, 2);
  size_t written;
  assert_int_equal(gf_store_flush(&s, &written), 1); /* still failing */
  assert_int_equal(written, 0);
  assert_int_equal(rename(away, crashes), 0);
  assert_int_equal(gf_store_flush(&s, &written), 0);
  assert_int_equal(written, 1);
  assert_false(s.b[0].dirty);
  cJSON *r = disk_record(&s, &s.b[0]);
  assert_int_equal(cJSON_GetObjectItem(r, "count")->valueint, 2);
  assert_string_equal(cJSON_GetObjectItem(r, "stderr_tail")->valuestring,
                      "tail of a bucket not yet on disk");
  cJSON_Delete(r);
  gf_store_close(&s);
}

/* A writer reads its records back when it needs them. One made junk
 * meanwhile is named and left as it is, its occurrences counted, and the
 * count written once it reads again; one deleted meanwhile is written anew
 * at its next occurrence. */
static void a_record_that_cannot_be_read_back_is_named_and_counted(void **state) {
  (void)state;
  char dir[PATH_MAX], crashes[PATH_MAX + 16], name[32];
  gf_store s;
  gf_err err = {{0}};
  size_t written;
  temp_store(&s, dir, sizeof dir);
  gf_bucket *b = add_segv(&s, "tail", &err);
  snprintf(crashes, sizeof crashes, "%s/crashes", dir);
  snprintf(name, sizeof name, "%s.json", b->hash);
  gf_store_close(&s); /* reopened: nothing cached */
  assert_int_equal(gf_store_open(&s, dir, GF_STORE_WRITE, &err), 0);
  char path[PATH_MAX + 64];
  gf_store_record_path(&s, &s.b[0], path, sizeof path);
  char *good = gf_read_file(path, 1 << 20, NULL, &err);
  write_text(crashes, name, "{\"truncated\": ");
  b = add_segv(&s, "tail", &err);
  assert_true(b->dirty);
  assert_non_null(strstr(err.msg, "cannot read back the record of"));
  assert_int_equal(b->count, 2);
  assert_int_equal(gf_store_flush(&s, &written), 1);
  char *text = gf_read_file(path, 1 << 20, NULL, &err);
  assert_string_equal(text, "{\"truncated\": "); /* never overwritten */
  free(text);
  write_text(crashes, name, good);
  assert_int_equal(gf_store_flush(&s, &written), 0);
  assert_int_equal(written, 1);
  cJSON *r = disk_record(&s, &s.b[0]);
  assert_int_equal(cJSON_GetObjectItem(r, "count")->valueint, 2);
  cJSON_Delete(r);
  gf_store_close(&s);
  assert_int_equal(gf_store_open(&s, dir, GF_STORE_WRITE, &err), 0);
  assert_int_equal(unlink(path), 0);
  b = add_segv(&s, "a new tail", &err);
  assert_false(b->dirty);
  r = disk_record(&s, b);
  assert_int_equal(cJSON_GetObjectItem(r, "count")->valueint, 3);
  assert_string_equal(cJSON_GetObjectItem(r, "stderr_tail")->valuestring, "a new tail");
  cJSON_Delete(r);
  free(good);
  gf_store_close(&s);
}

/* A record under another name than <hash>.json (an older or hand-made
 * one) is read back and rewritten where it is: no second file of its
 * hash, which would make two buckets of one at the next open. */
static void a_record_keeps_its_file_name(void **state) {
  (void)state;
  char dir[PATH_MAX], from[PATH_MAX + 64], to[PATH_MAX + 64], path[PATH_MAX + 64];
  gf_store s;
  gf_err err = {{0}};
  temp_store(&s, dir, sizeof dir);
  gf_store_record_path(&s, add_segv(&s, "tail", &err), from, sizeof from);
  snprintf(to, sizeof to, "%s/crashes/own.json", dir);
  assert_int_equal(rename(from, to), 0);
  gf_store_close(&s);
  assert_int_equal(gf_store_open(&s, dir, GF_STORE_WRITE, &err), 0);
  gf_bucket *b = add_segv(&s, "tail", &err);
  assert_false(b->dirty);
  assert_int_equal(access(from, F_OK), -1);
  gf_store_record_path(&s, b, path, sizeof path);
  assert_string_equal(path, to);
  cJSON *r = disk_record(&s, b);
  assert_int_equal(cJSON_GetObjectItem(r, "count")->valueint, 2);
  cJSON_Delete(r);
  gf_store_close(&s);
}

static void changes_go_through_the_inbox_while_held(void **state) {
  (void)state;
  char dir[PATH_MAX], inbox[PATH_MAX + 16];
  gf_store s;
  gf_err err = {{0}};
  temp_store(&s, dir, sizeof dir);
  gf_bucket *b = add_segv(&s, "t", &err);
  gf_case small;
  gf_case_default(&small);
  strcpy(small.entry, "sum_borrowed");
  small.f[GF_F_ELEMS] = 1;
  cJSON *fields = gf_store_minimized_fields(&small, 5, 4);
  /* Held: posted, not written; the record is untouched until applied. */
  assert_int_equal(gf_inbox_amend(dir, b->hash, fields, &err), 1);
  cJSON *r = disk_record(&s, b);
  assert_null(cJSON_GetObjectItem(r, "minimized_case"));
  cJSON_Delete(r);
  /* A crafted change may not touch the count; it is set aside as *.bad. */
  cJSON *evil = cJSON_CreateObject();
  cJSON_AddNumberToObject(evil, "count", 0);
  assert_int_equal(gf_inbox_post(dir, b->hash, evil, &err), 0);
  cJSON_Delete(evil);
  assert_int_equal(gf_inbox_apply(&s, 0), 1);
  r = disk_record(&s, b);
  assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "minimized_case"), "elems")->valueint, 1);
  assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "minimized_rate"), "reproduced")->valueint, 4);
  assert_int_equal(cJSON_GetObjectItem(r, "count")->valueint, 1);
  cJSON_Delete(r);
  char **names;
  snprintf(inbox, sizeof inbox, "%s/inbox", dir);
  int n = gf_list_dir(inbox, "", &names, &err);
  assert_int_equal(n, 1);
  assert_non_null(strstr(names[0], ".json.bad"));
  gf_free_names(names, n);
  gf_store_close(&s);
  /* Free: written at once. */
  small.f[GF_F_ELEMS] = 2;
  cJSON_Delete(fields);
  fields = gf_store_minimized_fields(&small, 5, 5);
  assert_int_equal(gf_inbox_amend(dir, "0123456789abcdef", fields, &err), -1); /* no such bucket */
  gf_store_open(&s, dir, GF_STORE_READ, &err);
  char hash[17];
  strcpy(hash, s.b[0].hash);
  gf_store_close(&s);
  assert_int_equal(gf_inbox_amend(dir, hash, fields, &err), 0);
  cJSON_Delete(fields);
  gf_store_open(&s, dir, GF_STORE_READ, &err);
  assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(s.b[0].record, "minimized_case"), "elems")->valueint, 2);
  gf_store_close(&s);
}

/* A burst of posts is applied in batches: a daemon's tick takes at most
 * GF_INBOX_BATCH of them (0.5.0 took all: 3 000 posts stalled its loop for
 * 2 s idle, 29 s under disk load), and the next ticks the rest. */
static void inbox_bursts_go_in_batches(void **state) {
  (void)state;
  char dir[PATH_MAX];
  gf_store s;
  gf_err err = {{0}};
  temp_store(&s, dir, sizeof dir);
  gf_bucket *b = add_segv(&s, "t", &err);
  gf_case c;
  gf_case_default(&c);
  strcpy(c.entry, "sum");
  for (int i = 0; i < 3 * GF_INBOX_BATCH + 5; i++) {
    cJSON *fields = gf_store_minimized_fields(&c, 5, (unsigned)(i % 5));
    assert_int_equal(gf_inbox_post(dir, b->hash, fields, &err), 0);
    cJSON_Delete(fields);
  }
  int total = 0, ticks = 0, got;
  while ((got = gf_inbox_apply(&s, GF_INBOX_BATCH)) > 0) {
    assert_true(got <= GF_INBOX_BATCH);
    total += got;
    ticks++;
  }
  assert_int_equal(total, 3 * GF_INBOX_BATCH + 5);
  assert_int_equal(ticks, 4);
  gf_store_close(&s);
}

/* A finding whose record is big (a long message, 16 long frames) and
 * whose signature is the i-th of its own. */
static gf_finding big_finding(unsigned i) {
  gf_finding f = segv_finding("sum_borrowed");
  memset(f.message, 'm', sizeof f.message - 1);
  f.message[sizeof f.message - 1] = '\0';
  f.stack.n = GF_MAX_FRAMES;
  for (int k = 0; k < GF_MAX_FRAMES; k++) {
    memset(f.stack.f[k].func, 'f', sizeof f.stack.f[k].func - 1);
    memset(f.stack.f[k].location, 'l', sizeof f.stack.f[k].location - 1);
  }
  snprintf(f.signature, sizeof f.signature, "signal:SIGSEGV:storm%u:entry=sum_borrowed", i);
  snprintf(f.hash, sizeof f.hash, "%016llx", (unsigned long long)gf_fnv1a64(f.signature));
  return f;
}

/* A writer's heap grows by a small index entry per bucket, whatever the
 * size of its record (#22: 0.5.0 kept each record's tree in memory, 8.1 KB
 * a bucket in a storm, linearly): the records live on disk. In tmpfs when
 * there is one: 2 000 records fsync'd on a disk take 20 s. */
static void memory_per_bucket_does_not_grow_with_the_record(void **state) {
  (void)state;
  enum { N = 2000 };
  char dir[PATH_MAX], path[PATH_MAX + 64];
  gf_store s;
  gf_err err = {{0}};
  snprintf(dir, sizeof dir, "%s/gcfuzz-test-XXXXXX", gf_is_dir("/dev/shm") ? "/dev/shm" : "/tmp");
  assert_non_null(mkdtemp(dir));
  assert_int_equal(gf_store_open(&s, dir, GF_STORE_WRITE, &err), 0);
  gf_case c;
  gf_case_default(&c);
  strcpy(c.entry, "sum_borrowed");
  c.nsteps = GF_CASE_MAX_STEPS; /* a case of every step it may have */
  gf_run_meta m = {"v20.0.0", "release", "gcfuzz replay", NULL, "/usr/bin/node", "none"};
  gf_bucket *b = NULL;
  size_t before = mallinfo2().uordblks;
  for (unsigned i = 0; i < N; i++) {
    gf_finding f = big_finding(i);
    int is_new;
    b = gf_store_add(&s, &f, &c, "a tail", &m, &is_new, &err);
    assert_non_null(b);
    assert_true(is_new);
  }
  size_t per = (mallinfo2().uordblks - before) / N;
  struct stat st;
  gf_store_record_path(&s, b, path, sizeof path);
  int there = stat(path, &st);
  gf_store_close(&s);
  rm_tree(dir);
  assert_int_equal(there, 0);
  print_message("heap per bucket: %zu bytes, for records of %lld bytes\n", per, (long long)st.st_size);
  assert_true(st.st_size > 8192); /* the records are big */
  if (per >= 1024) fail_msg("the store holds %zu bytes per bucket (records of %lld bytes)", per,
                            (long long)st.st_size);
}

/* Logs are capped at two generations: past max the file becomes .1. */
static void logs_rotate_at_their_cap(void **state) {
  (void)state;
  char dir[PATH_MAX], path[PATH_MAX + 16], old[PATH_MAX + 32];
  gf_err err = {{0}};
  temp_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/events.jsonl", dir);
  snprintf(old, sizeof old, "%s.1", path);
  write_text(dir, "events.jsonl", "0123456789");
  assert_int_equal(gf_log_rotate(path, 10), 0); /* at the cap, not past it */
  write_text(dir, "events.jsonl", "first generation\n");
  assert_int_equal(gf_log_rotate(path, 10), 1);
  assert_int_equal(access(path, F_OK), -1);
  write_text(dir, "events.jsonl", "second generation\n");
  assert_int_equal(gf_log_rotate(path, 10), 1);
  char *text = gf_read_file(old, 100, NULL, &err);
  assert_string_equal(text, "second generation\n"); /* the older .1 was replaced */
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(second_writer_is_refused_with_the_holder_named),
      cmocka_unit_test(tails_stay_on_disk_and_survive_rewrites),
      cmocka_unit_test(failed_first_write_is_kept_and_retried),
      cmocka_unit_test(a_record_that_cannot_be_read_back_is_named_and_counted),
      cmocka_unit_test(a_record_keeps_its_file_name),
      cmocka_unit_test(changes_go_through_the_inbox_while_held),
      cmocka_unit_test(inbox_bursts_go_in_batches),
      cmocka_unit_test(logs_rotate_at_their_cap),
      cmocka_unit_test(memory_per_bucket_does_not_grow_with_the_record),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

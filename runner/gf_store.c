/* gf_store.c - see gf_store.h. */
#include "gf_store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <unistd.h>

#include "gf_fs.h"
#include "gf_hint.h"
#include "gf_inbox.h"
#include "gf_json.h"
#include "gf_lock.h"
#include "gf_record.h"
#include "gf_sbuf.h"

void gf_iso_time(char *out, size_t cap) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double gf_iso_seconds(const char *iso) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  if (iso == NULL || strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL) return -1;
  return (double)timegm(&tm);
}

int gf_store_dir_of_record(const char *record, char *out, size_t cap) {
  char tmp[PATH_MAX];
  gf_strlcpy(tmp, record, sizeof tmp);
  char *crashes = dirname(tmp);
  if (strcmp(basename(crashes), "crashes") != 0) return -1;
  gf_strlcpy(out, dirname(crashes), cap);
  return 0;
}

void gf_store_record_path(const gf_store *s, const gf_bucket *b, char *out, size_t cap) {
  snprintf(out, cap, "%s/%s.json", s->crashes, b->hash);
}

static gf_bucket *bucket_new(gf_store *s) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    gf_bucket *b = realloc(s->b, cap * sizeof *b);
    if (b == NULL) return NULL;
    s->b = b;
    s->cap = cap;
  }
  gf_bucket *b = &s->b[s->n++];
  memset(b, 0, sizeof *b);
  return b;
}

/* Makes a bucket of a parsed record (owned from here on); fills err, naming
 * what, when it is not a gcfuzz record. */
static gf_bucket *bucket_from_record(gf_store *s, cJSON *r, const char *what, gf_err *err) {
  char dropped[1024];
  gf_err why = {{0}};
  if (r == NULL || gf_record_check(r, dropped, sizeof dropped, &why) != 0) {
    cJSON_Delete(r);
    gf_errf(err, "%s: not a gcfuzz crash record (%s); left as it is", what,
            r == NULL ? "not JSON" : why.msg);
    return NULL;
  }
  if (dropped[0]) fprintf(stderr, "gcfuzz: %s: field(s) dropped: %s\n", what, dropped);
  const cJSON *hash = cJSON_GetObjectItemCaseSensitive(r, "hash");
  const cJSON *sig = cJSON_GetObjectItemCaseSensitive(r, "signature");
  const cJSON *kind = cJSON_GetObjectItemCaseSensitive(r, "kind");
  const cJSON *count = cJSON_GetObjectItemCaseSensitive(r, "count");
  const cJSON *entry = cJSON_GetObjectItemCaseSensitive(r, "entry");
  gf_bucket *b = bucket_new(s);
  if (b == NULL) {
    cJSON_Delete(r);
    gf_errf(err, "out of memory");
    return NULL;
  }
  gf_strlcpy(b->hash, hash->valuestring, sizeof b->hash);
  gf_strlcpy(b->signature, sig->valuestring, sizeof b->signature);
  gf_strlcpy(b->entry, entry->valuestring, sizeof b->entry);
  b->kind = gf_kind_from_name(kind->valuestring);
  b->count = (uint64_t)count->valuedouble;
  b->record = r;
  return b;
}

/* A writer keeps these on disk only: read by reports, never by the daemon,
 * and most of a record's bytes (about 5 of 8 KB without the tail). */
static const char *const disk_only[] = {"stderr_tail", "free_frames", "alloc_frames"};
#define N_DISK_ONLY (sizeof disk_only / sizeof *disk_only)

/* A writer's new or adopted record keeps its disk-only fields apart until
 * its first write (afterwards they live on disk only). */
static void hold_disk_only(gf_bucket *b) {
  b->held = cJSON_CreateObject();
  for (size_t i = 0; i < N_DISK_ONLY; i++) {
    cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(b->record, disk_only[i]);
    if (v) cJSON_AddItemToObject(b->held, disk_only[i], v);
  }
}

/* Loads one existing record; a writer leaves its tail on disk. */
static int load_record(gf_store *s, const char *path, gf_err *err) {
  char *text = gf_read_file(path, 16 << 20, NULL, err);
  if (text == NULL) return -1;
  cJSON *r = cJSON_Parse(text);
  free(text);
  gf_bucket *b = bucket_from_record(s, r, path, err);
  if (b == NULL) return -1;
  if (s->mode == GF_STORE_WRITE) /* stays on disk: memory is bounded by buckets, not tails */
    for (size_t i = 0; i < N_DISK_ONLY; i++) cJSON_DeleteItemFromObjectCaseSensitive(r, disk_only[i]);
  return 0;
}

/* OUT/origin: 16 hex digits made at the folder's first write. A folder
 * without one (older, or never written) is known by its path's hash. */
static void load_origin(gf_store *s) {
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/origin", s->dir);
  char *text = gf_read_file(path, 64, NULL, NULL);
  if (text && strlen(text) >= 16 && strspn(text, "0123456789abcdef") >= 16) {
    memcpy(s->origin, text, 16);
    s->origin[16] = '\0';
    free(text);
    return;
  }
  free(text);
  uint64_t id = 0;
  char *real = realpath(s->dir, NULL);
  if (s->mode == GF_STORE_WRITE && getrandom(&id, sizeof id, 0) == (ssize_t)sizeof id) {
    snprintf(s->origin, sizeof s->origin, "%016llx", (unsigned long long)id);
    gf_write_atomic(path, s->origin, 16, NULL);
  } else {
    snprintf(s->origin, sizeof s->origin, "%016llx",
             (unsigned long long)gf_fnv1a64(real ? real : s->dir));
  }
  free(real);
}

gf_bucket *gf_store_adopt(gf_store *s, const cJSON *record, gf_err *err) {
  const cJSON *hash = cJSON_GetObjectItemCaseSensitive(record, "hash");
  if (cJSON_IsString(hash) && gf_store_find(s, hash->valuestring)) {
    gf_errf(err, "%s: already a bucket here", hash->valuestring);
    return NULL;
  }
  gf_bucket *b = bucket_from_record(s, cJSON_Duplicate(record, 1), "record", err);
  if (b == NULL) return NULL;
  hold_disk_only(b); /* a merge's store is a writer */
  gf_store_rewrite(s, b, err);
  return b;
}

/* OUT/events.jsonl, for append (at open, and after each rotation). */
static int open_events(gf_store *s) {
  if (s->events_fd >= 0) close(s->events_fd);
  /* O_NOFOLLOW: a link placed in OUT must not redirect our appends. */
  s->events_fd = open(s->events, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
  return s->events_fd < 0 ? -1 : 0;
}

static int store_open(gf_store *s, const char *out_dir, gf_store_mode mode, int brief,
                      gf_err *err) {
  memset(s, 0, sizeof *s);
  s->events_fd = -1;
  s->lock_fd = -1;
  s->mode = mode;
  gf_strlcpy(s->dir, out_dir, sizeof s->dir);
  snprintf(s->crashes, sizeof s->crashes, "%s/crashes", out_dir);
  snprintf(s->events, sizeof s->events, "%s/events.jsonl", out_dir);
  if (mode == GF_STORE_WRITE) {
    if (gf_mkdirs(s->crashes, err) != 0) return -1;
    int rc = gf_lock_out(out_dir, brief, &s->lock_fd, err);
    if (rc != 0) return rc;
    if (open_events(s) != 0) {
      int e = errno;
      gf_errf(err, "%s: cannot open for append: %s", s->events,
              e == ELOOP ? "it is a symbolic link (refused)" : strerror(e));
      gf_store_close(s);
      return -1;
    }
    gf_remove_stale_tmp(out_dir); /* what a kill -9 left mid-write */
    gf_remove_stale_tmp(s->crashes);
  }
  load_origin(s);
  if (mode == GF_STORE_READ && !gf_is_dir(s->crashes)) return 0;
  char **names;
  int n = gf_list_dir(s->crashes, ".json", &names, err);
  if (n < 0) {
    gf_store_close(s);
    return -1;
  }
  for (int i = 0; i < n; i++) {
    char path[PATH_MAX + 256];
    gf_err e = {{0}};
    snprintf(path, sizeof path, "%s/%s", s->crashes, names[i]);
    if (load_record(s, path, &e) != 0) {
      fprintf(stderr, "gcfuzz: skipping %s\n", e.msg);
      s->skipped++;
    }
  }
  gf_free_names(names, n);
  if (mode == GF_STORE_WRITE) gf_inbox_apply(s, 0); /* what was posted while no daemon ran */
  return 0;
}

int gf_store_open(gf_store *s, const char *out_dir, gf_store_mode mode, gf_err *err) {
  return store_open(s, out_dir, mode, 0, err);
}

int gf_store_open_brief(gf_store *s, const char *out_dir, gf_err *err) {
  return store_open(s, out_dir, GF_STORE_WRITE, 1, err);
}

void gf_store_close(gf_store *s) {
  for (size_t i = 0; i < s->n; i++) {
    cJSON_Delete(s->b[i].record);
    cJSON_Delete(s->b[i].held);
  }
  free(s->b);
  if (s->events_fd >= 0) close(s->events_fd);
  gf_unlock_out(s->lock_fd);
  memset(s, 0, sizeof *s);
  s->events_fd = -1;
  s->lock_fd = -1;
}

gf_bucket *gf_store_find(gf_store *s, const char *hash) {
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->b[i].hash, hash) == 0) return &s->b[i];
  return NULL;
}

cJSON *gf_stack_to_json(const gf_stack *st) {
  cJSON *a = cJSON_CreateArray();
  for (int i = 0; i < st->n; i++) {
    cJSON *fr = cJSON_CreateObject();
    cJSON_AddStringToObject(fr, "function", st->f[i].func);
    cJSON_AddStringToObject(fr, "location", st->f[i].location);
    cJSON_AddBoolToObject(fr, "target", st->f[i].target);
    if (st->f[i].module[0]) cJSON_AddStringToObject(fr, "module", st->f[i].module);
    cJSON_AddItemToArray(a, fr);
  }
  return a;
}

cJSON *gf_store_load_record(const gf_store *s, const gf_bucket *b) {
  char path[PATH_MAX + 32];
  gf_store_record_path(s, b, path, sizeof path);
  char *text = gf_read_file(path, 16 << 20, NULL, NULL);
  cJSON *r = text ? cJSON_Parse(text) : NULL;
  free(text);
  return r;
}

/* A writer's record is rewritten with the disk-only fields it has on
 * disk: an object of them, or NULL when they cannot be read (the record
 * stays dirty). A record deleted meanwhile gets an empty tail. */
static cJSON *disk_only_for_write(const gf_store *s, const gf_bucket *b) {
  if (b->held) return cJSON_Duplicate(b->held, 1);
  cJSON *r = gf_store_load_record(s, b), *out = cJSON_CreateObject();
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "stderr_tail");
  char path[PATH_MAX + 32];
  gf_store_record_path(s, b, path, sizeof path);
  if (!cJSON_IsString(t) && access(path, F_OK) == 0) { /* there, but unreadable now */
    cJSON_Delete(r);
    cJSON_Delete(out);
    return NULL;
  }
  for (size_t i = 0; i < N_DISK_ONLY; i++) {
    cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(r, disk_only[i]);
    if (v) cJSON_AddItemToObject(out, disk_only[i], v);
  }
  if (!cJSON_GetObjectItemCaseSensitive(out, "stderr_tail")) cJSON_AddStringToObject(out, "stderr_tail", "");
  cJSON_Delete(r);
  return out;
}

static int write_record(gf_store *s, gf_bucket *b, gf_err *err) {
  char path[PATH_MAX + 32];
  gf_store_record_path(s, b, path, sizeof path);
  cJSON *extra = NULL;
  if (s->mode == GF_STORE_WRITE) {
    if ((extra = disk_only_for_write(s, b)) == NULL) {
      b->dirty = 1;
      return gf_errf(err, "%s: cannot read back its stderr tail; kept in memory", path);
    }
    for (cJSON *v = extra->child; v; v = v->next) /* lent for the write, taken back after */
      cJSON_AddItemReferenceToObject(b->record, v->string, v);
  }
  char *text = cJSON_Print(b->record);
  for (size_t i = 0; extra && i < N_DISK_ONLY; i++) cJSON_DeleteItemFromObjectCaseSensitive(b->record, disk_only[i]);
  cJSON_Delete(extra);
  if (text == NULL) return gf_errf(err, "out of memory");
  int rc = gf_write_atomic(path, text, strlen(text), err);
  free(text);
  b->dirty = rc != 0;
  if (rc == 0 && b->held) {
    cJSON_Delete(b->held);
    b->held = NULL;
  }
  return rc;
}

int gf_store_rewrite(gf_store *s, gf_bucket *b, gf_err *err) {
  gf_json_set(b->record, "count", cJSON_CreateNumber((double)b->count));
  return write_record(s, b, err);
}

size_t gf_store_flush(gf_store *s, size_t *written) {
  size_t left = 0, done = 0;
  for (size_t i = 0; i < s->n; i++) {
    gf_err err = {{0}};
    if (!s->b[i].dirty) continue;
    if (write_record(s, &s->b[i], &err) != 0)
      left++;
    else
      done++;
  }
  if (written) *written = done;
  return left;
}

static cJSON *new_record(const gf_store *s, const gf_finding *f, const gf_case *c,
                         const char *stderr_tail, const gf_run_meta *m) {
  char now[32], path[PATH_MAX + 32];
  gf_sbuf replay = {0};
  gf_iso_time(now, sizeof now);
  cJSON *r = cJSON_CreateObject();
  cJSON_AddNumberToObject(r, "gcfuzz_record", 1);
  cJSON_AddStringToObject(r, "hash", f->hash);
  cJSON_AddStringToObject(r, "signature", f->signature);
  cJSON_AddStringToObject(r, "kind", gf_kind_name(f->kind));
  cJSON_AddStringToObject(r, "bug_type", f->bug_type);
  cJSON_AddStringToObject(r, "access", f->access);
  if (f->signal)
    cJSON_AddStringToObject(r, "signal", gf_signal_name(f->signal));
  else
    cJSON_AddNullToObject(r, "signal");
  if (f->exit_code >= 0)
    cJSON_AddNumberToObject(r, "exit_code", (double)f->exit_code);
  else
    cJSON_AddNullToObject(r, "exit_code");
  cJSON_AddStringToObject(r, "message", f->message);
  if (f->mismatch.said) { /* what mismatched: the call, what it gave, what the oracle said */
    if (f->mismatch.call >= 0) cJSON_AddNumberToObject(r, "call", f->mismatch.call);
    cJSON_AddStringToObject(r, "result", f->mismatch.result);
    cJSON_AddStringToObject(r, "expected", f->mismatch.expected);
  }
  cJSON_AddStringToObject(r, "entry", c->entry);
  cJSON_AddItemToObject(r, "case", gf_case_to_json(c));
  cJSON_AddNumberToObject(r, "count", 0);
  cJSON_AddStringToObject(r, "first_seen", now);
  cJSON_AddStringToObject(r, "last_seen", now);
  cJSON *rep = cJSON_AddObjectToObject(r, "reproducibility");
  cJSON_AddNumberToObject(rep, "runs", 0);
  cJSON_AddNumberToObject(rep, "reproduced", 0);
  cJSON_AddItemToObject(r, "frames", gf_stack_to_json(&f->stack));
  cJSON_AddItemToObject(r, "free_frames", gf_stack_to_json(&f->free_stack));
  cJSON_AddItemToObject(r, "alloc_frames", gf_stack_to_json(&f->alloc_stack));
  cJSON_AddStringToObject(r, "stderr_tail", stderr_tail ? stderr_tail : "");
  cJSON_AddStringToObject(r, "node_version", m->node_version ? m->node_version : "");
  cJSON_AddStringToObject(r, "node", m->node_path ? m->node_path : "");
  cJSON_AddStringToObject(r, "addon_build", m->build ? m->build : "");
  if (m->sanitizer) cJSON_AddStringToObject(r, "sanitizer", m->sanitizer);
  gf_flag_set none = {.n = 0};
  cJSON_AddItemToObject(r, "v8_flags", gf_flag_set_to_json(m->v8_flags ? m->v8_flags : &none));
  snprintf(path, sizeof path, "%s/%s.json", s->crashes, f->hash);
  gf_sbuf_printf(&replay, "%s --runs auto ", m->replay_prefix); /* the prefix is quoted already */
  gf_sbuf_shell_quote(&replay, path);
  cJSON_AddStringToObject(r, "replay", replay.p && !replay.oom ? replay.p : "");
  gf_sbuf_free(&replay);
  return r;
}

gf_bucket *gf_store_add(gf_store *s, const gf_finding *f, const gf_case *c,
                        const char *stderr_tail, const gf_run_meta *m, int *is_new,
                        gf_err *err) {
  gf_bucket *b = gf_store_find(s, f->hash);
  *is_new = b == NULL;
  if (b == NULL && s->max_buckets && s->n >= s->max_buckets) {
    s->overflow++; /* memory stays bounded: counted, not kept */
    gf_errf(err, "max_buckets %zu reached: new signatures are counted (stats buckets_overflow), "
                 "not kept (this one: %s)", s->max_buckets, f->signature);
    return NULL;
  }
  if (b == NULL) {
    b = bucket_new(s);
    if (b == NULL) {
      gf_errf(err, "out of memory");
      return NULL;
    }
    gf_strlcpy(b->hash, f->hash, sizeof b->hash);
    gf_strlcpy(b->signature, f->signature, sizeof b->signature);
    gf_strlcpy(b->entry, c->entry, sizeof b->entry);
    b->kind = f->kind;
    b->record = new_record(s, f, c, stderr_tail, m);
    if (s->mode == GF_STORE_WRITE) hold_disk_only(b);
  } else {
    char now[32];
    gf_iso_time(now, sizeof now);
    gf_json_set(b->record, "last_seen", cJSON_CreateString(now));
  }
  b->count = gf_count_add(b->count, 1);
  gf_hint_count(b->record, f->kind, c); /* an exception only with reused inputs? */
  gf_store_rewrite(s, b, err); /* on failure b->dirty: counted, kept, retried */

  cJSON *ev = cJSON_CreateObject();
  cJSON_AddStringToObject(ev, "event", "crash");
  cJSON_AddStringToObject(ev, "hash", b->hash);
  cJSON_AddBoolToObject(ev, "new", *is_new);
  cJSON_AddStringToObject(ev, "kind", gf_kind_name(f->kind));
  cJSON_AddStringToObject(ev, "signature", f->signature);
  cJSON_AddStringToObject(ev, "case_id", c->id);
  cJSON_AddNumberToObject(ev, "count", (double)b->count);
  gf_store_event(s, ev);
  return b;
}

static cJSON *rate_json(unsigned runs, unsigned reproduced) {
  cJSON *rate = cJSON_CreateObject();
  cJSON_AddNumberToObject(rate, "runs", runs);
  cJSON_AddNumberToObject(rate, "reproduced", reproduced);
  return rate;
}

/* Logs {"event": name, "hash", "runs", "reproduced"}. */
static int rate_event(gf_store *s, const gf_bucket *b, const char *name, unsigned runs,
                      unsigned reproduced) {
  cJSON *ev = rate_json(runs, reproduced);
  cJSON_AddStringToObject(ev, "event", name);
  cJSON_AddStringToObject(ev, "hash", b->hash);
  return gf_store_event(s, ev);
}

/* A confirmation rate: the record field key, and the event that logs it. */
static int set_rate(gf_store *s, gf_bucket *b, const char *key, const char *event,
                    unsigned runs, unsigned reproduced, gf_err *err) {
  if (gf_store_update(s, b, key, rate_json(runs, reproduced), err) != 0) return -1;
  return rate_event(s, b, event, runs, reproduced);
}

int gf_store_set_repro(gf_store *s, gf_bucket *b, unsigned runs, unsigned reproduced,
                       gf_err *err) {
  return set_rate(s, b, "reproducibility", "confirm", runs, reproduced, err);
}

int gf_store_set_warm(gf_store *s, gf_bucket *b, unsigned runs, unsigned reproduced,
                      gf_err *err) {
  return set_rate(s, b, "reproducibility_warm", "confirm_warm", runs, reproduced, err);
}

double gf_record_score(const cJSON *r) {
  const cJSON *fresh = cJSON_GetObjectItemCaseSensitive(r, "reproducibility");
  const cJSON *warm = cJSON_GetObjectItemCaseSensitive(r, "reproducibility_warm");
  double runs = gf_json_count(fresh, "runs") + gf_json_count(warm, "runs");
  double hits = gf_json_count(fresh, "reproduced") + gf_json_count(warm, "reproduced");
  return runs > 0 ? hits / runs : -1;
}

int gf_store_set_case(gf_store *s, gf_bucket *b, const gf_case *c, unsigned runs,
                      unsigned fresh_hits, unsigned warm_hits, gf_err *err) {
  gf_json_set(b->record, "case", gf_case_to_json(c));
  gf_json_set(b->record, "reproducibility", rate_json(runs, fresh_hits));
  gf_json_set(b->record, "reproducibility_warm", rate_json(runs, warm_hits));
  if (write_record(s, b, err) != 0) return -1;
  cJSON *ev = rate_json(runs, fresh_hits);
  cJSON_AddNumberToObject(ev, "warm_reproduced", warm_hits);
  cJSON_AddStringToObject(ev, "event", "better_case");
  cJSON_AddStringToObject(ev, "hash", b->hash);
  cJSON_AddStringToObject(ev, "case_id", c->id);
  return gf_store_event(s, ev);
}

/* Of the rate at key, its runs; adds its hits to *hits. */
static double rate_runs(const cJSON *r, const char *key, double *hits) {
  const cJSON *rate = cJSON_GetObjectItemCaseSensitive(r, key);
  *hits += gf_json_count(rate, "reproduced");
  return gf_json_count(rate, "runs");
}

int gf_store_set_patience(gf_store *s, gf_bucket *b, uint32_t timeout_ms, unsigned runs,
                          unsigned finished, gf_err *err) {
  double hangs = runs - finished; /* the patience runs still running at its end */
  double of = runs + rate_runs(b->record, "reproducibility", &hangs) +
              rate_runs(b->record, "reproducibility_warm", &hangs);
  cJSON *p = cJSON_CreateObject();
  cJSON_AddNumberToObject(p, "timeout_ms", timeout_ms);
  cJSON_AddNumberToObject(p, "runs", runs);
  cJSON_AddNumberToObject(p, "finished", finished);
  cJSON_AddNumberToObject(p, "hangs", hangs); /* the verdict weighs every run (gf_bugs.h) */
  cJSON_AddNumberToObject(p, "of", of);
  return gf_store_update(s, b, "patience", p, err);
}

int gf_store_update(gf_store *s, gf_bucket *b, const char *key, cJSON *value, gf_err *err) {
  gf_json_set(b->record, key, value);
  return write_record(s, b, err);
}

cJSON *gf_store_minimized_fields(const gf_case *c, unsigned runs, unsigned reproduced) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "minimized_case", gf_case_to_json(c));
  cJSON_AddItemToObject(o, "minimized_rate", rate_json(runs, reproduced));
  return o;
}

int gf_store_set_minimized(gf_store *s, gf_bucket *b, const gf_case *c, unsigned runs,
                           unsigned reproduced, gf_err *err) {
  cJSON *fields = gf_store_minimized_fields(c, runs, reproduced);
  int rc = gf_store_amend(s, b, fields, err);
  cJSON_Delete(fields);
  return rc;
}

int gf_store_amendable(const char *key) {
  static const char *const keys[] = {"minimized_case", "minimized_rate", "reproduces_on", "last_replay"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    if (strcmp(key, keys[i]) == 0) return 1;
  return 0;
}

int gf_store_amend(gf_store *s, gf_bucket *b, const cJSON *fields, gf_err *err) {
  const cJSON *it;
  cJSON_ArrayForEach(it, fields) {
    if (!gf_store_amendable(it->string))
      return gf_errf(err, "%s: field %s may not be set by another command", b->hash, it->string);
    if (gf_record_check_field(it->string, it, err) != 0) return gf_err_prefix(err, "%s", b->hash);
  }
  cJSON_ArrayForEach(it, fields) gf_json_set(b->record, it->string, cJSON_Duplicate(it, 1));
  if (write_record(s, b, err) != 0) return -1;
  const cJSON *rate = cJSON_GetObjectItemCaseSensitive(fields, "minimized_rate");
  if (rate == NULL) return 0;
  const cJSON *runs = cJSON_GetObjectItemCaseSensitive(rate, "runs");
  const cJSON *rep = cJSON_GetObjectItemCaseSensitive(rate, "reproduced");
  return rate_event(s, b, "minimized", cJSON_IsNumber(runs) ? (unsigned)runs->valuedouble : 0,
                    cJSON_IsNumber(rep) ? (unsigned)rep->valuedouble : 0);
}

int gf_store_event(gf_store *s, cJSON *event) {
  char now[32];
  gf_iso_time(now, sizeof now);
  cJSON *line = cJSON_CreateObject();
  cJSON_AddStringToObject(line, "time", now);
  cJSON *it = event->child;
  while (it) { /* move the fields after "time" */
    cJSON *next = it->next;
    cJSON_AddItemToObject(line, it->string, cJSON_Duplicate(it, 1));
    it = next;
  }
  cJSON_Delete(event);
  char *text = cJSON_PrintUnformatted(line);
  cJSON_Delete(line);
  if (s->events_fd >= 0 && gf_log_rotate(s->events, GF_LOG_MAX)) open_events(s); /* a new generation */
  int rc = text && s->events_fd >= 0 ? gf_append_line(s->events_fd, text, NULL) : -1;
  free(text);
  if (rc != 0) s->events_lost++; /* a full disk: counted (stats, metrics), never silent */
  return rc;
}

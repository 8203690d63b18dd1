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

#define GF_RECORD_FILE_MAX (16 << 20) /* a record's file is read up to this size */

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
  if (b->file)
    snprintf(out, cap, "%s/%s", s->crashes, b->file);
  else
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

/* A record the schema accepts (fields that break it dropped, and named
 * when loud); err names what when it is not a gcfuzz record. */
static int check_record(cJSON *r, const char *what, int loud, gf_err *err) {
  char dropped[1024];
  gf_err why = {{0}};
  if (r == NULL || gf_record_check(r, dropped, sizeof dropped, &why) != 0)
    return gf_errf(err, "%s: not a gcfuzz crash record (%s); left as it is", what,
                   r == NULL ? "not JSON" : why.msg);
  if (loud && dropped[0]) fprintf(stderr, "gcfuzz: %s: field(s) dropped: %s\n", what, dropped);
  return 0;
}

/* A new index entry: its identity, count, and the facts of its record r.
 * NULL, err said, when out of memory. */
static gf_bucket *bucket_add(gf_store *s, const char *hash, const char *signature, gf_kind kind,
                             const char *entry, uint64_t count, const cJSON *r, gf_err *err) {
  char *sig = strdup(signature);
  gf_bucket *b = sig ? bucket_new(s) : NULL;
  if (b == NULL) {
    free(sig);
    gf_errf(err, "out of memory");
    return NULL;
  }
  gf_strlcpy(b->hash, hash, sizeof b->hash);
  b->signature = sig;
  gf_strlcpy(b->entry, entry, sizeof b->entry);
  b->kind = kind;
  b->count = count;
  gf_facts_of(&b->facts, r);
  return b;
}

/* The index entry of a parsed record (the record stays the caller's);
 * NULL, err naming what, when it is not a gcfuzz record. */
static gf_bucket *bucket_from_record(gf_store *s, cJSON *r, const char *what, gf_err *err) {
  if (check_record(r, what, 1, err) != 0) return NULL;
  const cJSON *kind = cJSON_GetObjectItemCaseSensitive(r, "kind");
  return bucket_add(s, cJSON_GetObjectItemCaseSensitive(r, "hash")->valuestring,
                    cJSON_GetObjectItemCaseSensitive(r, "signature")->valuestring,
                    gf_kind_from_name(kind->valuestring),
                    cJSON_GetObjectItemCaseSensitive(r, "entry")->valuestring,
                    (uint64_t)cJSON_GetObjectItemCaseSensitive(r, "count")->valuedouble, r, err);
}

/* Takes r as b's whole record: a reader's b->record, a writer's cached. */
static int keep_record(gf_store *s, gf_bucket *b, cJSON *r, size_t bytes) {
  if (s->mode == GF_STORE_READ) {
    b->record = r;
    return 0;
  }
  return gf_cache_put(&s->cache, (size_t)(b - s->b), r, bytes);
}

/* newest = r[key] when that is a later time ("2026-11-25T09:00:00Z"). */
static void note_time(char newest[21], const cJSON *r, const char *key) {
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, key);
  if (cJSON_IsString(t) && strlen(t->valuestring) == 20 && strcmp(t->valuestring, newest) > 0)
    gf_strlcpy(newest, t->valuestring, 21);
}

/* Loads the record crashes/name into the index; a writer leaves it on
 * disk, a reader keeps it whole. */
static int load_record(gf_store *s, const char *name, gf_err *err) {
  char path[PATH_MAX + 256], own[32];
  snprintf(path, sizeof path, "%s/%s", s->crashes, name);
  char *text = gf_read_file(path, GF_RECORD_FILE_MAX, NULL, err);
  if (text == NULL) return -1;
  cJSON *r = cJSON_Parse(text);
  free(text);
  gf_bucket *b = bucket_from_record(s, r, path, err);
  if (b == NULL) {
    cJSON_Delete(r);
    return -1;
  }
  snprintf(own, sizeof own, "%s.json", b->hash);
  if (strcmp(name, own) != 0) b->file = strdup(name); /* NULL (out of memory): <hash>.json */
  note_time(s->last_seen, r, "last_seen"); /* for a resumed run's stats */
  note_time(s->last_new, r, "first_seen");
  if (s->mode == GF_STORE_READ)
    b->record = r;
  else
    cJSON_Delete(r); /* on disk: memory is bounded by the index, not by records */
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
  cJSON *r = cJSON_Duplicate(record, 1);
  gf_bucket *b = bucket_from_record(s, r, "record", err);
  if (b == NULL) {
    cJSON_Delete(r);
    return NULL;
  }
  keep_record(s, b, r, 0); /* out of memory: the write below fails, b stays dirty */
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
    gf_err e = {{0}};
    if (load_record(s, names[i], &e) != 0) {
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
    free(s->b[i].signature);
    free(s->b[i].file);
    cJSON_Delete(s->b[i].record);
  }
  free(s->b);
  gf_cache_free(&s->cache);
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
  char path[PATH_MAX + 256];
  gf_store_record_path(s, b, path, sizeof path);
  char *text = gf_read_file(path, GF_RECORD_FILE_MAX, NULL, NULL);
  cJSON *r = text ? cJSON_Parse(text) : NULL;
  free(text);
  return r;
}

/* b's record read back from its file: checked as at open, and still b's
 * (not replaced meanwhile by another bucket's). Its length in *bytes. */
static cJSON *read_back(const gf_store *s, const gf_bucket *b, size_t *bytes, gf_err *err) {
  char path[PATH_MAX + 256];
  gf_err why = {{0}};
  gf_store_record_path(s, b, path, sizeof path);
  char *text = gf_read_file(path, GF_RECORD_FILE_MAX, bytes, &why);
  if (text == NULL) {
    gf_errf(err, "cannot read back the record of %s: %s", b->hash, why.msg);
    return NULL;
  }
  cJSON *r = cJSON_Parse(text);
  free(text);
  if (check_record(r, path, 0, &why) != 0) {
    cJSON_Delete(r);
    gf_errf(err, "cannot read back the record of %s: %s", b->hash, why.msg);
    return NULL;
  }
  const cJSON *hash = cJSON_GetObjectItemCaseSensitive(r, "hash");
  const cJSON *sig = cJSON_GetObjectItemCaseSensitive(r, "signature");
  if (strcmp(hash->valuestring, b->hash) != 0 || strcmp(sig->valuestring, b->signature) != 0) {
    cJSON_Delete(r);
    gf_errf(err, "%s: no longer the record of %s (%s); left as it is", path, b->hash,
            b->signature);
    return NULL;
  }
  return r;
}

cJSON *gf_store_record(gf_store *s, const gf_bucket *b, gf_err *err) {
  if (s->mode == GF_STORE_READ) return b->record;
  size_t at = (size_t)(b - s->b), bytes = 0;
  cJSON *r = gf_cache_get(&s->cache, at);
  if (r != NULL) return r;
  if ((r = read_back(s, b, &bytes, err)) == NULL) return NULL;
  if (gf_cache_put(&s->cache, at, r, bytes) != 0) {
    gf_errf(err, "out of memory");
    return NULL;
  }
  return r;
}

/* Writes r, b's record, with the index's count, and derives b's facts
 * from it. A failed write leaves b dirty and r pinned in the cache: its
 * only copy until gf_store_flush writes it. */
static int write_record(gf_store *s, gf_bucket *b, cJSON *r, gf_err *err) {
  char path[PATH_MAX + 256];
  gf_store_record_path(s, b, path, sizeof path);
  gf_json_set(r, "count", cJSON_CreateNumber((double)b->count));
  gf_facts_of(&b->facts, r);
  char *text = cJSON_Print(r);
  size_t len = text ? strlen(text) : 0;
  int rc = text ? gf_write_atomic(path, text, len, err) : gf_errf(err, "out of memory");
  free(text);
  b->dirty = rc != 0;
  gf_cache_mark(&s->cache, (size_t)(b - s->b), len, b->dirty);
  return rc;
}

int gf_store_rewrite(gf_store *s, gf_bucket *b, gf_err *err) {
  cJSON *r = gf_store_record(s, b, err);
  if (r == NULL) {
    b->dirty = 1; /* its count waits until the record reads back */
    return -1;
  }
  return write_record(s, b, r, err);
}

size_t gf_store_flush(gf_store *s, size_t *written) {
  size_t left = 0, done = 0;
  for (size_t i = 0; i < s->n; i++) {
    gf_err err = {{0}};
    if (!s->b[i].dirty) continue;
    if (gf_store_rewrite(s, &s->b[i], &err) != 0)
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

/* The bucket of a new signature, its record in the cache (or, out of
 * memory for it, to be written once it can be). NULL out of memory. */
static gf_bucket *open_bucket(gf_store *s, const gf_finding *f, const gf_case *c,
                              const char *stderr_tail, const gf_run_meta *m, gf_err *err) {
  cJSON *r = new_record(s, f, c, stderr_tail, m);
  gf_bucket *b = r ? bucket_add(s, f->hash, f->signature, f->kind, c->entry, 0, r, err) : NULL;
  if (b == NULL) {
    cJSON_Delete(r);
    gf_errf(err, "out of memory");
    return NULL;
  }
  keep_record(s, b, r, 0);
  return b;
}

/* A known bucket's record, for one more occurrence: read back, or - when
 * its file was deleted meanwhile - made anew from this one. NULL when it
 * is there but cannot be read (err says why). */
static cJSON *record_again(gf_store *s, gf_bucket *b, const gf_finding *f, const gf_case *c,
                           const char *stderr_tail, const gf_run_meta *m, gf_err *err) {
  char path[PATH_MAX + 256], now[32];
  cJSON *r = gf_store_record(s, b, err);
  gf_store_record_path(s, b, path, sizeof path);
  if (r == NULL && access(path, F_OK) != 0 && errno == ENOENT &&
      (r = new_record(s, f, c, stderr_tail, m)) != NULL && keep_record(s, b, r, 0) != 0)
    r = NULL;
  gf_iso_time(now, sizeof now);
  if (r) gf_json_set(r, "last_seen", cJSON_CreateString(now));
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
  if (b == NULL && (b = open_bucket(s, f, c, stderr_tail, m, err)) == NULL) return NULL;
  cJSON *r = *is_new ? gf_store_record(s, b, err) : record_again(s, b, f, c, stderr_tail, m, err);
  b->count = gf_count_add(b->count, 1);
  if (r) {
    gf_hint_count(r, f->kind, c); /* an exception only with reused inputs? */
    write_record(s, b, r, err);   /* on failure b->dirty: counted, kept, retried */
  } else {
    b->dirty = 1; /* counted; written once its record reads back (gf_store_flush) */
  }

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

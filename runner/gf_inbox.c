/* gf_inbox.c - see gf_inbox.h. */
#include "gf_inbox.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gf_fs.h"
#include "gf_record.h"
#include "gf_store.h"

int gf_inbox_post(const char *out_dir, const char *hash, const cJSON *fields, gf_err *err) {
  static unsigned seq;
  char dir[PATH_MAX + 8], path[PATH_MAX + 64];
  snprintf(dir, sizeof dir, "%s/inbox", out_dir);
  if (gf_mkdirs(dir, err) != 0) return -1;
  snprintf(path, sizeof path, "%s/%.16s-%ld-%u.json", dir, hash, (long)getpid(), seq++);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "hash", hash);
  cJSON_AddItemToObject(o, "fields", cJSON_Duplicate(fields, 1));
  char *text = cJSON_Print(o);
  cJSON_Delete(o);
  int rc = text ? gf_write_atomic(path, text, strlen(text), err) : gf_errf(err, "out of memory");
  free(text);
  return rc;
}

/* Applies one inbox file to s; err says why not. */
static int apply_file(struct gf_store *s, const char *path, gf_err *err) {
  char *text = gf_read_file(path, 4 << 20, NULL, err);
  if (text == NULL) return -1;
  cJSON *o = cJSON_Parse(text);
  free(text);
  const cJSON *hash = cJSON_GetObjectItemCaseSensitive(o, "hash");
  const cJSON *fields = cJSON_GetObjectItemCaseSensitive(o, "fields");
  gf_bucket *b = cJSON_IsString(hash) ? gf_store_find(s, hash->valuestring) : NULL;
  gf_err why = {{0}};
  int rc;
  if (o == NULL || !cJSON_IsObject(fields))
    rc = gf_errf(err, "not an inbox change (needs hash and fields)");
  else if (gf_record_check_field("hash", hash, &why) != 0) /* the record schema's row */
    rc = gf_errf(err, "%s", why.msg);
  else if (b == NULL)
    rc = gf_errf(err, "hash: no such bucket in this folder");
  else
    rc = gf_store_amend(s, b, fields, err);
  cJSON_Delete(o);
  return rc;
}

int gf_inbox_apply(struct gf_store *s, int max) {
  char dir[PATH_MAX + 8];
  snprintf(dir, sizeof dir, "%s/inbox", s->dir);
  if (!gf_is_dir(dir)) return 0;
  char **names;
  gf_err err = {{0}};
  int n = gf_list_dir(dir, ".json", &names, &err), applied = 0;
  for (int i = 0; i < n && (max <= 0 || i < max); i++) {
    char path[PATH_MAX + 300], bad[PATH_MAX + 310];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (apply_file(s, path, &err) == 0) {
      unlink(path);
      applied++;
      continue;
    }
    snprintf(bad, sizeof bad, "%s.bad", path);
    fprintf(stderr, "gcfuzz: %s: %s; moved to %s\n", path, err.msg, bad);
    rename(path, bad);
  }
  if (n >= 0) gf_free_names(names, n);
  return applied;
}

int gf_inbox_amend(const char *out_dir, const char *hash, const cJSON *fields, gf_err *err) {
  gf_store st;
  int rc = gf_store_open_brief(&st, out_dir, err);
  if (rc == 1) {
    gf_err lock = *err;
    if (gf_inbox_post(out_dir, hash, fields, err) != 0) return -1;
    *err = lock;
    return 1;
  }
  if (rc != 0) return -1;
  gf_bucket *b = gf_store_find(&st, hash);
  rc = b ? gf_store_amend(&st, b, fields, err)
         : gf_errf(err, "%s: no record %s.json in %s", out_dir, hash, st.crashes);
  gf_store_close(&st);
  return rc;
}

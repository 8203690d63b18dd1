/* gf_merge.c - see gf_merge.h. */
#include "gf_merge.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gf_corpus.h"
#include "gf_feedback.h"
#include "gf_fs.h"
#include "gf_json.h"
#include "gf_record.h"

/* What each origin contributed to a source record: its merged_counts, plus
 * the rest of its count for the source's own origin. */
static cJSON *contributions(const cJSON *rec, const char *origin) {
  cJSON *c = cJSON_CreateObject();
  const cJSON *mc = cJSON_GetObjectItemCaseSensitive(rec, "merged_counts"), *it;
  double others = 0; /* the record was checked: an origin -> count map, counts <= 2^53 */
  cJSON_ArrayForEach(it, mc) {
    cJSON_AddNumberToObject(c, it->string, it->valuedouble);
    others += it->valuedouble;
  }
  double own = gf_json_count(rec, "count") - others;
  cJSON_DeleteItemFromObjectCaseSensitive(c, origin);
  cJSON_AddNumberToObject(c, origin, own > 0 ? own : 0);
  return c;
}

/* Per origin (but dst's own, whose count dst keeps itself): the larger of
 * the two, the difference added to b->count (rec is b's record). Returns
 * what was added. */
static uint64_t merge_counts(gf_store *dst, gf_bucket *b, cJSON *rec, const cJSON *contrib) {
  cJSON *mc = cJSON_GetObjectItemCaseSensitive(rec, "merged_counts");
  if (!cJSON_IsObject(mc)) {
    mc = cJSON_CreateObject();
    gf_json_set(rec, "merged_counts", mc);
  }
  uint64_t added = 0;
  const cJSON *it;
  cJSON_ArrayForEach(it, contrib) {
    if (strcmp(it->string, dst->origin) == 0) continue;
    double have = gf_json_count(mc, it->string);
    if (it->valuedouble <= have) continue;
    added = gf_count_add(added, (uint64_t)(it->valuedouble - have));
    gf_json_set(mc, it->string, cJSON_CreateNumber(it->valuedouble));
  }
  b->count = gf_count_add(b->count, added);
  return added;
}

/* src's case, when it reproduces better than rec's, with its rates: a rate
 * belongs to the case it was measured on. */
static int better_case(cJSON *rec, const cJSON *src) {
  const cJSON *fresh = cJSON_GetObjectItemCaseSensitive(src, "reproducibility");
  const cJSON *warm = cJSON_GetObjectItemCaseSensitive(src, "reproducibility_warm");
  double ss = gf_record_score(src), ds = gf_record_score(rec);
  /* As good, on more runs, is better evidence. */
  double sruns = gf_json_count(fresh, "runs");
  double druns = gf_json_count(cJSON_GetObjectItemCaseSensitive(rec, "reproducibility"), "runs");
  int better = ss > ds || (ss == ds && ss >= 0 && sruns > druns);
  gf_case c;
  if (!better || gf_case_from_json(&c, cJSON_GetObjectItemCaseSensitive(src, "case"), NULL) != 0)
    return 0;
  gf_json_set(rec, "case", gf_case_to_json(&c));
  const char *keys[] = {"reproducibility", "reproducibility_warm"};
  const cJSON *rates[] = {fresh, warm};
  for (int i = 0; i < 2; i++) {
    cJSON *rate = cJSON_CreateObject();
    cJSON_AddNumberToObject(rate, "runs", gf_json_count(rates[i], "runs"));
    cJSON_AddNumberToObject(rate, "reproduced", gf_json_count(rates[i], "reproduced"));
    if (cJSON_IsObject(rates[i]))
      gf_json_set(rec, keys[i], rate);
    else { /* src has no warm rate: neither has its case */
      cJSON_Delete(rate);
      cJSON_DeleteItemFromObjectCaseSensitive(rec, keys[i]);
    }
  }
  return 1;
}

/* Times, the better case with its rates, and the minimized case of src's
 * record into rec. */
static int merge_fields(cJSON *rec, const cJSON *src) {
  int changed = 0;
  const cJSON *sf = cJSON_GetObjectItemCaseSensitive(src, "first_seen");
  const cJSON *sl = cJSON_GetObjectItemCaseSensitive(src, "last_seen");
  const cJSON *df = cJSON_GetObjectItemCaseSensitive(rec, "first_seen");
  const cJSON *dl = cJSON_GetObjectItemCaseSensitive(rec, "last_seen");
  if (cJSON_IsString(sf) && (!cJSON_IsString(df) || strcmp(sf->valuestring, df->valuestring) < 0)) {
    gf_json_set(rec, "first_seen", cJSON_CreateString(sf->valuestring));
    changed = 1;
  }
  if (cJSON_IsString(sl) && (!cJSON_IsString(dl) || strcmp(sl->valuestring, dl->valuestring) > 0)) {
    gf_json_set(rec, "last_seen", cJSON_CreateString(sl->valuestring));
    changed = 1;
  }
  changed |= better_case(rec, src);
  const cJSON *mcase = cJSON_GetObjectItemCaseSensitive(src, "minimized_case");
  gf_case c;
  if (mcase && !cJSON_GetObjectItemCaseSensitive(rec, "minimized_case") &&
      gf_case_from_json(&c, mcase, NULL) == 0) {
    gf_json_set(rec, "minimized_case", gf_case_to_json(&c));
    const cJSON *mr = cJSON_GetObjectItemCaseSensitive(src, "minimized_rate");
    if (cJSON_IsObject(mr)) gf_json_set(rec, "minimized_rate", cJSON_Duplicate(mr, 1));
    changed = 1;
  }
  return changed;
}

static void merge_record(gf_store *dst, const gf_store *src, const gf_bucket *sb,
                         gf_merge_result *r) {
  gf_err err = {{0}};
  gf_bucket *b = gf_store_find(dst, sb->hash);
  if (b && strcmp(b->signature, sb->signature) != 0) { /* one hash, two bugs: a forged record */
    fprintf(stderr, "gcfuzz merge: %s/%s.json: its signature is not DEST's of that hash; skipped\n",
            src->crashes, sb->hash);
    r->unreadable++;
    return;
  }
  cJSON *contrib = contributions(sb->record, src->origin);
  if (b == NULL) {
    cJSON *copy = cJSON_Duplicate(sb->record, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(copy, "merged_counts");
    gf_json_set(copy, "count", cJSON_CreateNumber(0));
    b = gf_store_adopt(dst, copy, &err);
    cJSON_Delete(copy);
    if (b == NULL) {
      fprintf(stderr, "gcfuzz merge: %s/%s.json: %s\n", src->crashes, sb->hash, err.msg);
      r->unreadable++;
      cJSON_Delete(contrib);
      return;
    }
    r->new_buckets++;
  }
  cJSON *rec = gf_store_record(dst, b, &err);
  if (rec == NULL) { /* DEST's own, unreadable now: named, left as it is */
    fprintf(stderr, "gcfuzz merge: %s; %s/%s.json not merged into it\n", err.msg, src->crashes,
            sb->hash);
    r->unreadable++;
    cJSON_Delete(contrib);
    return;
  }
  uint64_t added = merge_counts(dst, b, rec, contrib);
  int changed = merge_fields(rec, sb->record);
  cJSON_Delete(contrib);
  r->count_added += added;
  if (added || changed || b->dirty) {
    if (added || changed) r->updated_buckets++;
    if (gf_store_rewrite(dst, b, &err) != 0) fprintf(stderr, "gcfuzz merge: %s\n", err.msg);
  }
}

/* Cases of src/sub not in dst/sub: parsed, then written in the case format. */
static void merge_cases(const char *src_dir, const char *dst_dir, const char *sub,
                        gf_merge_result *r) {
  char from[PATH_MAX + 32], to[PATH_MAX + 32];
  snprintf(from, sizeof from, "%s/%s", src_dir, sub);
  snprintf(to, sizeof to, "%s/%s", dst_dir, sub);
  char **names;
  gf_err err = {{0}};
  int n = gf_is_dir(from) ? gf_list_dir(from, ".json", &names, &err) : -1;
  if (n < 0) return;
  gf_mkdirs(to, &err);
  for (int i = 0; i < n; i++) {
    char in[PATH_MAX + 300], out[PATH_MAX + 300];
    snprintf(in, sizeof in, "%s/%s", from, names[i]);
    snprintf(out, sizeof out, "%s/%s", to, names[i]);
    gf_case c;
    if (access(out, F_OK) == 0) continue;
    if (gf_case_load_file(&c, in, NULL, &err) != 0) {
      fprintf(stderr, "gcfuzz merge: skipping %s\n", err.msg);
      r->unreadable++;
      continue;
    }
    char *line = gf_case_to_line(&c);
    if (line && gf_write_atomic(out, line, strlen(line), &err) == 0) r->corpus_added++;
    free(line);
    uint32_t ids[GF_FEATURES_PER_CASE];
    size_t len = strlen(in) - 5; /* <name>.feat beside <name>.json */
    snprintf(in + len, sizeof in - len, ".feat");
    snprintf(out + strlen(out) - 5, 6, ".feat");
    int k = access(in, F_OK) == 0 ? gf_feedback_read_ids(in, ids, GF_FEATURES_PER_CASE, &err) : -1;
    if (k >= 0) gf_feedback_write_ids(out, ids, k, &err);
  }
  gf_free_names(names, n);
}

static unsigned merge_features(const char *src_dir, const char *dst_dir, gf_merge_result *r) {
  char sp[PATH_MAX + 32], dp[PATH_MAX + 32];
  snprintf(sp, sizeof sp, "%s/features.json", src_dir);
  snprintf(dp, sizeof dp, "%s/features.json", dst_dir);
  gf_feedback a, b;
  gf_err err = {{0}};
  gf_feedback_init(&a);
  gf_feedback_init(&b);
  if (access(sp, F_OK) != 0) return 0;
  if (gf_feedback_load(&b, sp, &err) != 0 || gf_feedback_load(&a, dp, &err) != 0) {
    fprintf(stderr, "gcfuzz merge: skipping %s\n", err.msg);
    r->unreadable++;
    return 0;
  }
  unsigned before = a.count;
  for (uint32_t id = 0; id < GF_FEATURE_MAP; id++)
    if (b.map[id / 8] & (1u << (id % 8))) gf_feedback_add(&a, &id, 1);
  if (a.count != before && gf_feedback_save(&a, dp, &err) != 0)
    fprintf(stderr, "gcfuzz merge: %s\n", err.msg);
  return a.count - before;
}

int gf_merge(gf_store *dst, const char *src_dir, gf_merge_result *r, gf_err *err) {
  gf_store src;
  if (!gf_is_dir(src_dir)) return gf_errf(err, "%s: not a directory", src_dir);
  if (gf_store_open(&src, src_dir, GF_STORE_READ, err) != 0) return -1;
  if (strcmp(src.origin, dst->origin) == 0) {
    gf_store_close(&src);
    return gf_errf(err, "%s: is the destination itself (same origin %s)", src_dir, dst->origin);
  }
  r->unreadable += (unsigned)src.skipped;
  for (size_t i = 0; i < src.n; i++) merge_record(dst, &src, &src.b[i], r);
  merge_cases(src_dir, dst->dir, "corpus", r);
  merge_cases(src_dir, dst->dir, "corpus/feedback", r);
  r->features_added += merge_features(src_dir, dst->dir, r);
  cJSON *ev = cJSON_CreateObject();
  cJSON_AddStringToObject(ev, "event", "merge");
  cJSON_AddStringToObject(ev, "source", src_dir);
  cJSON_AddStringToObject(ev, "origin", src.origin);
  cJSON_AddNumberToObject(ev, "buckets", (double)src.n);
  gf_store_event(dst, ev);
  gf_store_close(&src);
  return 0;
}

/* gf_replay.c - see gf_replay.h. */
#include "gf_replay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "gf_bugs.h"
#include "gf_corpus.h"
#include "gf_fs.h"
#include "gf_inbox.h"
#include "gf_json.h"
#include "gf_record.h"
#include "gf_oneshot.h"
#include "gf_spawn.h"
#include "gf_store.h"

/* With --entry, a signature names the old entry: rename it, and hash it. */
static void retarget_signature(char *sig, size_t cap, char *hash, const char *old_entry,
                               const char *entry) {
  char from[64], *at;
  snprintf(from, sizeof from, "entry=%s", old_entry);
  at = strstr(sig, from);
  if (at && strcmp(old_entry, entry) != 0) {
    char rest[512];
    gf_strlcpy(rest, at + strlen(from), sizeof rest);
    snprintf(at, cap - (size_t)(at - sig), "entry=%s%s", entry, rest);
  }
  snprintf(hash, 17, "%016llx", (unsigned long long)gf_fnv1a64(sig));
}

/* The other signatures of the record's bug: its same_bug_as and its
 * manifestations (gf_bugs.h); anything malformed is left out. */
static void read_same_bug(gf_replay_item *it, const cJSON *j, const char *entry) {
  const cJSON *refs[GF_REPLAY_SAME_BUG + 1];
  int n = 0;
  const cJSON *m, *root = cJSON_GetObjectItemCaseSensitive(j, "same_bug_as");
  if (cJSON_IsObject(root)) refs[n++] = root;
  cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(j, "manifestations"))
    if (n < GF_REPLAY_SAME_BUG && cJSON_IsObject(m)) refs[n++] = m;
  for (int i = 0; i < n; i++) {
    const cJSON *sig = cJSON_GetObjectItemCaseSensitive(refs[i], "signature");
    if (!cJSON_IsString(sig) || !sig->valuestring[0] ||
        strlen(sig->valuestring) >= sizeof it->same_bug[0].sig)
      continue;
    gf_sig_ref *r = &it->same_bug[it->nsame_bug++];
    gf_strlcpy(r->sig, sig->valuestring, sizeof r->sig);
    retarget_signature(r->sig, sizeof r->sig, r->hash, it->c.entry, entry);
  }
}

/* Which of the record's bug's other signatures f has, or -1. */
static int same_bug_index(const gf_replay_item *it, const gf_finding *f) {
  for (int i = 0; i < it->nsame_bug; i++)
    if (gf_signature_matches(f, it->same_bug[i].sig, it->same_bug[i].hash)) return i;
  return -1;
}

/* A record's rate field {runs, reproduced}, both counts, or 0/0. */
static void read_rate(const cJSON *j, const char *key, unsigned *runs, unsigned *hits) {
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, key);
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(r, "runs");
  const cJSON *h = cJSON_GetObjectItemCaseSensitive(r, "reproduced");
  *runs = *hits = 0;
  if (cJSON_IsNumber(k) && cJSON_IsNumber(h) && k->valuedouble >= 1 && h->valuedouble >= 0 &&
      h->valuedouble <= k->valuedouble && k->valuedouble < 1e6) {
    *runs = (unsigned)k->valuedouble;
    *hits = (unsigned)h->valuedouble;
  }
}

int gf_replay_load(gf_replay_item *it, const char *path, const char *entry, const char *build,
                   const char *cfg_build, gf_err *err) {
  memset(it, 0, sizeof *it);
  gf_strlcpy(it->path, path, sizeof it->path);
  gf_strlcpy(it->build, build ? build : cfg_build, sizeof it->build);
  it->build_from_cli = build != NULL;
  cJSON *j;
  char dropped[1024];
  if (gf_case_load_file(&it->c, path, &j, err) != 0) return -1;
  /* A crash record is read through its schema, like every reader's. */
  if (cJSON_GetObjectItemCaseSensitive(j, "gcfuzz_record")) {
    gf_err why = {{0}};
    if (gf_record_check(j, dropped, sizeof dropped, &why) != 0) {
      cJSON_Delete(j);
      return gf_errf(err, "%s: not a gcfuzz crash record (%s)", path, why.msg);
    }
    if (dropped[0]) fprintf(stderr, "gcfuzz: %s: field(s) dropped: %s\n", path, dropped);
  }
  const cJSON *rec_build = cJSON_GetObjectItemCaseSensitive(j, "addon_build");
  if (!build && cJSON_IsString(rec_build) && rec_build->valuestring[0] &&
      strlen(rec_build->valuestring) < sizeof it->build)
    gf_strlcpy(it->build, rec_build->valuestring, sizeof it->build);
  const cJSON *san = cJSON_GetObjectItemCaseSensitive(j, "sanitizer");
  it->sanitizer = gf_sanitizer_from_name(cJSON_IsString(san) ? san->valuestring : NULL);
  read_rate(j, "reproducibility", &it->rec_runs, &it->rec_reproduced);
  it->slow_case = gf_patience_slow(cJSON_GetObjectItemCaseSensitive(j, "patience"));
  read_rate(j, "reproducibility_warm", &it->rec_warm_runs, &it->rec_warm_reproduced);
  const cJSON *node = cJSON_GetObjectItemCaseSensitive(j, "node");
  const cJSON *nv = cJSON_GetObjectItemCaseSensitive(j, "node_version");
  if (cJSON_IsString(nv) && strlen(nv->valuestring) < sizeof it->rec_node_version)
    gf_strlcpy(it->rec_node_version, nv->valuestring, sizeof it->rec_node_version);
  /* The binary it was found on, if this machine still has it. */
  if (cJSON_IsString(node) && node->valuestring[0] == '/' && access(node->valuestring, X_OK) == 0 &&
      strlen(node->valuestring) < sizeof it->node_path)
    gf_strlcpy(it->node_path, node->valuestring, sizeof it->node_path);
  const cJSON *sig = cJSON_GetObjectItemCaseSensitive(j, "signature");
  const cJSON *flags = cJSON_GetObjectItemCaseSensitive(j, "v8_flags");
  if (flags && gf_flag_set_from_json(&it->v8_flags, flags, "v8_flags", err) != 0) {
    cJSON_Delete(j);
    return gf_err_prefix(err, "%s", path);
  }
  if (cJSON_IsString(sig) && cJSON_GetObjectItemCaseSensitive(j, "gcfuzz_record")) {
    gf_strlcpy(it->want_sig, sig->valuestring, sizeof it->want_sig);
    retarget_signature(it->want_sig, sizeof it->want_sig, it->want_hash, it->c.entry,
                       entry ? entry : it->c.entry);
    read_same_bug(it, j, entry ? entry : it->c.entry);
  }
  it->cross_build = build && cJSON_IsString(rec_build) && strcmp(build, rec_build->valuestring) != 0;
  cJSON_Delete(j);
  if (entry) gf_strlcpy(it->c.entry, entry, sizeof it->c.entry);
  return 0;
}

/* How a use-after-free shows on a build: a memory error, a crash, a wrong
 * result, or V8 aborting on a corrupted heap - or the record's own kind. */
static int other_build_face(const gf_replay_item *it, const gf_finding *f) {
  size_t n = strcspn(it->want_sig, ":");
  const char *kind = gf_kind_name(f->kind);
  return f->kind == GF_KIND_ASAN || f->kind == GF_KIND_SIGNAL || f->kind == GF_KIND_MISMATCH ||
         f->kind == GF_KIND_V8_FATAL || (strlen(kind) == n && strncmp(kind, it->want_sig, n) == 0);
}

static void on_run(gf_oneshot *o, void *data, int found, const gf_finding *f,
                   const char *tail) {
  gf_replay_item *it = data;
  gf_node_tally *nt = &it->node[it->node_now];
  (void)tail;
  it->runs++;
  it->warm_runs += (unsigned)o->last_warm;
  nt->runs++;
  if (o->last_node_version[0]) gf_strlcpy(nt->version, o->last_node_version, sizeof nt->version);
  if (found <= 0) {
    if (found < 0)
      it->harness_errors++;
    else
      it->clean[o->last_warm ? 1 : 0]++;
    return;
  }
  int own = !it->want_hash[0] || gf_signature_matches(f, it->want_sig, it->want_hash);
  int same_bug = !own && same_bug_index(it, f) >= 0;
  int other_build = !own && !same_bug && it->cross_build && other_build_face(it, f);
  if (own || same_bug || other_build) {
    it->reproduced++;
    it->warm_reproduced += (unsigned)o->last_warm;
    nt->reproduced++;
    if (same_bug) {
      it->reproduced_same_bug++;
      gf_strlcpy(it->same_bug_sig, f->signature, sizeof it->same_bug_sig);
    }
    if (other_build) {
      it->reproduced_other_build++;
      gf_strlcpy(it->other_build_sig, f->signature, sizeof it->other_build_sig);
    }
  } else {
    it->other++;
    gf_strlcpy(it->other_sig, f->signature, sizeof it->other_sig);
  }
}

cJSON *gf_replay_nodes_json(const gf_replay_item *it, int nnodes, int as_map) {
  cJSON *o = as_map ? cJSON_CreateObject() : cJSON_CreateArray();
  for (int i = 0; i < nnodes; i++) {
    cJSON *t = cJSON_CreateObject();
    if (!as_map) cJSON_AddStringToObject(t, "version", it->node[i].version);
    cJSON_AddNumberToObject(t, "runs", it->node[i].runs);
    cJSON_AddNumberToObject(t, "reproduced", it->node[i].reproduced);
    if (as_map)
      cJSON_AddItemToObject(o, it->node[i].version[0] ? it->node[i].version : "unknown", t);
    else
      cJSON_AddItemToArray(o, t);
  }
  return o;
}

/* {"status","runs","reproduced","warm_runs","warm_reproduced","build","node_version","time"} */
static cJSON *verdict_json(const gf_replay_item *it) {
  double miss;
  char now[32];
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "status", gf_replay_verdict(it, &miss));
  cJSON_AddNumberToObject(o, "runs", it->runs);
  cJSON_AddNumberToObject(o, "reproduced", it->reproduced);
  cJSON_AddNumberToObject(o, "warm_runs", it->warm_runs);
  cJSON_AddNumberToObject(o, "warm_reproduced", it->warm_reproduced);
  cJSON_AddStringToObject(o, "build", it->build);
  cJSON_AddStringToObject(o, "node_version", it->node[it->node_now].version);
  gf_iso_time(now, sizeof now);
  cJSON_AddStringToObject(o, "time", now);
  return o;
}

/* A record in OUT/crashes/ keeps which Node versions it reproduces on and
 * its verdict: written at once, or posted to the inbox of a daemon that
 * holds OUT. */
void gf_replay_record(const gf_replay_item *items, size_t n, int nnodes, int keep) {
  char dir[PATH_MAX], open_dir[PATH_MAX] = "";
  gf_store st;
  int held = 0; /* open_dir is locked by a daemon: post instead */
  for (size_t i = 0; i < n; i++) {
    const gf_replay_item *it = &items[i];
    gf_err err = {{0}};
    if (!it->want_hash[0] || gf_store_dir_of_record(it->path, dir, sizeof dir) != 0) continue;
    if (strcmp(dir, open_dir) != 0) { /* items of one OUT share one open store */
      if (open_dir[0] && !held) gf_store_close(&st);
      open_dir[0] = '\0';
      int rc = gf_store_open_brief(&st, dir, &err);
      if (rc < 0) {
        fprintf(stderr, "gcfuzz: replay: %s\n", err.msg);
        continue;
      }
      held = rc == 1;
      gf_strlcpy(open_dir, dir, sizeof open_dir);
    }
    cJSON *fields = cJSON_CreateObject();
    if (keep & GF_KEEP_NODES) cJSON_AddItemToObject(fields, "reproduces_on", gf_replay_nodes_json(it, nnodes, 1));
    if (keep & GF_KEEP_VERDICT) cJSON_AddItemToObject(fields, "last_replay", verdict_json(it));
    gf_bucket *b = held ? NULL : gf_store_find(&st, it->want_hash);
    int rc = held ? gf_inbox_post(dir, it->want_hash, fields, &err)
             : b  ? gf_store_amend(&st, b, fields, &err)
                  : 0;
    cJSON_Delete(fields);
    if (rc != 0) fprintf(stderr, "gcfuzz: replay: %s\n", err.msg);
  }
  if (open_dir[0] && !held) gf_store_close(&st);
}

cJSON *gf_replay_item_json(const gf_replay_item *it, int nnodes) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "file", it->path);
  cJSON_AddStringToObject(o, "id", it->c.id);
  cJSON_AddStringToObject(o, "entry", it->c.entry);
  cJSON_AddStringToObject(o, "signature", it->want_sig);
  cJSON_AddNumberToObject(o, "runs", it->runs);
  cJSON_AddNumberToObject(o, "reproduced", it->reproduced);
  if (it->reproduced_other_build) {
    cJSON_AddNumberToObject(o, "reproduced_on_other_build", it->reproduced_other_build);
    cJSON_AddStringToObject(o, "other_build_signature", it->other_build_sig);
  }
  if (it->reproduced_same_bug) {
    cJSON_AddNumberToObject(o, "reproduced_as_same_bug", it->reproduced_same_bug);
    cJSON_AddStringToObject(o, "same_bug_signature", it->same_bug_sig);
  }
  if (it->slow_case) cJSON_AddBoolToObject(o, "slow_case", 1);
  cJSON_AddNumberToObject(o, "other_failures", it->other);
  if (it->other) cJSON_AddStringToObject(o, "other_signature", it->other_sig);
  cJSON_AddNumberToObject(o, "harness_errors", it->harness_errors);
  if (nnodes > 1) cJSON_AddItemToObject(o, "nodes", gf_replay_nodes_json(it, nnodes, 0));
  double miss;
  cJSON_AddStringToObject(o, "status", gf_replay_verdict(it, &miss));
  cJSON_AddStringToObject(o, "build", it->build);
  if (it->rec_runs) {
    cJSON *rate = cJSON_AddObjectToObject(o, "record_rate");
    cJSON_AddNumberToObject(rate, "runs", it->rec_runs);
    cJSON_AddNumberToObject(rate, "reproduced", it->rec_reproduced);
  }
  /* the chance a live bug goes unseen in these runs: none once it was seen */
  cJSON_AddNumberToObject(o, "miss_chance", it->reproduced ? 0 : miss);
  if (it->rec_warm_runs) {
    cJSON *warm = cJSON_AddObjectToObject(o, "warm");
    cJSON_AddNumberToObject(warm, "runs", it->warm_runs);
    cJSON_AddNumberToObject(warm, "reproduced", it->warm_reproduced);
    cJSON *rate = cJSON_AddObjectToObject(o, "record_rate_warm");
    cJSON_AddNumberToObject(rate, "runs", it->rec_warm_runs);
    cJSON_AddNumberToObject(rate, "reproduced", it->rec_warm_reproduced);
  }
  if (it->rec_node_version[0]) cJSON_AddStringToObject(o, "found_on", it->rec_node_version);
  if (it->node[it->node_now].version[0])
    cJSON_AddStringToObject(o, "replayed_on", it->node[it->node_now].version);
  return o;
}

/* The node an item runs on: the matrix's (node), else its record's, else the config's. */
static const char *item_node(const gf_config *base, const char *node, const gf_replay_item *it) {
  return node ? node : it->node_path[0] ? it->node_path : base->node;
}

static int in_group(const gf_config *base, const char *node, const gf_replay_item *it,
                    const char *build, const char *group_node) {
  return strcmp(it->build, build) == 0 && strcmp(item_node(base, node, it), group_node) == 0;
}

/* Runs the items of one build and node: their own plan, with their records' flags. */
static int run_build_group(const gf_config *base, const char *node, const char *build,
                           const char *group_node, int node_index, unsigned workers,
                           gf_replay_item *items, size_t n) {
  gf_config *cfg = malloc(sizeof *cfg);
  gf_spawn_plan plan;
  gf_err err = {{0}};
  if (cfg == NULL) return -1;
  *cfg = *base;
  gf_strlcpy(cfg->node, group_node, sizeof cfg->node);
  cfg->n_flag_sets = 0;
  int first = 1;
  for (size_t i = 0; i < n; i++) {
    if (!in_group(base, node, &items[i], build, group_node)) continue;
    if (first) gf_config_use_build(cfg, build, items[i].build_from_cli, items[i].sanitizer);
    first = 0;
    items[i].flag_set = gf_config_flag_set_index(cfg, &items[i].v8_flags);
    if (items[i].flag_set < 0) { /* more distinct sets than a plan holds */
      fprintf(stderr, "gcfuzz: replay: %s: more than %d different v8_flags in one replay: it runs "
                      "with the first record's flags, not its own (replay it alone)\n",
              items[i].path, GF_MAX_FLAG_SETS);
      items[i].flag_set = 0;
    }
  }
  if (cfg->n_flag_sets == 0) cfg->n_flag_sets = 1; /* one empty set */
  if (gf_spawn_plan_init(&plan, cfg, &err) != 0) {
    fprintf(stderr, "gcfuzz: replay: build %s: %s\n", build, err.msg);
    free(cfg);
    return -1;
  }
  uv_loop_t loop;
  gf_oneshot pool;
  uv_loop_init(&loop);
  gf_oneshot_init(&pool, &loop, cfg, &plan, (int)workers, on_run, NULL);
  for (size_t i = 0; i < n; i++) {
    if (!in_group(base, node, &items[i], build, group_node)) continue;
    items[i].node_now = node_index;
    for (unsigned k = 0; k < items[i].want_runs; k++) {
      gf_oneshot_submit_set(&pool, &items[i].c, items[i].flag_set, &items[i]);
      if (items[i].rec_warm_runs) /* found warm: replayed warm too */
        gf_oneshot_submit_warm(&pool, &items[i].c, items[i].flag_set, &items[i]);
    }
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  gf_oneshot_free(&pool);
  uv_loop_close(&loop);
  gf_spawn_plan_free(&plan);
  free(cfg);
  return 0;
}

/* Every item on one Node binary (NULL: each its record's), one build at a time. */
int gf_replay_run(const gf_config *base, const char *node, int node_index, unsigned workers,
                  gf_replay_item *items, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *group_node = item_node(base, node, &items[i]);
    int seen = 0; /* run each (build, node) once, at its first item */
    for (size_t k = 0; k < i && !seen; k++) seen = in_group(base, node, &items[k], items[i].build, group_node);
    if (!seen &&
        run_build_group(base, node, items[i].build, group_node, node_index, workers, items, n) != 0)
      return -1;
  }
  return 0;
}

/* No run was on the Node version the record was found on (unknown: no). */
int gf_replay_node_differs(const gf_replay_item *it) {
  int known = 0;
  for (int k = 0; k < GF_MAX_NODES && it->rec_node_version[0]; k++) {
    if (!it->node[k].runs || !it->node[k].version[0]) continue;
    if (strcmp(it->node[k].version, it->rec_node_version) == 0) return 0;
    known = 1;
  }
  return known;
}

/* The record's fresh rate p and warm rate w (0 when unknown). */
static void record_rates(const gf_replay_item *it, double *p, double *w) {
  *p = it->rec_runs ? (double)it->rec_reproduced / it->rec_runs : 0;
  *w = it->rec_warm_runs ? (double)it->rec_warm_reproduced / it->rec_warm_runs : 0;
}

const char *gf_replay_verdict(const gf_replay_item *it, double *miss) {
  double p, w;
  record_rates(it, &p, &w);
  /* The chance that a live bug at those rates shows in none of the clean runs made. */
  *miss = p > 0 || w > 0 ? pow(1 - p, it->clean[0]) * pow(1 - w, it->clean[1]) : 1;
  if (it->reproduced) return "reproduced";
  if (it->runs == 0 || it->harness_errors == it->runs) return "error";
  if (!it->want_hash[0]) return it->other ? "inconclusive" : "clean";
  /* Not seen on another Node says nothing about the addon's fix. */
  return *miss < GF_REPLAY_MAX_MISS && !gf_replay_node_differs(it) ? "fixed" : "inconclusive";
}

unsigned gf_replay_runs_auto(const gf_replay_item *it) {
  double p, w;
  record_rates(it, &p, &w);
  double q = (1 - p) * (it->rec_warm_runs ? 1 - w : 1); /* one fresh and one warm run miss */
  if (q >= 1) return 10;
  if (q <= 0) return 3;
  double k = ceil(log(GF_REPLAY_MAX_MISS) / log(q) - 1e-9);
  return k < 3 ? 3 : k > 1000 ? 1000 : (unsigned)k;
}


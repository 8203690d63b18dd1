/* cmd_replay.c - `gcfuzz replay`: is each saved crash still there?
 *
 * Each input (a case file, a crash record, or a directory of either) runs
 * --runs times in fresh one-shot processes. A run reproduces a crash record
 * when it fails with the record's signature; a plain case, when it fails at
 * all. Prints per input "reproduced R/K" or "fixed" on stderr and a JSON
 * summary on stdout. Exit 1 if any input reproduces, 0 if all are fixed.
 * --all-nodes: the same runs on every Node of the config's `nodes` list; each
 * crash record then keeps which versions it reproduces on (reproduces_on).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_cli.h"
#include "gf_corpus.h"
#include "gf_fs.h"
#include "gf_oneshot.h"
#include "gf_store.h"

static const char usage[] =
    "usage: gcfuzz replay [--config FILE] [--entry NAME] [--runs K] [--workers N]\n"
    "                     [--all-nodes] CASE.json|CRASH.json|DIR...\n"
    "Runs each saved case K times (default 5) in fresh processes; with --all-nodes,\n"
    "on every Node binary of the config's nodes list (records keep reproduces_on).\n"
    "Exit: 1 if any case reproduces, 0 if all are fixed, 2 usage/config error.\n";

typedef struct node_tally {
  char version[32];
  unsigned runs, reproduced;
} node_tally;

typedef struct replay_item {
  char path[PATH_MAX];
  gf_case c;
  char want_hash[17]; /* "" for a plain case: any failure reproduces */
  char want_sig[512];
  unsigned runs, reproduced, other, harness_errors;
  char other_sig[512];
  node_tally node[GF_MAX_NODES];
  int node_now; /* index into node[] of the Node being run */
} replay_item;

/* With --entry, a stackless signature names the old entry: rename it. */
static void retarget_signature(replay_item *it, const char *old_entry, const char *entry) {
  char from[64], *at;
  snprintf(from, sizeof from, "entry=%s", old_entry);
  at = strstr(it->want_sig, from);
  if (at && strcmp(old_entry, entry) != 0) {
    char rest[512];
    gf_strlcpy(rest, at + strlen(from), sizeof rest);
    snprintf(at, sizeof it->want_sig - (size_t)(at - it->want_sig), "entry=%s%s", entry, rest);
  }
  snprintf(it->want_hash, sizeof it->want_hash, "%016llx",
           (unsigned long long)gf_fnv1a64(it->want_sig));
}

static int load_item(replay_item *it, const char *path, const char *entry, gf_err *err) {
  memset(it, 0, sizeof *it);
  gf_strlcpy(it->path, path, sizeof it->path);
  if (gf_case_load_file(&it->c, path, err) != 0) return -1;
  char *text = gf_read_file(path, 16 << 20, NULL, err);
  cJSON *j = text ? cJSON_Parse(text) : NULL;
  const cJSON *sig = cJSON_GetObjectItemCaseSensitive(j, "signature");
  if (cJSON_IsString(sig) && cJSON_GetObjectItemCaseSensitive(j, "gcfuzz_record")) {
    gf_strlcpy(it->want_sig, sig->valuestring, sizeof it->want_sig);
    retarget_signature(it, it->c.entry, entry ? entry : it->c.entry);
  }
  cJSON_Delete(j);
  free(text);
  if (entry) gf_strlcpy(it->c.entry, entry, sizeof it->c.entry);
  return 0;
}

/* Expands directories: DIR/crashes/ if present, else DIR's *.json. */
static int collect(gf_cli *cli, replay_item **items, size_t *n) {
  size_t cap = 16;
  *items = malloc(cap * sizeof **items);
  *n = 0;
  for (int i = 0; i < cli->npaths; i++) {
    char dir[PATH_MAX], **names = NULL;
    int count = 1;
    gf_err err = {{0}};
    const char *p = cli->paths[i];
    int is_dir = gf_is_dir(p);
    if (is_dir) {
      snprintf(dir, sizeof dir, "%s/crashes", p);
      if (!gf_is_dir(dir)) gf_strlcpy(dir, p, sizeof dir);
      if ((count = gf_list_dir(dir, ".json", &names, &err)) < 0) {
        fprintf(stderr, "gcfuzz replay: %s\n", err.msg);
        return -1;
      }
    }
    for (int k = 0; k < count; k++) {
      char path[PATH_MAX + 256];
      if (is_dir) snprintf(path, sizeof path, "%s/%s", dir, names[k]);
      else gf_strlcpy(path, p, sizeof path);
      if (*n == cap) *items = realloc(*items, (cap *= 2) * sizeof **items);
      if (load_item(&(*items)[*n], path, cli->entry, &err) != 0) {
        fprintf(stderr, "gcfuzz replay: %s\n", err.msg);
        if (names) gf_free_names(names, count);
        return -1;
      }
      (*n)++;
    }
    if (names) gf_free_names(names, count);
  }
  return 0;
}

static void on_run(gf_oneshot *o, void *data, int found, const gf_finding *f,
                   const char *tail) {
  replay_item *it = data;
  node_tally *nt = &it->node[it->node_now];
  (void)tail;
  it->runs++;
  nt->runs++;
  if (o->last_node_version[0]) gf_strlcpy(nt->version, o->last_node_version, sizeof nt->version);
  if (found < 0) {
    it->harness_errors++;
  } else if (found == 1 && (!it->want_hash[0] || strcmp(f->hash, it->want_hash) == 0)) {
    it->reproduced++;
    nt->reproduced++;
  } else if (found == 1) {
    it->other++;
    gf_strlcpy(it->other_sig, f->signature, sizeof it->other_sig);
  }
}

static cJSON *nodes_json(const replay_item *it, int nnodes, int as_map) {
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

/* A record in OUT/crashes/ keeps which Node versions it reproduces on. */
static void update_record(const replay_item *it, int nnodes) {
  char tmp[PATH_MAX], out[PATH_MAX];
  gf_store st;
  gf_err err = {{0}};
  if (!it->want_hash[0]) return;
  gf_strlcpy(tmp, it->path, sizeof tmp);
  char *slash = strrchr(tmp, '/');
  if (slash == NULL) return;
  *slash = '\0';
  slash = strrchr(tmp, '/');
  if (slash == NULL || strcmp(slash + 1, "crashes") != 0) return;
  *slash = '\0';
  gf_strlcpy(out, tmp, sizeof out);
  if (gf_store_open(&st, out, &err) != 0) return;
  gf_bucket *b = gf_store_find(&st, it->want_hash);
  if (b && gf_store_update(&st, b, "reproduces_on", nodes_json(it, nnodes, 1), &err) != 0)
    fprintf(stderr, "gcfuzz replay: %s\n", err.msg);
  gf_store_close(&st);
}

static cJSON *item_json(const replay_item *it, int nnodes) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "file", it->path);
  cJSON_AddStringToObject(o, "id", it->c.id);
  cJSON_AddStringToObject(o, "entry", it->c.entry);
  cJSON_AddStringToObject(o, "signature", it->want_sig);
  cJSON_AddNumberToObject(o, "runs", it->runs);
  cJSON_AddNumberToObject(o, "reproduced", it->reproduced);
  cJSON_AddNumberToObject(o, "other_failures", it->other);
  if (it->other) cJSON_AddStringToObject(o, "other_signature", it->other_sig);
  cJSON_AddNumberToObject(o, "harness_errors", it->harness_errors);
  if (nnodes > 1) cJSON_AddItemToObject(o, "nodes", nodes_json(it, nnodes, 0));
  cJSON_AddStringToObject(o, "status", it->reproduced                     ? "reproduced"
                                      : it->harness_errors == it->runs ? "error"
                                                                       : "fixed");
  return o;
}

/* Runs every item `runs` times on one Node binary. */
static int run_on_node(gf_cli *cli, const char *node, int node_index, replay_item *items,
                       size_t n, unsigned runs) {
  gf_config *cfg = malloc(sizeof *cfg);
  gf_spawn_plan plan;
  gf_err err = {{0}};
  if (cfg == NULL) return -1;
  *cfg = cli->cfg;
  gf_strlcpy(cfg->node, node, sizeof cfg->node);
  if (gf_spawn_plan_init(&plan, cfg, &err) != 0) {
    fprintf(stderr, "gcfuzz replay: %s\n", err.msg);
    free(cfg);
    return -1;
  }
  uv_loop_t loop;
  gf_oneshot pool;
  uv_loop_init(&loop);
  gf_oneshot_init(&pool, &loop, cfg, &plan, (int)gf_cli_workers(cli), on_run, NULL);
  for (size_t i = 0; i < n; i++) {
    items[i].node_now = node_index;
    for (unsigned k = 0; k < runs; k++) gf_oneshot_submit(&pool, &items[i].c, &items[i]);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  gf_oneshot_free(&pool);
  uv_loop_close(&loop);
  gf_spawn_plan_free(&plan);
  free(cfg);
  return 0;
}

int gf_cmd_replay(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "replay", argc, argv, "cwerA", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if (cli.npaths == 0) {
    fprintf(stderr, "gcfuzz replay: nothing to replay\n%s", usage);
    return GF_EXIT_USAGE;
  }
  if (cli.all_nodes && cli.cfg.n_nodes == 0) {
    fprintf(stderr, "gcfuzz replay: --all-nodes: the config has no nodes list\n");
    return GF_EXIT_USAGE;
  }
  replay_item *items;
  size_t n;
  if (collect(&cli, &items, &n) != 0) return GF_EXIT_USAGE;
  unsigned runs = cli.runs > 0 ? (unsigned)cli.runs : 5;
  int nnodes = cli.all_nodes ? cli.cfg.n_nodes : 1;
  for (int k = 0; k < nnodes; k++)
    if (run_on_node(&cli, cli.all_nodes ? cli.cfg.nodes[k] : cli.cfg.node, k, items, n, runs))
      return GF_EXIT_USAGE;
  if (cli.all_nodes)
    for (size_t i = 0; i < n; i++) update_record(&items[i], nnodes);

  cJSON *sum = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(sum, "cases");
  unsigned reproduced = 0, errors = 0;
  for (size_t i = 0; i < n; i++) {
    replay_item *it = &items[i];
    reproduced += it->reproduced > 0;
    errors += it->harness_errors;
    if (it->reproduced)
      fprintf(stderr, "reproduced %u/%u  %s\n", it->reproduced, it->runs, it->path);
    else
      fprintf(stderr, "fixed      0/%u  %s%s\n", it->runs, it->path,
              it->other ? "  (other failures: see other_signature)" : "");
    for (int k = 0; k < nnodes && nnodes > 1; k++)
      fprintf(stderr, "    on %s: %u/%u\n", it->node[k].version[0] ? it->node[k].version : "?",
              it->node[k].reproduced, it->node[k].runs);
    cJSON_AddItemToArray(arr, item_json(it, nnodes));
  }
  cJSON_AddNumberToObject(sum, "runs_per_case", runs);
  cJSON_AddNumberToObject(sum, "reproduced", reproduced);
  cJSON_AddNumberToObject(sum, "fixed", (double)(n - reproduced));
  cJSON_AddNumberToObject(sum, "harness_errors", errors);
  char *text = cJSON_Print(sum);
  printf("%s\n", text);
  free(text);
  cJSON_Delete(sum);
  free(items);
  if (reproduced) return GF_EXIT_FOUND;
  if (errors) { /* "fixed" would be a lie when the case never ran */
    fprintf(stderr, "gcfuzz replay: %u run(s) never reached the case (harness failed to start)\n",
            errors);
    return GF_EXIT_USAGE;
  }
  return GF_EXIT_OK;
}

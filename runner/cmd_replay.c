/* cmd_replay.c - `gcfuzz replay`: is each saved crash still there?
 *
 * Each input (a case file, a crash record, or a directory of either) runs
 * --runs times (or, --runs auto, as many as its record's rate needs) in
 * fresh one-shot processes, on the build its record was found with unless
 * --build says otherwise (gf_replay). Prints per input its verdict on stderr
 * and a JSON summary on stdout. Exit 1 if any input reproduces, 4 if none
 * does but some verdict is inconclusive, 0 if all are fixed or clean.
 * --all-nodes: the same runs on every Node of the config's `nodes` list; each
 * crash record then keeps which versions it reproduces on (reproduces_on).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_bugs.h"
#include "gf_cli.h"
#include "gf_fs.h"
#include "gf_replay.h"

static const char usage[] =
    "usage: gcfuzz replay [--config FILE] [--entry NAME] [--runs K|auto] [--build B]\n"
    "                     [--workers N] [--all-nodes] CASE.json|CRASH.json|DIR...\n"
    "Runs each saved case K times (default 5; auto: enough for the record's rates) in\n"
    "fresh processes, and K times warm for a record confirmed warm; on the record's\n"
    "build (--build: another, said so) and node binary (while it exists); with\n"
    "--all-nodes, on every Node binary of the config's nodes list.\n"
    "Verdicts: reproduced (a run failed with the record's signature, or as another\n"
    "manifestation of its bug: same_bug_as, manifestations), fixed (a live bug at the record's rates would have shown\n"
    "with chance >= 95%, on the Node version it was found on), inconclusive, clean\n"
    "(a plain case without failure), error.\n"
    "Exit: 1 any reproduced, 4 none reproduced but some inconclusive, 0 all fixed or\n"
    "clean, 2 usage/config error or a case never ran.\n";

/* Expands directories: DIR/crashes/ if present, else DIR's *.json. An input
 * that cannot be read is reported (on stderr and in unreadable) and skipped:
 * one bad record must not stop the replay of the others. */
static int collect(gf_cli *cli, gf_replay_item **items, size_t *n, cJSON *unreadable) {
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
      gf_err e = {{0}};
      if (gf_replay_load(&(*items)[*n], path, cli->entry, cli->build, cli->cfg.build, &e) != 0) {
        fprintf(stderr, "gcfuzz replay: skipping %s\n", e.msg);
        cJSON *bad = cJSON_CreateObject();
        cJSON_AddStringToObject(bad, "file", path);
        cJSON_AddStringToObject(bad, "error", e.msg);
        cJSON_AddItemToArray(unreadable, bad);
        continue;
      }
      (*n)++;
    }
    if (names) gf_free_names(names, count);
  }
  return 0;
}

int gf_cmd_replay(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "replay", argc, argv, "cwerAb", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if (cli.npaths == 0) {
    fprintf(stderr, "gcfuzz replay: nothing to replay\n%s", usage);
    return GF_EXIT_USAGE;
  }
  if (cli.all_nodes && cli.cfg.n_nodes == 0) {
    fprintf(stderr, "gcfuzz replay: --all-nodes: the config has no nodes list\n");
    return GF_EXIT_USAGE;
  }
  gf_replay_item *items;
  size_t n;
  cJSON *sum = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(sum, "cases");
  cJSON *unreadable = cJSON_AddArrayToObject(sum, "unreadable");
  if (collect(&cli, &items, &n, unreadable) != 0) {
    cJSON_Delete(sum);
    return GF_EXIT_USAGE;
  }
  unsigned runs = cli.runs > 0 ? (unsigned)cli.runs : 5;
  for (size_t i = 0; i < n; i++) {
    items[i].want_runs = cli.runs == 0 ? gf_replay_runs_auto(&items[i]) : runs;
    if (strcmp(items[i].build, cli.cfg.build) != 0)
      fprintf(stderr, "gcfuzz replay: %s: on build %s (%s; the config has %s)\n", items[i].path,
              items[i].build, cli.build ? "--build" : "the record's", cli.cfg.build);
    if (!cli.all_nodes && items[i].node_path[0])
      fprintf(stderr, "gcfuzz replay: %s: on node %s (the record's)\n", items[i].path,
              items[i].node_path);
  }
  int nnodes = cli.all_nodes ? cli.cfg.n_nodes : 1;
  for (int k = 0; k < nnodes; k++)
    if (gf_replay_run(&cli.cfg, cli.all_nodes ? cli.cfg.nodes[k] : NULL, k,
                      gf_cli_workers(&cli), items, n))
      return GF_EXIT_USAGE;
  /* Every record remembers its last verdict (reports show it). */
  gf_replay_record(items, n, nnodes, GF_KEEP_VERDICT | (cli.all_nodes ? GF_KEEP_NODES : 0));

  unsigned reproduced = 0, errors = 0, fixed = 0, inconclusive = 0;
  for (size_t i = 0; i < n; i++) {
    gf_replay_item *it = &items[i];
    double miss;
    const char *verdict = gf_replay_verdict(it, &miss);
    reproduced += it->reproduced > 0;
    fixed += strcmp(verdict, "fixed") == 0;
    inconclusive += strcmp(verdict, "inconclusive") == 0;
    errors += it->harness_errors;
    if (it->reproduced && it->reproduced_other_build)
      fprintf(stderr, "reproduced %u/%u  %s  (%u on build %s as %s: the record's case failing as "
                      "that build shows it)\n", it->reproduced, it->runs, it->path,
              it->reproduced_other_build, it->build, it->other_build_sig);
    else if (it->reproduced && it->reproduced_same_bug)
      fprintf(stderr, "reproduced %u/%u  %s  (%u as the same bug's %s)\n", it->reproduced,
              it->runs, it->path, it->reproduced_same_bug, it->same_bug_sig);
    else if (it->reproduced && it->warm_runs)
      fprintf(stderr, "reproduced %u/%u (fresh %u/%u, warm %u/%u)  %s%s\n", it->reproduced, it->runs,
              it->reproduced - it->warm_reproduced, it->runs - it->warm_runs, it->warm_reproduced,
              it->warm_runs, it->path, it->slow_case ? "  (" GF_SLOW_CASE ")" : "");
    else if (it->reproduced)
      fprintf(stderr, "reproduced %u/%u  %s%s\n", it->reproduced, it->runs, it->path,
              it->slow_case ? "  (" GF_SLOW_CASE ")" : "");
    else if (strcmp(verdict, "inconclusive") == 0 && gf_replay_node_differs(it) && nnodes == 1)
      fprintf(stderr, "not reproduced (inconclusive) 0/%u: found on Node %s, replayed on %s  %s\n",
              it->runs, it->rec_node_version, it->node[0].version, it->path);
    else if (strcmp(verdict, "inconclusive") == 0)
      fprintf(stderr, "not reproduced (inconclusive) 0/%u, a live bug would be missed with "
                      "chance %.2f  %s%s\n", it->runs, miss, it->path,
              it->other ? "  (other failures: see other_signature)" : "");
    else
      fprintf(stderr, "%-10s 0/%u  %s%s\n", verdict, it->runs, it->path,
              it->other ? "  (other failures: see other_signature)" : "");
    for (int k = 0; k < nnodes && nnodes > 1; k++)
      fprintf(stderr, "    on %s: %u/%u\n", it->node[k].version[0] ? it->node[k].version : "?",
              it->node[k].reproduced, it->node[k].runs);
    cJSON_AddItemToArray(arr, gf_replay_item_json(it, nnodes));
  }
  if (cli.runs == 0)
    cJSON_AddStringToObject(sum, "runs_per_case", "auto");
  else
    cJSON_AddNumberToObject(sum, "runs_per_case", runs);
  cJSON_AddNumberToObject(sum, "reproduced", reproduced);
  cJSON_AddNumberToObject(sum, "fixed", fixed);
  cJSON_AddNumberToObject(sum, "inconclusive", inconclusive);
  cJSON_AddNumberToObject(sum, "harness_errors", errors);
  int nbad = cJSON_GetArraySize(unreadable);
  char *text = cJSON_Print(sum);
  printf("%s\n", text);
  free(text);
  cJSON_Delete(sum);
  free(items);
  if (reproduced) return GF_EXIT_FOUND;
  if (nbad) {
    fprintf(stderr, "gcfuzz replay: %d input(s) could not be read (see unreadable)\n", nbad);
    return GF_EXIT_USAGE;
  }
  if (errors) { /* "fixed" would be a lie when the case never ran */
    fprintf(stderr, "gcfuzz replay: %u run(s) never reached the case (harness failed to start)\n",
            errors);
    return GF_EXIT_USAGE;
  }
  return inconclusive ? GF_EXIT_INCONCLUSIVE : GF_EXIT_OK;
}

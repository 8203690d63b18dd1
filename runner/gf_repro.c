/* gf_repro.c - see gf_repro.h. */
#include "gf_repro.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_replay.h"
#include "gf_version.h"

/* The node arguments a one-shot worker of the record gets, without the
 * harness and what follows it: argv is `[gcfuzz __worker PID] node ARGS
 * harness ...`. */
static void add_node_args(cJSON *spec, char **argv, const char *harness) {
  cJSON *a = cJSON_AddArrayToObject(spec, "node_args");
  int i = strcmp(argv[1] ? argv[1] : "", "__worker") == 0 ? 4 : 1;
  for (; argv[i] && strcmp(argv[i], harness) != 0; i++) cJSON_AddItemToArray(a, cJSON_CreateString(argv[i]));
}

static cJSON *make_spec(const gf_replay_item *it, const gf_config *cfg,
                        const gf_spawn_plan *plan) {
  cJSON *spec = cJSON_CreateObject();
  char target[PATH_MAX];
  cJSON_AddStringToObject(spec, "record", it->path);
  cJSON_AddStringToObject(spec, "target", realpath(cfg->target, target) ? target : cfg->target);
  cJSON_AddStringToObject(spec, "build", it->build);
  cJSON_AddStringToObject(spec, "entry", it->c.entry);
  add_node_args(spec, plan->argv[it->flag_set][1], cfg->harness);
  cJSON *args = cJSON_AddArrayToObject(spec, "args"), *env = cJSON_AddArrayToObject(spec, "env");
  int after = 0; /* the harness passes what follows "--" to setup() */
  for (int i = 0; i < cfg->n_harness_args; i++) {
    if (after) cJSON_AddItemToArray(args, cJSON_CreateString(cfg->harness_args[i]));
    after |= strcmp(cfg->harness_args[i], "--") == 0;
  }
  for (int i = 0; i < cfg->n_env; i++) cJSON_AddItemToArray(env, cJSON_CreateString(cfg->env[i]));
  cJSON_AddNumberToObject(spec, "threadpool_size", cfg->threadpool_size);
  cJSON_AddNumberToObject(spec, "timeout_ms", (double)cfg->timeout_ms + cfg->startup_timeout_ms);
  cJSON_AddStringToObject(spec, "sanitizer", gf_config_wants_asan(cfg) ? "address" : "none");
  cJSON_AddStringToObject(spec, "asan_options", GF_ASAN_OPTIONS);
  cJSON_AddStringToObject(spec, "version", GF_VERSION);
  return spec;
}

int gf_repro_run_tool(gf_cli *cli, const char *path, const char *tool, char *const *extra) {
  if (!cli->cfg.target[0]) {
    fprintf(stderr, "gcfuzz %s: the config has no target: the reproducer needs the target file "
                    "(--config)\n", cli->cmd);
    return GF_EXIT_USAGE;
  }
  gf_replay_item *it = calloc(1, sizeof *it);
  gf_err err = {{0}};
  if (it == NULL || gf_replay_load(it, path, cli->entry, cli->build, cli->cfg.build, &err) != 0 ||
      !it->want_sig[0]) {
    fprintf(stderr, "gcfuzz %s: %s\n", cli->cmd, it && err.msg[0] ? err.msg : "not a crash record");
    free(it);
    return GF_EXIT_USAGE;
  }
  gf_config_use_build(&cli->cfg, it->build, it->build_from_cli, it->sanitizer);
  cli->cfg.n_flag_sets = 1;
  cli->cfg.v8_flags[0] = it->v8_flags; /* the record's flags, the only set */
  it->flag_set = 0;
  int rc = gf_cli_plan(cli);
  if (rc != 0) {
    free(it);
    return rc;
  }
  cJSON *spec = make_spec(it, &cli->cfg, &cli->plan);
  char *text = cJSON_PrintUnformatted(spec);
  char prog[PATH_MAX + 32];
  snprintf(prog, sizeof prog, "%s/harness/%s", cli->root, tool);
  char *argv[16] = {cli->cfg.node, prog, "--spec", text};
  int n = 4;
  for (int i = 0; extra && extra[i] && n < 15; i++) argv[n++] = extra[i];
  argv[n] = NULL;
  rc = gf_run_inherit(argv, &err);
  if (rc < 0) fprintf(stderr, "gcfuzz %s: %s\n", cli->cmd, err.msg);
  free(text);
  cJSON_Delete(spec);
  free(it);
  return rc == 0 ? GF_EXIT_OK : GF_EXIT_USAGE;
}

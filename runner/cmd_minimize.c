/* cmd_minimize.c - `gcfuzz minimize CRASH.json`: the smallest case that still
 * reproduces the record's signature at no less than the original rate.
 * Prints each accepted step, writes the minimized case (-O; default
 * OUT/minimized/<hash>.json for a record in OUT/crashes/, else
 * <record>.min.json) and updates the record (minimized_case, minimized_rate). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_cli.h"
#include "gf_corpus.h"
#include "gf_fs.h"
#include "gf_inbox.h"
#include "gf_minimize.h"
#include "gf_store.h"

static const char usage[] =
    "usage: gcfuzz minimize [--config FILE] [--runs K] [--max-time S] [--workers N]\n"
    "                       [--build B] [-O OUT.json] CRASH.json\n"
    "Runs on the record's build and V8 flags (--build: another, said so).\n"
    "Delta-debugs the record's case, keeping each reduction only while it reproduces the\n"
    "same signature at no less than the original rate (K fresh runs per step, default 5).\n"
    "Exit: 0 minimized, 1 the original does not reproduce, 2 usage/config error.\n";

static void print_line(gf_min *m, const char *line) {
  (void)m;
  fprintf(stderr, "%s\n", line);
}

static void on_done(gf_min *m) { gf_oneshot_stop(m->pool); }

static void on_run(gf_oneshot *o, void *data, int found, const gf_finding *f, const char *tail) {
  (void)o;
  (void)tail;
  gf_min_on_run(data, found, f);
}

static int save(const gf_cli *cli, const gf_min *m, const char *hash) {
  char out[PATH_MAX + 16], dir[PATH_MAX];
  gf_err err = {{0}};
  int in_out_dir = gf_store_dir_of_record(cli->paths[0], dir, sizeof dir) == 0;
  if (cli->output) {
    gf_strlcpy(out, cli->output, sizeof out);
  } else if (in_out_dir) { /* OUT/minimized/<hash>.json, beside crashes/ */
    snprintf(out, sizeof out, "%s/minimized", dir);
    if (gf_mkdirs(out, &err) != 0) {
      fprintf(stderr, "gcfuzz minimize: %s\n", err.msg);
      return GF_EXIT_USAGE;
    }
    if (snprintf(out, sizeof out, "%s/minimized/%s.json", dir, hash) >= (int)sizeof out) {
      fprintf(stderr, "gcfuzz minimize: %s: path too long\n", dir);
      return GF_EXIT_USAGE;
    }
  } else {
    snprintf(out, sizeof out, "%.*s.min.json", (int)(strlen(cli->paths[0]) - 5), cli->paths[0]);
  }
  char *line = gf_case_to_line(&m->best);
  int rc = gf_write_atomic(out, line, strlen(line), &err);
  printf("%s\n", line);
  free(line);
  if (rc != 0) {
    fprintf(stderr, "gcfuzz minimize: %s\n", err.msg);
    return GF_EXIT_USAGE;
  }
  fprintf(stderr, "gcfuzz minimize: wrote %s\n", out);
  if (!in_out_dir) return GF_EXIT_OK;
  cJSON *fields = gf_store_minimized_fields(&m->best, m->runs, m->best_hits);
  rc = gf_inbox_amend(dir, hash, fields, &err);
  cJSON_Delete(fields);
  if (rc == 0)
    fprintf(stderr, "gcfuzz minimize: updated %s\n", cli->paths[0]);
  else if (rc == 1)
    fprintf(stderr, "gcfuzz minimize: %s\ngcfuzz minimize: posted to %s/inbox: the running "
                    "gcfuzz adds it to the record within a stats interval\n", err.msg, dir);
  else
    fprintf(stderr, "gcfuzz minimize: record not updated: %s\n", err.msg);
  return GF_EXIT_OK;
}

int gf_cmd_minimize(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "minimize", argc, argv, "crmwOb", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if ((rc = gf_cli_one_path(&cli, "crash record", usage)) != 0) return rc;
  gf_err err = {{0}};
  gf_case c;
  cJSON *rec = NULL;
  int loaded = gf_case_load_file(&c, cli.paths[0], &rec, &err) == 0;
  const cJSON *hash = cJSON_GetObjectItemCaseSensitive(rec, "hash");
  if (!loaded || !cJSON_IsString(hash)) {
    fprintf(stderr, "gcfuzz minimize: %s: %s\n", cli.paths[0],
            err.msg[0] ? err.msg : "not a crash record (no hash)");
    cJSON_Delete(rec);
    return GF_EXIT_USAGE;
  }
  char want[17];
  gf_strlcpy(want, hash->valuestring, sizeof want);
  char want_sig[512] = "";
  const cJSON *sig = cJSON_GetObjectItemCaseSensitive(rec, "signature");
  if (cJSON_IsString(sig)) gf_strlcpy(want_sig, sig->valuestring, sizeof want_sig);
  /* The record's V8 flags are the only set: every run repeats them. */
  const cJSON *flags = cJSON_GetObjectItemCaseSensitive(rec, "v8_flags");
  if (flags && gf_flag_set_from_json(&cli.cfg.v8_flags[0], flags, "v8_flags", &err) != 0) {
    fprintf(stderr, "gcfuzz minimize: %s: %s\n", cli.paths[0], err.msg);
    cJSON_Delete(rec);
    return GF_EXIT_USAGE;
  }
  if (flags) cli.cfg.n_flag_sets = 1;
  /* And the record's build, unless --build names another (said so). */
  const cJSON *build = cJSON_GetObjectItemCaseSensitive(rec, "addon_build");
  const char *want_build = cli.build ? cli.build
                           : cJSON_IsString(build) && build->valuestring[0] ? build->valuestring
                                                                          : NULL;
  if (want_build && strcmp(want_build, cli.cfg.build) != 0 &&
      strlen(want_build) < sizeof cli.cfg.build) {
    fprintf(stderr, "gcfuzz minimize: on build %s (%s; the config has %s)\n", want_build,
            cli.build ? "--build" : "the record's", cli.cfg.build);
    const cJSON *san = cJSON_GetObjectItemCaseSensitive(rec, "sanitizer");
    gf_config_use_build(&cli.cfg, want_build, cli.build != NULL,
                        gf_sanitizer_from_name(cJSON_IsString(san) ? san->valuestring : NULL));
  }
  cJSON_Delete(rec);
  if ((rc = gf_cli_plan(&cli)) != 0) return rc;

  uv_loop_t loop;
  gf_oneshot pool;
  gf_min m;
  memset(&m, 0, sizeof m);
  uv_loop_init(&loop);
  gf_oneshot_init(&pool, &loop, &cli.cfg, &cli.plan, (int)gf_cli_workers(&cli), on_run, NULL);
  m.pool = &pool;
  m.log = print_line;
  m.done = on_done;
  gf_strlcpy(m.want_sig, want_sig, sizeof m.want_sig);
  gf_min_start(&m, &c, want, cli.runs > 0 ? (unsigned)cli.runs : 5, cli.max_time_s);
  uv_run(&loop, UV_RUN_DEFAULT);
  gf_oneshot_free(&pool);
  uv_loop_close(&loop);
  if (m.failure[0]) {
    fprintf(stderr, "gcfuzz minimize: %s\n", m.failure);
    gf_cli_free(&cli);
    return GF_EXIT_FOUND;
  }
  rc = save(&cli, &m, want);
  gf_cli_free(&cli);
  return rc;
}

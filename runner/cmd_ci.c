/* cmd_ci.c - `gcfuzz ci`: the nightly job.
 *
 * 1. Positive control: fuzz control.entry (the known bug, sum_borrowed) into
 *    DIR/control until the first crash, within control.max_s; on
 *    control.target and control.build when set (a target with no known bug
 *    borrows the demo addon's, through the same harness). Not detected:
 *    exit 3 - the harness or build cannot see the bug class, so a clean
 *    phase 2 would prove nothing.
 * 2. Fuzz the shipped entry into DIR for the rest of --max-time.
 * 3. Settles what phase 2 hit (gf_settle.h): the patience run of a timeout
 *    no confirmation reached; a slow case is no bug and fails no night.
 * 4. With a `nodes` list in the config, replays every bucket of DIR on each
 *    Node of the matrix; the records and the summary keep reproduces_on.
 * Writes DIR/summary.json and DIR/junit.xml; exit 0 clean, 1 bug found.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gf_cli.h"
#include "gf_fs.h"
#include "gf_replay.h"
#include "gf_settle.h"
#include "gf_fuzz.h"
#include "gf_ci_report.h"
#include "gf_store.h"

static const char usage[] =
    "usage: gcfuzz ci --config FILE --out DIR [--max-time S] [--workers N] [--seed N]\n"
    "                 [--entry NAME] [--pr] [--status-every S]\n"
    "Positive control first (config control.entry, at most control.max_s), then the\n"
    "shipped entry for the rest of --max-time (default 300). Writes DIR/summary.json\n"
    "and DIR/junit.xml.\n"
    "--pr: code-change mode for pull requests: stops at the first NEW bucket (one not\n"
    "already in DIR, e.g. a cached crash corpus) and fails only on new bugs.\n"
    "A timeout that finishes given 4x timeout_ms is a slow case, not a bug.\n"
    "Exit: 0 no bug, 1 bug found (--pr: a new one), 2 usage/config error,\n"
    "3 known bug not detected.\n";

static int run_phase(gf_cli *cli, const gf_config *cfg, const gf_spawn_plan *plan,
                     const char *phase, const char *entry, const char *out, double max_s,
                     int stop_on_finding, uint64_t seed, gf_fuzz_result *res) {
  gf_fuzz_opts o = {.cfg = cfg, .plan = plan, .out_dir = out, .seed = seed,
                    .workers = gf_cli_workers(cli), .max_time_s = max_s, .entry = entry,
                    .stop_on_finding = stop_on_finding, .phase = phase,
                    .stop_on_new = cli->pr && !stop_on_finding,
                    .replay_prefix = cli->replay_prefix, .status_line = 0,
                    .status_every_s = cli->status_every_s, .command_line = cli->command_line};
  gf_err err = {{0}};
  fprintf(stderr, "gcfuzz ci: %s phase: entry %s, up to %.0fs\n", phase, entry[0] ? entry : "(per case)",
          max_s);
  if (gf_fuzz_run(&o, res, &err) != 0) {
    fprintf(stderr, "gcfuzz ci: %s\n", err.msg);
    return -1;
  }
  return 0;
}

/* Step 3: every bucket of DIR on every Node of the matrix. */
static void replay_on_matrix(gf_cli *cli) {
  char dir[PATH_MAX + 16], **names;
  gf_err err = {{0}};
  snprintf(dir, sizeof dir, "%s/crashes", cli->out);
  int n = gf_list_dir(dir, ".json", &names, &err);
  if (n <= 0) return;
  gf_replay_item *items = calloc((size_t)n, sizeof *items);
  size_t loaded = 0;
  for (int i = 0; items && i < n; i++) {
    char path[PATH_MAX + 300];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (gf_replay_load(&items[loaded], path, NULL, NULL, cli->cfg.build, &err) == 0) loaded++;
  }
  unsigned runs = gf_config_confirm_runs(&cli->cfg);
  for (size_t i = 0; i < loaded; i++) items[i].want_runs = runs;
  fprintf(stderr, "gcfuzz ci: matrix: %zu bucket(s) x %d Node(s) x %u runs\n", loaded,
          cli->cfg.n_nodes, runs);
  for (int k = 0; k < cli->cfg.n_nodes; k++)
    gf_replay_run(&cli->cfg, cli->cfg.nodes[k], k, gf_cli_workers(cli), items, loaded);
  gf_replay_record(items, loaded, cli->cfg.n_nodes, GF_KEEP_NODES);
  free(items);
  gf_free_names(names, n);
}

/* Step 1 on the control's own config (control.target, control.build). */
static int run_control(gf_cli *cli, const char *out, double max_s, uint64_t seed,
                       gf_fuzz_result *res) {
  gf_config *cfg = malloc(sizeof *cfg);
  gf_spawn_plan plan;
  gf_err err = {{0}};
  if (cfg == NULL) return -1;
  gf_config_for_control(&cli->cfg, cfg);
  int rc = gf_spawn_plan_init(&plan, cfg, &err);
  if (rc != 0)
    fprintf(stderr, "gcfuzz ci: control: %s\n", err.msg);
  else
    rc = run_phase(cli, cfg, &plan, "control", cfg->control_entry, out, max_s, 1, seed, res);
  if (rc == 0) gf_spawn_plan_free(&plan);
  free(cfg);
  return rc;
}

/* What fails the night: the bugs the target phase hit (--pr: the change is
 * to blame only for bugs it brought); a slow case is nobody's bug. Not
 * settled (stopped by a signal), or findings whose records could not be
 * read back: every finding counts. */
static uint64_t blamed_bugs(const gf_cli *cli, const gf_ci_summary *s, const gf_settle_result *settled) {
  if (s->target.stopped_by_signal || (s->target.findings > 0 && settled->hit == 0))
    return cli->pr ? s->target.new_buckets : s->target.findings;
  return cli->pr ? settled->new_bugs : settled->bugs;
}

int gf_cmd_ci(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "ci", argc, argv, "comwseTP", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if (cli.out == NULL || cli.npaths) {
    fprintf(stderr, "gcfuzz ci: --out DIR is required (and no other arguments)\n%s", usage);
    return GF_EXIT_USAGE;
  }
  if ((rc = gf_cli_plan(&cli)) != 0) return rc;
  double budget = cli.max_time_s > 0 ? cli.max_time_s : 300;
  uint64_t seed = cli.seed_given ? cli.seed : (uint64_t)time(NULL);
  const char *entry = cli.cfg.entry; /* "": each case keeps its own */
  char control_dir[PATH_MAX + 16];
  snprintf(control_dir, sizeof control_dir, "%s/control", cli.out);

  gf_ci_summary s = {.seed = seed, .entry = entry, .control_entry = cli.cfg.control_entry,
                     .budget_s = budget};
  double control_max = cli.cfg.control_max_s < budget ? cli.cfg.control_max_s : budget;
  if (run_control(&cli, control_dir, control_max, seed, &s.control) != 0) {
    gf_cli_free(&cli);
    return GF_EXIT_USAGE;
  }
  s.control_detected = s.control.findings > 0;
  gf_settle_result settled = {0};
  if (s.control_detected && !s.control.stopped_by_signal) {
    double left = budget - s.control.elapsed_s;
    gf_settle_before before;
    gf_err err = {{0}};
    s.target_ran = 1;
    if (gf_settle_before_read(cli.out, &before, &err) != 0 ||
        run_phase(&cli, &cli.cfg, &cli.plan, "target", entry, cli.out, left > 1 ? left : 1, 0,
                  seed + 1, &s.target) != 0 ||
        (!s.target.stopped_by_signal && s.target.findings > 0 &&
         gf_settle(&cli.cfg, cli.out, &before, gf_cli_workers(&cli), &settled, &err) != 0)) {
      if (err.msg[0]) fprintf(stderr, "gcfuzz ci: %s\n", err.msg);
      gf_settle_before_free(&before);
      gf_cli_free(&cli);
      return GF_EXIT_USAGE;
    }
    gf_settle_before_free(&before);
    s.slow_cases = settled.slow;
  }
  if (!s.control_detected && !s.control.stopped_by_signal) {
    s.exit_code = GF_EXIT_NO_CONTROL;
    fprintf(stderr, "gcfuzz ci: cannot detect the known bug (%s) in %.0fs: the harness or "
                    "build is broken\n", cli.cfg.control_entry, control_max);
  } else {
    s.exit_code = blamed_bugs(&cli, &s, &settled) > 0 ? GF_EXIT_FOUND : GF_EXIT_OK;
    if (settled.slow)
      fprintf(stderr, "gcfuzz ci: %u slow case(s), not hangs: no bug, but raise timeout_ms or "
                      "lower the limits (summary.json: slow_case)\n", settled.slow);
  }
  if (s.target_ran && s.target.findings > 0 && cli.cfg.n_nodes > 0 && !s.target.stopped_by_signal)
    replay_on_matrix(&cli);
  gf_err err = {{0}};
  if (gf_ci_write_reports(&s, cli.out, &err) != 0)
    fprintf(stderr, "gcfuzz ci: cannot write the reports: %s\n", err.msg);
  fprintf(stderr, "gcfuzz ci: control %s in %.1fs; %s: %llu execs, %llu crashes -> exit %d\n",
          s.control_detected ? "detected" : "NOT detected", s.control.elapsed_s,
          entry[0] ? entry : "every entry",
          (unsigned long long)s.target.execs, (unsigned long long)s.target.findings, s.exit_code);
  gf_cli_free(&cli);
  return s.exit_code;
}

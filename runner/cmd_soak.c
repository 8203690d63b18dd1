/* cmd_soak.c - `gcfuzz soak`: fuzz until stopped or --max-time. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gf_cli.h"
#include "gf_fuzz.h"

static const char usage[] =
    "usage: gcfuzz soak --config FILE --out DIR [--max-time S] [--workers N]\n"
    "                   [--seed N] [--entry NAME] [--stop-on-crash] [--status-every S]\n"
    "Fuzzes until SIGINT/SIGTERM/SIGHUP, --max-time seconds or (--stop-on-crash) the\n"
    "first crash. DIR keeps crashes/, corpus/, events.jsonl, stats.json, metrics.prom;\n"
    "running again on the same DIR resumes. On a terminal a live status line; otherwise\n"
    "one status line every S seconds (default 60, 0: none) for a journal or CI log.\n"
    "Exit: 0 after an orderly stop (crashes are in DIR), 1 stopped on a crash\n"
    "(--stop-on-crash), 2 usage/config error or DIR held by another gcfuzz.\n";

int gf_cmd_soak(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "soak", argc, argv, "comwseST", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if (cli.out == NULL || cli.npaths) {
    fprintf(stderr, "gcfuzz soak: --out DIR is required (and no other arguments)\n%s", usage);
    return GF_EXIT_USAGE;
  }
  if ((rc = gf_cli_plan(&cli)) != 0) return rc;
  gf_fuzz_opts o = {.cfg = &cli.cfg, .plan = &cli.plan, .out_dir = cli.out,
                    .seed = cli.seed_given ? cli.seed : (uint64_t)time(NULL),
                    .workers = gf_cli_workers(&cli),
                    .max_time_s = cli.max_time_s > 0 ? cli.max_time_s : 0,
                    .entry = cli.cfg.entry, .phase = "soak",
                    .stop_on_finding = cli.stop_on_crash,
                    .replay_prefix = cli.replay_prefix, .status_line = isatty(2),
                    .status_every_s = cli.status_every_s, .command_line = cli.command_line};
  gf_fuzz_result res;
  gf_err err = {{0}};
  fprintf(stderr, "gcfuzz soak: seed %llu, %u workers, entry %s, out %s\n",
          (unsigned long long)o.seed, o.workers, o.entry[0] ? o.entry : "(per case)", o.out_dir);
  rc = gf_fuzz_run(&o, &res, &err);
  int stop_on_crash = cli.stop_on_crash;
  gf_cli_free(&cli);
  if (rc != 0) {
    fprintf(stderr, "gcfuzz soak: %s\n", err.msg);
    return GF_EXIT_USAGE;
  }
  fprintf(stderr, "gcfuzz soak: %llu execs in %.1fs (%.1f/s), %llu crashes, %u new buckets",
          (unsigned long long)res.execs, res.elapsed_s,
          res.elapsed_s > 0 ? res.execs / res.elapsed_s : 0.0,
          (unsigned long long)res.findings, res.new_buckets);
  if (res.first_finding_s >= 0) fprintf(stderr, ", first crash after %.3fs", res.first_finding_s);
  fputc('\n', stderr);
  /* Stopped on a crash: say so in the exit code, as libFuzzer does. */
  return stop_on_crash && res.findings > 0 ? GF_EXIT_FOUND : GF_EXIT_OK;
}

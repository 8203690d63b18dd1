/* gf_cli.c - see gf_cli.h. */
#include "gf_cli.h"

#include "gf_sbuf.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

static int parse_number(const char *opt, const char *s, double lo, double hi, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !(v >= lo && v <= hi)) {
    fprintf(stderr, "gcfuzz: %s: must be a number in [%g, %g], got '%s'\n", opt, lo, hi, s);
    return -1;
  }
  *out = v;
  return 0;
}

/* A count or a seed: decimal digits only, the whole argument, in range;
 * strtod would take "1e3" and the cast would make 1.9 into 1. */
static int parse_whole(const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = s[0] >= '0' && s[0] <= '9' ? strtoull(s, &end, 10) : 0;
  if (!(s[0] >= '0' && s[0] <= '9') || errno || *end || v < lo || v > hi) {
    fprintf(stderr, "gcfuzz: %s: must be a whole number in [%llu, %llu], got '%s'\n", opt,
            (unsigned long long)lo, (unsigned long long)hi, s);
    return -1;
  }
  *out = v;
  return 0;
}

/* Where the default harness, target, configs and seeds are: beside the
 * binary in the build tree (build/gcfuzz -> .), or in an installed tree
 * (PREFIX/bin/gcfuzz -> PREFIX/share/gcfuzz), wherever PREFIX was moved. */
static void find_root(gf_cli *cli) {
  size_t n = sizeof cli->exe;
  char tmp[PATH_MAX], probe[PATH_MAX + 64];
  if (uv_exepath(cli->exe, &n) != 0) strcpy(cli->exe, "gcfuzz");
  gf_strlcpy(tmp, cli->exe, sizeof tmp);
  char *bindir = dirname(tmp);
  snprintf(probe, sizeof probe, "%s/../share/gcfuzz/harness/run.js", bindir);
  if (access(probe, R_OK) == 0)
    snprintf(cli->root, sizeof cli->root, "%s/../share/gcfuzz", bindir);
  else
    snprintf(cli->root, sizeof cli->root, "%s/..", bindir);
  char *real = realpath(cli->root, NULL);
  if (real) {
    gf_strlcpy(cli->root, real, sizeof cli->root);
    free(real);
  }
}

/* "'/usr/bin/gcfuzz' 'soak' '--out' '/var/lib/x'": how to run it again. */
static void command_line(gf_cli *cli, int argc, char **argv) {
  gf_sbuf b = {0};
  gf_sbuf_shell_quote(&b, cli->exe);
  for (int i = 0; i < argc; i++) {
    gf_sbuf_printf(&b, " ");
    gf_sbuf_shell_quote(&b, argv[i]);
  }
  gf_strlcpy(cli->command_line, b.p && !b.oom ? b.p : "", sizeof cli->command_line);
  gf_sbuf_free(&b);
}

static int apply_options(gf_cli *cli) {
  gf_err err = {{0}};
  if (cli->config_path) {
    if (gf_config_load(&cli->cfg, cli->config_path, cli->root, &err) != 0) {
      fprintf(stderr, "gcfuzz: config error: %s\n", err.msg);
      return GF_EXIT_USAGE;
    }
  } else {
    gf_config_default(&cli->cfg, cli->root);
  }
  if (cli->entry) {
    if (!gf_config_has_entry(&cli->cfg, cli->entry)) {
      fprintf(stderr, "gcfuzz: --entry: '%s' is not one of the config's entries\n", cli->entry);
      return GF_EXIT_USAGE;
    }
    gf_strlcpy(cli->cfg.entry, cli->entry, sizeof cli->cfg.entry);
  }
  if (cli->workers >= 0) cli->cfg.workers = (uint32_t)cli->workers;
  /* The command line records carry: each path one shell word, so pasting
   * it into a shell runs gcfuzz and nothing else. */
  char *cfg_abs = cli->config_path ? realpath(cli->config_path, NULL) : NULL;
  gf_sbuf line = {0};
  gf_sbuf_shell_quote(&line, cli->exe);
  gf_sbuf_printf(&line, " replay");
  if (cfg_abs) {
    gf_sbuf_printf(&line, " --config ");
    gf_sbuf_shell_quote(&line, cfg_abs);
  }
  gf_strlcpy(cli->replay_prefix, line.p && !line.oom ? line.p : "gcfuzz replay", sizeof cli->replay_prefix);
  gf_sbuf_free(&line);
  free(cfg_abs);
  return 0;
}

int gf_cli_parse(gf_cli *cli, const char *cmd, int argc, char **argv, const char *allowed,
                 const char *usage) {
  static const struct option longs[] = {
      {"config", required_argument, 0, 'c'}, {"out", required_argument, 0, 'o'},
      {"max-time", required_argument, 0, 'm'}, {"workers", required_argument, 0, 'w'},
      {"seed", required_argument, 0, 's'}, {"entry", required_argument, 0, 'e'},
      {"runs", required_argument, 0, 'r'}, {"output", required_argument, 0, 'O'},
      {"build", required_argument, 0, 'b'},
      {"stop-on-crash", no_argument, 0, 'S'}, {"all-nodes", no_argument, 0, 'A'}, {"help", no_argument, 0, 'h'},
      {"status-every", required_argument, 0, 'T'}, {"source-root", required_argument, 0, 'R'},
      {"category", required_argument, 0, 'C'}, {"pr", no_argument, 0, 'P'},
      {"list", required_argument, 0, 'L'}, {"shard", required_argument, 0, 'H'},
      {"cache", required_argument, 0, 'K'}, {"merge", no_argument, 0, 'G'},
      {"confirm-runs", required_argument, 0, 'F'}, {"issue", required_argument, 0, 'I'},
      {0, 0, 0, 0}};
  memset(cli, 0, sizeof *cli);
  cli->cmd = cmd;
  cli->max_time_s = cli->workers = cli->runs = cli->confirm_runs = -1;
  cli->status_every_s = 60;
  find_root(cli);
  command_line(cli, argc, argv);
  optind = 1;
  opterr = 0;
  int ch;
  double v;
  uint64_t u;
  while ((ch = getopt_long(argc, argv, "c:o:m:w:s:e:r:O:b:h", longs, NULL)) != -1) {
    if (ch == 'h') {
      fputs(usage, stdout);
      return -1;
    }
    if (ch == '?' || ch == ':' || !strchr(allowed, ch)) {
      fprintf(stderr, "gcfuzz %s: unknown or incomplete option '%s'\n%s", cmd,
              argv[optind - 1], usage);
      return GF_EXIT_USAGE;
    }
    switch (ch) {
      case 'c': cli->config_path = optarg; break;
      case 'o': cli->out = optarg; break;
      case 'O': cli->output = optarg; break;
      case 'S': cli->stop_on_crash = 1; break;
      case 'P': cli->pr = 1; break;
      case 'A': cli->all_nodes = 1; break;
      case 'e': cli->entry = optarg; break;
      case 'R': cli->source_root = optarg; break;
      case 'C': cli->category = optarg; break;
      case 'L': cli->list = optarg; break;
      case 'H': cli->shard = optarg; break;
      case 'K': cli->cache = optarg; break;
      case 'G': cli->merge = 1; break;
      case 'I': cli->issue = optarg; break;
      case 'F':
        if (parse_whole("--confirm-runs", optarg, 0, 1000, &u)) return GF_EXIT_USAGE;
        cli->confirm_runs = (long)u;
        break;
      case 'T':
        if (parse_number("--status-every", optarg, 0, 1e7, &v)) return GF_EXIT_USAGE;
        cli->status_every_s = v;
        break;
      case 'b': cli->build = optarg; break;
      case 'm':
        if (parse_number("--max-time", optarg, 0, 1e9, &v)) return GF_EXIT_USAGE;
        cli->max_time_s = v;
        break;
      case 'w':
        if (parse_whole("--workers", optarg, 1, 256, &u)) return GF_EXIT_USAGE;
        cli->workers = (long)u;
        break;
      case 'r':
        if (strcmp(optarg, "auto") == 0 && strcmp(cmd, "replay") == 0) {
          cli->runs = 0; /* from each record's rate */
          break;
        }
        if (parse_whole("--runs", optarg, 1, 100000, &u)) return GF_EXIT_USAGE;
        cli->runs = (long)u;
        break;
      case 's':
        if (parse_whole("--seed", optarg, 0, UINT64_MAX, &u)) return GF_EXIT_USAGE;
        cli->seed = u;
        cli->seed_given = 1;
        break;
    }
  }
  cli->paths = argv + optind;
  cli->npaths = argc - optind;
  return apply_options(cli);
}

int gf_cli_one_path(const gf_cli *cli, const char *what, const char *usage) {
  if (cli->npaths == 1) return 0;
  fprintf(stderr, "gcfuzz %s: one %s expected\n%s", cli->cmd, what, usage);
  return GF_EXIT_USAGE;
}

int gf_cli_plan(gf_cli *cli) {
  gf_err err = {{0}};
  if (gf_config_check_paths(&cli->cfg, &err) != 0 ||
      gf_spawn_plan_init(&cli->plan, &cli->cfg, &err) != 0) {
    fprintf(stderr, "gcfuzz: config error: %s\n", err.msg);
    return GF_EXIT_USAGE;
  }
  return 0;
}

unsigned gf_cli_workers(const gf_cli *cli) {
  return cli->cfg.workers ? cli->cfg.workers : uv_available_parallelism();
}

void gf_cli_free(gf_cli *cli) { gf_spawn_plan_free(&cli->plan); }

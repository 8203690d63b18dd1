/* gf_cli.h - what the subcommands share: options, config and spawn plan.
 *
 * Exit codes (doc/commands.md "Exit codes"): 0 clean, 1 crash found / reproduced,
 * 2 usage or config error, 3 ci's positive control not detected, 4 replay
 * inconclusive.
 */
#ifndef GF_CLI_H
#define GF_CLI_H

#include <limits.h>
#include <stdint.h>

#include "gf_config.h"
#include "gf_spawn.h"

enum {
  GF_EXIT_OK = 0,
  GF_EXIT_FOUND = 1,
  GF_EXIT_USAGE = 2,
  GF_EXIT_NO_CONTROL = 3,
  GF_EXIT_INCONCLUSIVE = 4 /* replay: not reproduced, but too few runs to call it fixed */
};

typedef struct gf_cli {
  const char *cmd;
  const char *config_path; /* NULL: built-in defaults */
  const char *out;
  double max_time_s;       /* -1: not given */
  long workers;            /* -1: not given */
  uint64_t seed;
  int seed_given;
  const char *entry;
  long runs;               /* -1: not given, 0: auto (--runs auto) */
  const char *build;       /* --build: override a record's build */
  char **paths;            /* positional arguments */
  int npaths;
  const char *output;      /* -O */
  int stop_on_crash;       /* soak --stop-on-crash */
  int all_nodes;           /* replay --all-nodes */
  int pr;                  /* ci --pr: code-change mode */
  char root[PATH_MAX];     /* project root: parent of the binary's dir */
  char exe[PATH_MAX];
  gf_config cfg;
  gf_spawn_plan plan;
  char replay_prefix[PATH_MAX * 2 + 64];
  char command_line[4096]; /* exe and arguments, each shell-quoted (stats.json) */
  double status_every_s;   /* --status-every: a status line per S s when not on a tty */
  const char *source_root; /* report --source-root */
  const char *category;    /* report --category */
  const char *list;        /* hunt --list FILE: one SPEC a line */
  const char *shard;       /* hunt --shard I/N */
  const char *cache;       /* hunt --cache DIR: the build cache */
  int merge;               /* hunt --merge: shard folders into --out */
  long confirm_runs;       /* hunt --confirm-runs: -1 not given */
  const char *issue;       /* report --issue HASH */
} gf_cli;

/* Parses argv (after the subcommand) with the options in `allowed` (a
 * string of short option letters, e.g. "comwseEr"); loads the config and
 * applies --entry/--workers. Prints the error and returns GF_EXIT_USAGE, or
 * 0. A --help prints usage and returns -1. */
int gf_cli_parse(gf_cli *cli, const char *cmd, int argc, char **argv, const char *allowed,
                 const char *usage);

/* 0 if the command got exactly one positional argument; otherwise prints
 * "gcfuzz CMD: one WHAT expected" and the usage, and returns GF_EXIT_USAGE. */
int gf_cli_one_path(const gf_cli *cli, const char *what, const char *usage);

/* Builds the spawn plan (asks the compiler for libasan when needed). */
int gf_cli_plan(gf_cli *cli);

unsigned gf_cli_workers(const gf_cli *cli);

void gf_cli_free(gf_cli *cli);

int gf_cmd_soak(int argc, char **argv);
int gf_cmd_ci(int argc, char **argv);
int gf_cmd_replay(int argc, char **argv);
int gf_cmd_import(int argc, char **argv);
int gf_cmd_minimize(int argc, char **argv);
int gf_cmd_report(int argc, char **argv);
int gf_cmd_cmin(int argc, char **argv);
int gf_cmd_merge(int argc, char **argv);
int gf_cmd_hunt(int argc, char **argv);
int gf_cmd_repro(int argc, char **argv);
int gf_cmd_init(int argc, char **argv);

#endif

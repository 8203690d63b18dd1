/* cmd_init.c - `gcfuzz init [DIR]`: a target, a config, an ASan build
 * script and a CI workflow for the addon in DIR, from hunt's discovery.
 *
 * The work is harness/init.js's (it shares discovery and the target
 * generator with hunt); the runner gives it the installation's harness and
 * the config's node, and passes its exit code on.
 */
#include <stdio.h>

#include "gf_cli.h"

static const char usage[] =
    "usage: gcfuzz init [DIR]\n"
    "In an addon's package directory (DIR, default .), writes what fuzzing it needs,\n"
    "never overwriting a file: gcfuzz/target.js (its async calls, found by probing the\n"
    "package as hunt does), gcfuzz/config.json (limits for them, the ASan build,\n"
    "\"control\": \"builtin\"), gcfuzz/build-asan.js (the ASan build into gcfuzz/asan/, run\n"
    "now and after each native change), gcfuzz/.gitignore and\n"
    ".github/workflows/gcfuzz.yml (nightly and pull-request jobs on the npm package).\n"
    "The release build is the package's own build/Release (built when missing).\n"
    "Exit: 0 done, 1 no async call found, 2 usage error or a package it cannot read\n"
    "or build.\n";

int gf_cmd_init(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "init", argc, argv, "", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if (cli.npaths > 1) {
    fprintf(stderr, "gcfuzz init: one DIR at most\n%s", usage);
    gf_cli_free(&cli);
    return GF_EXIT_USAGE;
  }
  char prog[PATH_MAX + 32];
  snprintf(prog, sizeof prog, "%s/harness/init.js", cli.root);
  char *args[] = {cli.cfg.node, prog, cli.npaths ? cli.paths[0] : ".", NULL};
  gf_err err = {{0}};
  rc = gf_run_inherit(args, &err);
  if (rc < 0) fprintf(stderr, "gcfuzz init: %s\n", err.msg);
  gf_cli_free(&cli);
  return rc < 0 ? GF_EXIT_USAGE : rc;
}

/* cmd_repro.c - `gcfuzz repro`: a crash record as one standalone Node
 * script (syzkaller's syz-prog2c, for a GC race).
 *
 * The runner knows how the record's case was run - its build and
 * sanitizer, V8 flags, threadpool size, timeout, the target - and hands
 * that to harness/repro.js as one JSON spec; the script it writes inlines
 * the harness modules and the target, so it runs with node alone.
 */
#include <stdio.h>

#include "gf_repro.h"

static const char usage[] =
    "usage: gcfuzz repro [--config FILE] [--build B] [--entry NAME] [-o FILE] CRASH.json\n"
    "Writes a standalone reproducer of a crash record (to FILE, or stdout): a plain Node\n"
    "script with the record's case, the harness and the target inlined, that runs\n"
    "without gcfuzz: node FILE [RUNS] [--build B] [--dir D]. It runs the case RUNS times\n"
    "(default 10) in fresh processes and says per run whether the record's failure\n"
    "showed; exit 1 reproduced, 0 not, 2 never ran. --entry: the case on another entry\n"
    "(the fixed twin of a bug entry, say).\n";

int gf_cmd_repro(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "repro", argc, argv, "cbOoe", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if ((rc = gf_cli_one_path(&cli, "crash record", usage)) != 0) return rc;
  const char *out = cli.output ? cli.output : cli.out;
  char *extra[] = {out ? "-o" : NULL, (char *)out, NULL};
  rc = gf_repro_run_tool(&cli, cli.paths[0], "repro.js", extra);
  gf_cli_free(&cli);
  return rc;
}

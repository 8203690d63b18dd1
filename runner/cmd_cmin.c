/* cmd_cmin.c - `gcfuzz cmin DIR`: shrinks the feedback corpus of an output
 * directory to the cases that keep every feature (gf_cmin.h). */
#include <stdio.h>

#include "gf_cli.h"
#include "gf_cmin.h"
#include "gf_lock.h"

static const char usage[] =
    "usage: gcfuzz cmin DIR\n"
    "Keeps, of DIR/corpus/feedback, the cheapest case for every window feature and\n"
    "moves the others to DIR/corpus/feedback.removed/. Refused while a soak holds DIR.\n"
    "Exit: 0 done, 2 usage error or unreadable DIR.\n";

int gf_cmd_cmin(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "cmin", argc, argv, "", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if ((rc = gf_cli_one_path(&cli, "output directory", usage)) != 0) return rc;
  gf_cmin_result r;
  gf_err err = {{0}};
  int lock = -1;
  /* It moves corpus files a running soak reads and writes: not under one. */
  if (gf_lock_out(cli.paths[0], 0, &lock, &err) != 0 || gf_cmin(cli.paths[0], &r, stderr, &err) != 0) {
    fprintf(stderr, "gcfuzz cmin: %s\n", err.msg);
    gf_unlock_out(lock);
    return GF_EXIT_USAGE;
  }
  gf_unlock_out(lock);
  fprintf(stderr, "gcfuzz cmin: kept %d of %d cases (%d without recorded features), %u features; "
                  "moved %d to %s/corpus/feedback.removed\n",
          r.kept, r.cases, r.unknown, r.features, r.removed, cli.paths[0]);
  printf("{\"cases\":%d,\"kept\":%d,\"removed\":%d,\"unknown\":%d,\"features\":%u}\n", r.cases,
         r.kept, r.removed, r.unknown, r.features);
  return GF_EXIT_OK;
}

/* cmd_cmin.c - `gcfuzz cmin DIR`: shrinks the feedback corpus of an output
 * directory to the cases that keep every feature (gf_cmin.h). */
#include <stdio.h>

#include "gf_cli.h"
#include "gf_cmin.h"

static const char usage[] =
    "usage: gcfuzz cmin DIR\n"
    "Keeps, of DIR/corpus/feedback, the cheapest case for every window feature and\n"
    "moves the others to DIR/corpus/feedback.removed/. Run it while no soak writes DIR.\n"
    "Exit: 0 done, 2 usage error or unreadable DIR.\n";

int gf_cmd_cmin(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "cmin", argc, argv, "", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if ((rc = gf_cli_one_path(&cli, "output directory", usage)) != 0) return rc;
  gf_cmin_result r;
  gf_err err = {{0}};
  if (gf_cmin(cli.paths[0], &r, stderr, &err) != 0) {
    fprintf(stderr, "gcfuzz cmin: %s\n", err.msg);
    return GF_EXIT_USAGE;
  }
  fprintf(stderr, "gcfuzz cmin: kept %d of %d cases (%d without recorded features), %u features; "
                  "moved %d to %s/corpus/feedback.removed\n",
          r.kept, r.cases, r.unknown, r.features, r.removed, cli.paths[0]);
  printf("{\"cases\":%d,\"kept\":%d,\"removed\":%d,\"unknown\":%d,\"features\":%u}\n", r.cases,
         r.kept, r.removed, r.unknown, r.features);
  return GF_EXIT_OK;
}

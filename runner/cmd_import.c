/* cmd_import.c - `gcfuzz import`: a fuzz_lifecycle input that ASan flagged
 * becomes a runner case, to confirm on real Node with `gcfuzz replay`.
 *
 * The input is replayed through the lifecycle model without touching memory
 * (a dry run, all modes); the first job that reads an elem the model had
 * finalized gives the case (see gf_lc_to_case for the mapping and doc/fuzzers.md
 * "From the model to real Node" for its limits: the model is not V8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_cli.h"
#include "gf_fs.h"
#include "gf_lifecycle.h"

static const char usage[] =
    "usage: gcfuzz import LIFECYCLE_INPUT [-O OUT.json]\n"
    "Turns a fuzz_lifecycle input (e.g. fuzz-out/fuzz_lifecycle_borrowed/crash-*) into a\n"
    "runner case (stdout, or OUT.json). Exit: 0 written, 1 the input has no stale read,\n"
    "2 usage error.\n";

int gf_cmd_import(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "import", argc, argv, "O", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if ((rc = gf_cli_one_path(&cli, "input file", usage)) != 0) return rc;
  gf_err err = {{0}};
  size_t len;
  char *data = gf_read_file(cli.paths[0], 1 << 20, &len, &err);
  if (data == NULL) {
    fprintf(stderr, "gcfuzz import: %s\n", err.msg);
    return GF_EXIT_USAGE;
  }
  gf_lc_report rep;
  gf_case c;
  gf_lc_run((const uint8_t *)data, len, GF_LC_COPY | GF_LC_REF | GF_LC_BORROWED, 1, &rep);
  free(data);
  if (gf_lc_to_case(&rep, &c) != 0) {
    fprintf(stderr, "gcfuzz import: %s: no stale read in %u events (%u jobs, %u GCs)\n",
            cli.paths[0], rep.events, rep.jobs, rep.gcs);
    return GF_EXIT_FOUND;
  }
  char *line = gf_case_to_line(&c);
  if (cli.output) {
    rc = gf_write_atomic(cli.output, line, strlen(line), &err);
    if (rc != 0) fprintf(stderr, "gcfuzz import: %s\n", err.msg);
  } else {
    printf("%s\n", line);
  }
  free(line);
  return rc ? GF_EXIT_USAGE : GF_EXIT_OK;
}

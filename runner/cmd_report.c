/* cmd_report.c - `gcfuzz report DIR`: report.html, report.md and
 * report.sarif from a run's output directory. */
#include <limits.h>
#include <stdio.h>

#include <string.h>

#include "gf_cli.h"
#include "gf_record.h"
#include "gf_repro.h"
#include "gf_run.h"

static const char usage[] =
    "usage: gcfuzz report [--source-root REPO] [--category NAME] DIR\n"
    "       gcfuzz report --issue HASH --config FILE [--build B] [-O FILE] DIR\n"
    "Writes DIR/report.html (self-contained: table, stacks, charts), DIR/report.md and\n"
    "DIR/report.sarif (SARIF 2.1.0) from DIR's crash records and stats history.\n"
    "SARIF paths are relative to REPO (default: the nearest directory with a .git above\n"
    "the working directory); NAME (default soak) makes automationDetails.id gcfuzz/NAME/.\n"
    "--issue: the Markdown of one bucket for an issue tracker (to FILE, or stdout): what\n"
    "happens, package, Node, build, the case in words, stacks, needs GC, rates, a fix\n"
    "hint and the standalone reproducer (gcfuzz repro); no path of this machine in it.\n"
    "The config is the one it was found with (its target).\n"
    "Exit: 0 written, 2 usage error or unreadable DIR.\n";

/* One bucket as an upstream-ready issue (harness/issue.js). */
static int write_issue(gf_cli *cli, const char *dir) {
  cJSON *hash = cJSON_CreateString(cli->issue); /* what the record schema calls a hash */
  gf_err why = {{0}};
  int bad = gf_record_check_field("hash", hash, &why) != 0;
  cJSON_Delete(hash);
  if (bad) {
    fprintf(stderr, "gcfuzz report: --issue: a bucket hash is 16 hex digits, got '%s'\n", cli->issue);
    return GF_EXIT_USAGE;
  }
  if (!cli->config_path) {
    fprintf(stderr, "gcfuzz report: --issue needs --config FILE, the config it was found with "
                    "(its target goes into the reproducer)\n");
    return GF_EXIT_USAGE;
  }
  char path[PATH_MAX + 64];
  snprintf(path, sizeof path, "%s/crashes/%s.json", dir, cli->issue);
  char *extra[] = {cli->output ? "-o" : NULL, (char *)cli->output, NULL};
  return gf_repro_run_tool(cli, path, "issue.js", extra);
}

int gf_cmd_report(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "report", argc, argv, "RCIcbO", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if ((rc = gf_cli_one_path(&cli, "output directory", usage)) != 0) return rc;
  if (cli.issue) {
    rc = write_issue(&cli, cli.paths[0]);
    gf_cli_free(&cli);
    return rc;
  }
  gf_run run;
  gf_err err = {{0}};
  char path[PATH_MAX + 32];
  const char *dir = cli.paths[0];
  if (gf_run_load(&run, dir, &err) != 0) {
    fprintf(stderr, "gcfuzz report: %s\n", err.msg);
    return GF_EXIT_USAGE;
  }
  run.source_root = cli.source_root;
  run.category = cli.category;
  static const struct {
    const char *name;
    int (*write)(const gf_run *, const char *, gf_err *);
  } outputs[] = {{"report.html", gf_write_report_html},
                 {"report.md", gf_write_report_md},
                 {"report.sarif", gf_write_report_sarif}};
  for (int i = 0; i < 3 && rc == 0; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, outputs[i].name);
    if (outputs[i].write(&run, path, &err) != 0) {
      fprintf(stderr, "gcfuzz report: %s\n", err.msg);
      rc = GF_EXIT_USAGE;
    } else {
      fprintf(stderr, "gcfuzz report: wrote %s\n", path);
    }
  }
  gf_run_free(&run);
  return rc;
}

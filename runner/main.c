/* main.c - gcfuzz: a stress-testing fuzzer daemon for GC use-after-free bugs
 * in Node.js native addons. Dispatches to the subcommands. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "gf_cli.h"
#include "gf_config_keys.h"

/* The release; records and reports do not depend on it. */
#include "gf_version.h"

/* One row per subcommand: the dispatch and the --help list follow from it
 * (git's commands[]). */
typedef struct gf_command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *help;
} gf_command;

static const gf_command commands[] = {
    {"soak", gf_cmd_soak, "fuzz until stopped or --max-time; resumes from --out"},
    {"ci", gf_cmd_ci, "nightly job: positive control, then the shipped entry; exit code"},
    {"replay", gf_cmd_replay, "re-run saved cases/crashes in fresh processes: reproduced or fixed"},
    {"import", gf_cmd_import, "turn a fuzz_lifecycle input into a runner case"},
    {"minimize", gf_cmd_minimize, "shrink a crash's case, keeping its signature and rate"},
    {"repro", gf_cmd_repro, "a crash record as one standalone Node script that reproduces it"},
    {"report", gf_cmd_report, "report.html / report.md / report.sarif of an output directory"},
    {"cmin", gf_cmd_cmin, "shrink an output directory's feedback corpus to the cases that keep every feature"},
    {"merge", gf_cmd_merge, "merge output folders of several machines into one (counts once per origin)"},
    {"hunt", gf_cmd_hunt, "npm packages in, findings out: build, discover the async surface, fuzz"},
    {"init", gf_cmd_init, "in an addon's directory: a target, a config, an ASan build, a CI workflow"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *f) {
  fputs("usage: gcfuzz <command> [options]\n\ncommands:\n", f);
  for (size_t i = 0; i < N_COMMANDS; i++) fprintf(f, "  %-8s  %s\n", commands[i].name, commands[i].help);
  fputs("\n"
        "exit codes: 0 clean, 1 crash found/reproduced, 2 usage or config error (or OUT\n"
        "            held by another gcfuzz), 3 ci could not detect the known bug (harness or\n"
        "            build broken), 4 replay inconclusive (too few runs to say fixed)\n"
        "'gcfuzz <command> --help' for a command's options; 'gcfuzz --version'.\n",
        f);
}

/* Started with stdin, stdout or stderr closed (`nohup gcfuzz … <&-`), the
 * first pipes we open would take fds 0-2 and libuv would later treat them
 * as our stdio (an assertion at stop, exit 134). Hold them with /dev/null. */
static void hold_std_fds(void) {
  for (int fd = 0; fd < 3; fd++)
    if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
      int nul = open("/dev/null", O_RDWR);
      if (nul >= 0 && nul != fd) close(nul); /* lowest free fd: it is fd */
    }
}

/* `gcfuzz __worker PPID PROGRAM ARGS...`: how the daemon starts a worker.
 * The worker runs in its own session, so a kill -9 of the daemon would leave
 * it running (a hung one at full CPU, forever); the kernel kills it with the
 * daemon instead (PR_SET_PDEATHSIG survives exec). PPID closes the race of a
 * daemon that died before prctl. */
static int exec_worker(char **argv) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != (pid_t)strtol(argv[2], NULL, 10)) _exit(1);
  execvp(argv[3], argv + 3);
  fprintf(stderr, "gcfuzz: cannot start '%s': %s\n", argv[3], strerror(errno));
  return 127;
}

int main(int argc, char **argv) {
  if (argc >= 4 && strcmp(argv[1], "__worker") == 0) return exec_worker(argv);
  if (argc == 2 && strcmp(argv[1], "__config-keys") == 0) { /* the docs test reads the table */
    char *t = cJSON_Print(gf_config_keys_json());
    printf("%s\n", t ? t : "[]");
    return GF_EXIT_OK;
  }
  hold_std_fds();
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    printf("gcfuzz %s\n", GF_VERSION);
    return GF_EXIT_OK;
  }
  /* A worker that dies while we write to its stdin must not kill us; nor
   * may a file size limit (ulimit -f): a write past it fails with EFBIG,
   * which the store handles like ENOSPC (kept, retried). */
  signal(SIGPIPE, SIG_IGN);
  signal(SIGXFSZ, SIG_IGN);
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0 ||
      strcmp(argv[1], "-h") == 0) {
    print_usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? GF_EXIT_USAGE : GF_EXIT_OK;
  }
  for (size_t i = 0; i < N_COMMANDS; i++)
    if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "gcfuzz: unknown command '%s'\n", argv[1]);
  print_usage(stderr);
  return GF_EXIT_USAGE;
}

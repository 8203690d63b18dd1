/* cmd_hunt.c - `gcfuzz hunt`: package SPECs in, findings out, with no
 * target written by the user (doc/hunt.md).
 *
 * SPECs come from the command line and --list FILE (one a line, '#'
 * comments); --shard I/N keeps every N-th from the I-th, so a CI matrix or
 * an Indexed Job splits one list. Each package goes through gf_hunt.h's
 * phases into DIR/pkgs/<slug>/; DIR/hunt.json (every row) and DIR/hunt.md
 * (the table) are rewritten after each one, so a stopped hunt resumes
 * where it was: a package whose row is done or failed is not done again.
 * Exit: 0 no finding, 1 findings, 2 usage error or DIR held.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "gf_cli.h"
#include "gf_fs.h"
#include "gf_hunt.h"
#include "gf_hunt_md.h"
#include "gf_json.h"
#include "gf_lock.h"
#include "gf_sbuf.h"
#include "gf_text.h"

static const char usage[] =
    "usage: gcfuzz hunt [SPEC...] [--list FILE] --out DIR [--max-time S] [--shard I/N]\n"
    "                   [--cache DIR] [--workers N] [--seed N] [--confirm-runs K]\n"
    "       gcfuzz hunt --merge --out DIR SHARD_DIR...\n"
    "SPEC: name@version (npm pack from the registry), a .tgz, or a package directory.\n"
    "Per package: fetch, build release + ASan (node-gyp offline; prebuilt-only: release),\n"
    "discover the async surface, generate DIR/pkgs/<slug>/{target.js,config.json}, fuzz it\n"
    "with `gcfuzz ci` for --max-time seconds (default 120), report. Writes DIR/hunt.json and\n"
    "DIR/hunt.md; resumable. --cache: builds (default $GCFUZZ_CACHE, else\n"
    "$XDG_CACHE_HOME/gcfuzz/hunt, else ~/.cache/gcfuzz/hunt). --confirm-runs: each\n"
    "generated config's confirm_runs (default 3).\n"
    "--merge: the rows of several hunts (shards) into DIR/hunt.json and hunt.md, links\n"
    "relative to DIR; a package done in several keeps its finished row.\n"
    "Exit: 0 no finding, 1 findings, 2 usage error, DIR held by another gcfuzz, or\n"
    "(--merge) a shard's hunt.json unreadable.\n";

#define MAX_SPECS 4096
#define SPEC_MAX 512

typedef struct spec_list {
  char **v;
  int n;
} spec_list;

/* A SPEC is one printable line: no control bytes, no leading '-'. */
static int spec_ok(const char *s, const char *where, int line) {
  size_t n = strlen(s);
  int bad = n == 0 || n >= SPEC_MAX || s[0] == '-';
  for (size_t i = 0; i < n && !bad; i++) bad = (unsigned char)s[i] < 0x20 || s[i] == 0x7f;
  if (bad) fprintf(stderr, "gcfuzz hunt: %s%s%d: not a package spec (name@version, a .tgz or a directory)\n",
                   where, line ? ":" : "", line);
  return !bad;
}

static int add_spec(spec_list *l, const char *s) {
  if (l->n >= MAX_SPECS) return -1;
  l->v[l->n] = strdup(s);
  return l->v[l->n] ? (l->n++, 0) : -1;
}

static int read_list(spec_list *l, const char *file) {
  gf_err err = {{0}};
  char *text = gf_read_file(file, 4 << 20, NULL, &err);
  if (text == NULL) {
    fprintf(stderr, "gcfuzz hunt: --list: %s\n", err.msg);
    return -1;
  }
  int line = 0, rc = 0;
  /* not strtok: it would skip blank lines, and the line numbers with them */
  for (char *p = text, *nl; p && *p && rc == 0; p = nl ? nl + 1 : NULL) {
    nl = strchr(p, '\n');
    if (nl) *nl = '\0';
    line++;
    while (*p == ' ' || *p == '\t') p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r')) p[--n] = '\0';
    if (*p == '\0' || *p == '#') continue;
    rc = spec_ok(p, file, line) && add_spec(l, p) == 0 ? 0 : -1;
  }
  free(text);
  return rc;
}

static int parse_shard(const char *s, unsigned *i, unsigned *n) {
  char *end;
  errno = 0;
  unsigned long a = strtoul(s, &end, 10);
  if (errno || end == s || *end != '/') return -1;
  const char *b = end + 1;
  unsigned long c = strtoul(b, &end, 10);
  if (errno || end == b || *end || c == 0 || c > 100000 || a >= c) return -1;
  *i = (unsigned)a;
  *n = (unsigned)c;
  return 0;
}

static void default_cache(char *out, size_t cap) {
  const char *env = getenv("GCFUZZ_CACHE"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  if (env && *env)
    snprintf(out, cap, "%s", env);
  else if (xdg && *xdg)
    snprintf(out, cap, "%s/gcfuzz/hunt", xdg);
  else
    snprintf(out, cap, "%s/.cache/gcfuzz/hunt", home && *home ? home : "/tmp");
}

/* DIR/hunt.json as it is, or a new one; a file that does not parse is
 * kept aside (hunt.json.bad) rather than lost. */
static cJSON *load_state(const char *path) {
  int exists;
  cJSON *j = gf_hunt_read_json(path, &exists);
  if (exists && !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "packages"))) {
    char bad[PATH_MAX + 64];
    snprintf(bad, sizeof bad, "%s.bad", path);
    rename(path, bad);
    fprintf(stderr, "gcfuzz hunt: %s: not a hunt file; kept as %s, starting anew\n", path, bad);
    cJSON_Delete(j);
    j = NULL;
  }
  if (j == NULL) {
    j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "gcfuzz_hunt", 1);
    cJSON_AddItemToObject(j, "packages", cJSON_CreateArray());
  }
  return j;
}

static cJSON *find_row(cJSON *state, const char *spec, int *index) {
  cJSON *row;
  int i = 0;
  cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(state, "packages")) {
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(row, "spec");
    if (cJSON_IsString(s) && strcmp(s->valuestring, spec) == 0) {
      *index = i;
      return row;
    }
    i++;
  }
  return NULL;
}

static int save_state(const char *out, cJSON *state) {
  char path[PATH_MAX + 16], env[160];
  gf_err err = {{0}};
  snprintf(env, sizeof env, "%u cores; Node of each row in its `node` field", uv_available_parallelism());
  gf_json_set(state, "environment", cJSON_CreateString(env));
  char *text = cJSON_Print(state);
  snprintf(path, sizeof path, "%s/hunt.json", out);
  int rc = text ? gf_write_atomic(path, text, strlen(text), &err) : -1;
  free(text);
  snprintf(path, sizeof path, "%s/hunt.md", out);
  if (rc == 0) rc = gf_hunt_write_md(state, path, &err);
  if (rc != 0) fprintf(stderr, "gcfuzz hunt: %s\n", err.msg[0] ? err.msg : "out of memory");
  return rc;
}

static int is_final(const cJSON *row) {
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(row, "status");
  return cJSON_IsString(s) && (strcmp(s->valuestring, "done") == 0 || strcmp(s->valuestring, "failed") == 0);
}

static int findings_of(const cJSON *row) { return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(row, "findings")); }

static int hunt_all(gf_cli *cli, const gf_hunt_opts *o, spec_list *specs, unsigned si, unsigned sn) {
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/hunt.json", cli->out);
  cJSON *state = load_state(path);
  int stop = 0, found = 0, mine = 0;
  for (int k = 0; k < specs->n && !stop; k++) {
    if ((unsigned)k % sn != si) continue;
    int at = -1;
    cJSON *row = find_row(state, specs->v[k], &at);
    mine++;
    if (row && is_final(row)) {
      fprintf(stderr, "gcfuzz hunt: %s: done before, skipped (its row is kept)\n", specs->v[k]);
      found += findings_of(row) > 0;
      continue;
    }
    fprintf(stderr, "gcfuzz hunt: [%d/%d] %s\n", k + 1, specs->n, specs->v[k]);
    cJSON *fresh = gf_hunt_package(o, specs->v[k], &stop);
    cJSON *pkgs = cJSON_GetObjectItemCaseSensitive(state, "packages");
    if (at >= 0)
      cJSON_ReplaceItemInArray(pkgs, at, fresh);
    else
      cJSON_AddItemToArray(pkgs, fresh);
    found += findings_of(fresh) > 0;
    fprintf(stderr, "gcfuzz hunt: %s: %d finding(s)\n", specs->v[k], findings_of(fresh));
    save_state(cli->out, state);
  }
  save_state(cli->out, state);
  cJSON_Delete(state);
  fprintf(stderr, "gcfuzz hunt: %d package(s), %d with findings -> %s/hunt.md\n", mine, found, cli->out);
  return found ? GF_EXIT_FOUND : GF_EXIT_OK;
}

/* The path of `to` from the directory `from`, both absolute and resolved:
 * the leading components they share dropped, one "../" for each component
 * of `from` left. */
static void relative_path(const char *from, const char *to, char *out, size_t cap) {
  size_t common = 0, i = 0;
  for (; from[i] && from[i] == to[i]; i++)
    if (from[i] == '/') common = i;
  if (from[i] == '\0' && (to[i] == '/' || to[i] == '\0')) common = i; /* from is a prefix */
  gf_sbuf b = {0};
  for (const char *p = from + common; *p; p++)
    if (*p == '/') gf_sbuf_printf(&b, "../");
  gf_sbuf_printf(&b, "%s", to[common] == '/' ? to + common + 1 : to + common);
  gf_strlcpy(out, b.p && !b.oom ? b.p : to, cap);
  gf_sbuf_free(&b);
}

/* --merge: every shard's rows into DIR, `dir` made relative to DIR. */
static int merge_shards(gf_cli *cli, const char *out_abs);

static int merge_mode(gf_cli *cli) {
  char out_abs[PATH_MAX];
  gf_err err = {{0}};
  int lock = -1;
  if (cli->out == NULL || cli->npaths == 0) {
    fprintf(stderr, "gcfuzz hunt: --merge needs --out DIR and the shard folders\n%s", usage);
    return GF_EXIT_USAGE;
  }
  if (gf_mkdirs(cli->out, &err) != 0 || realpath(cli->out, out_abs) == NULL ||
      gf_lock_out(cli->out, 0, &lock, &err) != 0) {
    fprintf(stderr, "gcfuzz hunt: %s\n", err.msg[0] ? err.msg : strerror(errno));
    return GF_EXIT_USAGE;
  }
  int rc = merge_shards(cli, out_abs);
  gf_unlock_out(lock);
  return rc;
}

static int merge_shards(gf_cli *cli, const char *out_abs) {
  cJSON *state = cJSON_CreateObject(), *pkgs = cJSON_CreateArray();
  cJSON_AddNumberToObject(state, "gcfuzz_hunt", 1);
  cJSON_AddItemToObject(state, "packages", pkgs);
  int unreadable = 0, found = 0;
  for (int i = 0; i < cli->npaths; i++) {
    char file[PATH_MAX + 16], shard[PATH_MAX];
    snprintf(file, sizeof file, "%s/hunt.json", cli->paths[i]);
    cJSON *j = realpath(cli->paths[i], shard) ? gf_hunt_read_json(file, NULL) : NULL;
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(j, "packages"), *row;
    if (!cJSON_IsArray(rows)) {
      fprintf(stderr, "gcfuzz hunt: --merge: %s: not a hunt (no readable hunt.json), skipped\n", cli->paths[i]);
      unreadable++;
    }
    cJSON_ArrayForEach(row, rows) {
      const cJSON *spec = cJSON_GetObjectItemCaseSensitive(row, "spec");
      const cJSON *dir = cJSON_GetObjectItemCaseSensitive(row, "dir");
      int at = -1;
      if (!cJSON_IsString(spec) || !cJSON_IsString(dir) || strstr(dir->valuestring, "..")) continue;
      cJSON *have = find_row(state, spec->valuestring, &at);
      if (have && (is_final(have) || !is_final(row))) continue;
      cJSON *copy = cJSON_Duplicate(row, 1);
      char abs[PATH_MAX * 2], rel[PATH_MAX * 2];
      snprintf(abs, sizeof abs, "%s/%s", shard, dir->valuestring);
      relative_path(out_abs, abs, rel, sizeof rel);
      gf_json_set(copy, "dir", cJSON_CreateString(rel));
      if (have)
        cJSON_ReplaceItemInArray(pkgs, at, copy);
      else
        cJSON_AddItemToArray(pkgs, copy);
    }
    cJSON_Delete(j);
  }
  const cJSON *row;
  cJSON_ArrayForEach(row, pkgs) found += findings_of(row) > 0;
  int rc = save_state(cli->out, state);
  fprintf(stderr, "gcfuzz hunt: merged %d package(s) from %d shard(s), %d with findings -> %s/hunt.md\n",
          cJSON_GetArraySize(pkgs), cli->npaths - unreadable, found, cli->out);
  cJSON_Delete(state);
  return rc || unreadable ? GF_EXIT_USAGE : found ? GF_EXIT_FOUND : GF_EXIT_OK;
}

int gf_cmd_hunt(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "hunt", argc, argv, "omwsLHKGF", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if (cli.merge) return merge_mode(&cli);
  spec_list specs = {calloc(MAX_SPECS, sizeof(char *)), 0};
  unsigned si = 0, sn = 1;
  gf_err err = {{0}};
  if (cli.out == NULL || specs.v == NULL) {
    fprintf(stderr, "gcfuzz hunt: --out DIR is required\n%s", usage);
    return GF_EXIT_USAGE;
  }
  for (int i = 0; i < cli.npaths; i++)
    if (!spec_ok(cli.paths[i], "argument ", i + 1) || add_spec(&specs, cli.paths[i]) != 0) return GF_EXIT_USAGE;
  if (cli.list && read_list(&specs, cli.list) != 0) return GF_EXIT_USAGE;
  if (specs.n == 0) {
    fprintf(stderr, "gcfuzz hunt: no package: give a SPEC or --list FILE\n%s", usage);
    return GF_EXIT_USAGE;
  }
  if (cli.shard && parse_shard(cli.shard, &si, &sn) != 0) {
    fprintf(stderr, "gcfuzz hunt: --shard: must be I/N with 0 <= I < N, got '%s'\n", cli.shard);
    return GF_EXIT_USAGE;
  }
  char cache[PATH_MAX], out_abs[PATH_MAX];
  if (cli.cache)
    gf_strlcpy(cache, cli.cache, sizeof cache);
  else
    default_cache(cache, sizeof cache);
  int lock = -1;
  if (gf_mkdirs(cli.out, &err) != 0 || gf_mkdirs(cache, &err) != 0 || realpath(cli.out, out_abs) == NULL ||
      gf_lock_out(cli.out, 0, &lock, &err) != 0) {
    fprintf(stderr, "gcfuzz hunt: %s\n", err.msg[0] ? err.msg : strerror(errno));
    return GF_EXIT_USAGE;
  }
  gf_hunt_opts o = {.out = out_abs, .cache = cache, .root = cli.root, .exe = cli.exe, .node = cli.cfg.node,
                    .fuzz_s = cli.max_time_s >= 0 ? cli.max_time_s : 120, .workers = gf_cli_workers(&cli),
                    .seed = cli.seed_given ? cli.seed : 1,
                    .confirm_runs = cli.confirm_runs >= 0 ? (unsigned)cli.confirm_runs : 3};
  rc = hunt_all(&cli, &o, &specs, si, sn);
  gf_unlock_out(lock);
  for (int i = 0; i < specs.n; i++) free(specs.v[i]);
  free(specs.v);
  return rc;
}

/* gf_config.c - see gf_config.h. */
#include "gf_config.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gf_config_keys.h"
#include "gf_fs.h"
#include "gf_json.h"

/* Resolves a relative path against base; absolute paths stay as they are. */
static void resolve_path(char *out, size_t cap, const char *base, const char *p) {
  if (p[0] == '/' || base[0] == '\0')
    gf_strlcpy(out, p, cap);
  else if (snprintf(out, cap, "%s/%s", base, p) >= (int)cap)
    gf_strlcpy(out, p, cap); /* too long to join: an error at open names it */
}

void gf_config_default(gf_config *cfg, const char *root) {
  memset(cfg, 0, sizeof *cfg);
  strcpy(cfg->node, "node");
  strcpy(cfg->node_args[cfg->n_node_args++], "--expose-gc");
  cfg->n_flag_sets = 1; /* no extra V8 flags */
  resolve_path(cfg->harness, sizeof cfg->harness, root, "harness/run.js");
  resolve_path(cfg->target, sizeof cfg->target, root, "addon/target.js");
  strcpy(cfg->build, "release");
  strcpy(cfg->entry, "sum");
  static const char *const entries[] = {"sum",           "sum_ref",        "sum_borrowed",
                                        "sum_array_ref", "sum_array_ref_fixed",
                                        "sum_weak_ref",  "sum_typed",      "sum_typed_copy",
                                        "sum_self",      "sum_self_ref",   "sum_pool",
                                        "sum_pool_borrowed"};
  for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++)
    strcpy(cfg->entries[cfg->n_entries++], entries[i]);
  gf_config_keys_default(cfg); /* every scalar key: gf_config_keys.c */
  resolve_path(cfg->seeds, sizeof cfg->seeds, root, "corpus/seeds");
  strcpy(cfg->target_frames[cfg->n_target_frames++], "../src/");
  strcpy(cfg->target_frames[cfg->n_target_frames++], "gcfuzz_addon");
  cfg->limits.gc_ops = (1u << GF_OP__COUNT) - 1;
  cfg->limits.max_total_doubles = 4194304;
  strcpy(cfg->control_entry, "sum_borrowed");
  cfg->control_max_s = 60;
  resolve_path(cfg->control_seeds, sizeof cfg->control_seeds, root, "corpus/seeds");
}

/* A file the workers need: there, and a regular file. */
static int check_file(const char *field, const char *path, gf_err *err) {
  struct stat st;
  if (stat(path, &st) != 0) return gf_errf(err, "%s: %s: %s", field, path, strerror(errno));
  if (!S_ISREG(st.st_mode)) return gf_errf(err, "%s: %s: not a regular file", field, path);
  return 0;
}

int gf_which(const char *prog, char *out, size_t cap) {
  char dir[PATH_MAX + 256];
  if (strchr(prog, '/')) {
    if (access(prog, X_OK) != 0) return -1;
    gf_strlcpy(dir, prog, sizeof dir);
  } else {
    const char *path = getenv("PATH"), *p = path ? path : "";
    for (dir[0] = '\0'; *p; p += strcspn(p, ":") + (p[strcspn(p, ":")] == ':')) {
      size_t n = strcspn(p, ":");
      snprintf(dir, sizeof dir, "%.*s/%s", (int)(n ? n : 1), n ? p : ".", prog);
      if (access(dir, X_OK) == 0) break;
      dir[0] = '\0';
    }
    if (!dir[0]) return -1;
  }
  char *real = realpath(dir, NULL);
  gf_strlcpy(out, real ? real : dir, cap);
  free(real);
  return 0;
}

/* node: a path must be executable; a bare name must be found in PATH. */
static int check_program(const char *field, const char *prog, gf_err *err) {
  char found[PATH_MAX];
  if (gf_which(prog, found, sizeof found) == 0) return 0;
  if (strchr(prog, '/')) return gf_errf(err, "%s: %s: %s", field, prog, strerror(errno));
  return gf_errf(err, "%s: '%s' is not in PATH", field, prog);
}

int gf_config_check_paths(const gf_config *cfg, gf_err *err) {
  if (check_program("node", cfg->node, err) || check_file("harness", cfg->harness, err) ||
      (cfg->target[0] && check_file("target", cfg->target, err)) ||
      (cfg->control_target[0] && check_file("control.target", cfg->control_target, err)))
    return -1;
  return 0;
}

int gf_config_wants_asan(const gf_config *cfg) {
  if (cfg->sanitizer != GF_SAN_AUTO) return cfg->sanitizer == GF_SAN_ADDRESS;
  size_t n = strlen(cfg->build);
  return n >= 4 && strcmp(cfg->build + n - 4, "asan") == 0;
}

void gf_config_use_build(gf_config *cfg, const char *build, int from_cli, int rec_sanitizer) {
  if (strcmp(cfg->build, build) == 0) return;
  gf_strlcpy(cfg->build, build, sizeof cfg->build);
  if (!from_cli) cfg->sanitizer = rec_sanitizer;
}

unsigned gf_config_confirm_runs(const gf_config *cfg) {
  return cfg->confirm_runs ? cfg->confirm_runs : GF_CONFIRM_RUNS_DEFAULT;
}

int gf_sanitizer_from_name(const char *name) {
  if (name && strcmp(name, "address") == 0) return GF_SAN_ADDRESS;
  if (name && strcmp(name, "none") == 0) return GF_SAN_NONE;
  return GF_SAN_AUTO;
}

void gf_config_for_control(const gf_config *cfg, gf_config *out) {
  *out = *cfg;
  if (cfg->control_target[0]) {
    gf_strlcpy(out->target, cfg->control_target, sizeof out->target);
    gf_strlcpy(out->seeds, cfg->control_seeds, sizeof out->seeds);
    out->sanitizer = GF_SAN_AUTO; /* the control's build says what it needs */
  }
  if (cfg->control_build[0]) gf_strlcpy(out->build, cfg->control_build, sizeof out->build);
  if (cfg->control_builtin) strcpy(out->build, gf_config_wants_asan(cfg) ? "asan" : "release");
  /* Another target's entries are its own: leave them to its harness. */
  out->n_entries = cfg->control_target[0] ? 0 : cfg->n_entries;
  gf_strlcpy(out->entry, cfg->control_entry, sizeof out->entry);
}

/* A JSON array of strings into a fixed table. */
static int str_array(const cJSON *obj, const char *key, char *table, size_t width,
                     int max, int *n, gf_err *err) {
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key), *it;
  if (a == NULL) return 0;
  if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > max)
    return gf_errf(err, "%s: must be an array of at most %d strings", key, max);
  *n = 0;
  cJSON_ArrayForEach(it, a) {
    if (!cJSON_IsString(it) || strlen(it->valuestring) >= width)
      return gf_errf(err, "%s[%d]: must be a string of at most %zu bytes", key, *n, width - 1);
    gf_strlcpy(table + (size_t)*n * width, it->valuestring, width);
    (*n)++;
  }
  return 0;
}

int gf_flag_set_from_json(gf_flag_set *fs, const cJSON *a, const char *where, gf_err *err) {
  const cJSON *it;
  memset(fs, 0, sizeof *fs);
  if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > GF_MAX_SET_FLAGS)
    return gf_errf(err, "%s: must be an array of at most %d V8 flags", where, GF_MAX_SET_FLAGS);
  cJSON_ArrayForEach(it, a) {
    if (!cJSON_IsString(it) || strncmp(it->valuestring, "--", 2) != 0 ||
        strlen(it->valuestring) >= GF_FLAG_MAX || strchr(it->valuestring, ' '))
      return gf_errf(err, "%s[%d]: must be one \"--flag\" of at most %d bytes", where, fs->n,
                     GF_FLAG_MAX - 1);
    gf_strlcpy(fs->flag[fs->n++], it->valuestring, GF_FLAG_MAX);
  }
  return 0;
}

cJSON *gf_flag_set_to_json(const gf_flag_set *fs) {
  cJSON *a = cJSON_CreateArray();
  for (int i = 0; i < fs->n; i++) cJSON_AddItemToArray(a, cJSON_CreateString(fs->flag[i]));
  return a;
}

int gf_config_find_flag_set(const gf_config *cfg, const gf_flag_set *set) {
  for (int i = 0; i < cfg->n_flag_sets; i++) {
    int same = cfg->v8_flags[i].n == set->n;
    for (int k = 0; same && k < set->n; k++) same = strcmp(cfg->v8_flags[i].flag[k], set->flag[k]) == 0;
    if (same) return i;
  }
  return -1;
}

int gf_config_flag_set_index(gf_config *cfg, const gf_flag_set *set) {
  int found = gf_config_find_flag_set(cfg, set);
  if (found >= 0) return found;
  if (cfg->n_flag_sets == GF_MAX_FLAG_SETS) return -1;
  cfg->v8_flags[cfg->n_flag_sets] = *set;
  return cfg->n_flag_sets++;
}

/* v8_flags: an array of flag sets, e.g. [[], ["--stress-scavenge=50"]]. */
static int load_v8_flags(gf_config *cfg, const cJSON *o, gf_err *err) {
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "v8_flags"), *it;
  char where[32];
  if (a == NULL) return 0;
  if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) < 1 || cJSON_GetArraySize(a) > GF_MAX_FLAG_SETS)
    return gf_errf(err, "v8_flags: must be an array of 1 to %d flag sets", GF_MAX_FLAG_SETS);
  cfg->n_flag_sets = 0;
  cJSON_ArrayForEach(it, a) {
    snprintf(where, sizeof where, "v8_flags[%d]", cfg->n_flag_sets);
    if (gf_flag_set_from_json(&cfg->v8_flags[cfg->n_flag_sets], it, where, err)) return -1;
    cfg->n_flag_sets++;
  }
  return 0;
}

static int load_env(gf_config *cfg, const cJSON *obj, gf_err *err) {
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(obj, "env"), *it;
  if (e == NULL) return 0;
  if (!cJSON_IsObject(e)) return gf_errf(err, "env: must be an object of strings");
  if (gf_json_duplicate_key(e)) return gf_errf(err, "env.%s: duplicate key", gf_json_duplicate_key(e));
  cJSON_ArrayForEach(it, e) {
    if (cfg->n_env == GF_MAX_ENV) return gf_errf(err, "env: at most %d variables", GF_MAX_ENV);
    if (!cJSON_IsString(it) || it->string[0] == '\0' || strchr(it->string, '='))
      return gf_errf(err, "env.%s: must be a string (and the name non-empty, without '=')",
                     it->string);
    if (snprintf(cfg->env[cfg->n_env], GF_ARG_MAX, "%s=%s", it->string, it->valuestring) >=
        GF_ARG_MAX)
      return gf_errf(err, "env.%s: longer than %d bytes", it->string, GF_ARG_MAX - 1);
    cfg->n_env++;
  }
  return 0;
}

static int u32(const cJSON *o, const char *key, uint32_t lo, uint32_t hi, uint32_t *v,
               const char *where, gf_err *err) {
  uint64_t x;
  if (gf_json_uint(o, key, lo, hi, *v, where, &x, err) != 0) return -1;
  *v = (uint32_t)x;
  return 0;
}

/* limits.gc_ops: the GC-step ops the runner may send, by name. */
static int load_gc_ops(gf_limits *l, const cJSON *limits, gf_err *err) {
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(limits, "gc_ops"), *it;
  if (a == NULL) return 0;
  if (!cJSON_IsArray(a)) return gf_errf(err, "limits.gc_ops: must be an array of op names");
  l->gc_ops = 0;
  int i = 0;
  cJSON_ArrayForEach(it, a) {
    int k = 0;
    while (k < GF_OP__COUNT &&
           !(cJSON_IsString(it) && strcmp(it->valuestring, gf_step_specs[k].op) == 0))
      k++;
    if (k == GF_OP__COUNT)
      return gf_errf(err, "limits.gc_ops[%d]: must be the name of a GC-schedule op", i);
    l->gc_ops |= 1u << k;
    i++;
  }
  return 0;
}

/* Keys of obj must be the table's rows under prefix, or others. */
static int known_keys(const cJSON *obj, const char *const *others, const char *prefix, gf_err *err) {
  const char *names[GF_MAX_CONFIG_KEYS];
  gf_config_key_names(prefix, others, names);
  return gf_json_known_keys(obj, names, prefix, err);
}

/* limits: the table's rows (gf_config_keys_load), and these two. */
static int load_limits(gf_limits *l, const cJSON *obj, gf_err *err) {
  static const char *const others[] = {"max_total_doubles", "gc_ops", NULL};
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, "limits");
  if (o == NULL) return 0;
  if (!cJSON_IsObject(o)) return gf_errf(err, "limits: must be an object");
  uint64_t total;
  if (known_keys(o, others, "limits.", err) ||
      gf_json_uint(o, "max_total_doubles", 0, GF_CASE_MAX_TOTAL_DOUBLES,
                   l->max_total_doubles, "limits.", &total, err))
    return -1;
  l->max_total_doubles = total;
  return load_gc_ops(l, o, err);
}

/* A build name (release, asan, ...) goes to the harness as is; a path (a
 * .node file, a package directory: "..", "./asan") is relative to the
 * config file. */
static void resolve_build(char *out, size_t cap, const char *base, const char *b) {
  if (strchr(b, '/') || strstr(b, ".node") || strcmp(b, ".") == 0 || strcmp(b, "..") == 0)
    resolve_path(out, cap, base, b);
  else
    gf_strlcpy(out, b, cap);
}

/* "builtin": the demo addon's sum_borrowed from the installation (root), so
 * a config committed to an addon's repository names no path into gcfuzz's
 * tree; its build follows the sanitizer of the build under test
 * (gf_config_for_control). */
static void builtin_control(gf_config *cfg, const char *root) {
  cfg->control_builtin = 1;
  resolve_path(cfg->control_target, sizeof cfg->control_target, root, "addon/target.js");
  resolve_path(cfg->control_seeds, sizeof cfg->control_seeds, root, "corpus/seeds");
  strcpy(cfg->control_entry, "sum_borrowed");
}

static int load_control(gf_config *cfg, const cJSON *obj, const char *base, const char *root,
                        gf_err *err) {
  static const char *const keys[] = {"entry", "max_s", "target", "build", "seeds", NULL};
  char tmp[PATH_MAX];
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, "control");
  if (o == NULL) return 0;
  if (cJSON_IsString(o) && strcmp(o->valuestring, "builtin") == 0) {
    builtin_control(cfg, root);
    return 0;
  }
  if (!cJSON_IsObject(o)) return gf_errf(err, "control: must be an object or \"builtin\"");
  if (gf_json_known_keys(o, keys, "control.", err) ||
      gf_json_str(o, "entry", cfg->control_entry, "control.", cfg->control_entry,
                  sizeof cfg->control_entry, err) ||
      u32(o, "max_s", 1, 86400, &cfg->control_max_s, "control.", err) ||
      gf_json_str(o, "target", "", "control.", tmp, sizeof tmp, err))
    return -1;
  if (tmp[0]) resolve_path(cfg->control_target, sizeof cfg->control_target, base, tmp);
  if (gf_json_str(o, "build", "", "control.", tmp, sizeof tmp, err)) return -1;
  if (tmp[0]) resolve_build(cfg->control_build, sizeof cfg->control_build, base, tmp);
  if (gf_json_str(o, "seeds", "", "control.", tmp, sizeof tmp, err)) return -1;
  if (tmp[0]) resolve_path(cfg->control_seeds, sizeof cfg->control_seeds, base, tmp);
  return 0;
}

/* target: a module for harness/run.js; null or "" for a harness of one's
 * own. A config that names its own harness has no default target. */
static int load_target(gf_config *cfg, const cJSON *o, const char *base, gf_err *err) {
  static const char *const names[] = {"auto", "none", "address", NULL};
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "target");
  char tmp[PATH_MAX];
  if (cJSON_GetObjectItemCaseSensitive(o, "harness") && t == NULL) cfg->target[0] = '\0';
  if (cJSON_IsNull(t)) {
    cfg->target[0] = '\0';
  } else if (t) {
    if (gf_json_str(o, "target", NULL, "", tmp, sizeof tmp, err)) return -1;
    if (tmp[0])
      resolve_path(cfg->target, sizeof cfg->target, base, tmp);
    else
      cfg->target[0] = '\0';
  }
  return gf_json_enum(o, "sanitizer", names, cfg->sanitizer, "", &cfg->sanitizer, err);
}

/* "node" stays a PATH lookup; "./bin/node" is relative to the config file. */
static void resolve_program(char *out, size_t cap, const char *base, const char *p) {
  if (strchr(p, '/'))
    resolve_path(out, cap, base, p);
  else
    gf_strlcpy(out, p, cap);
}

typedef void (*resolve_fn)(char *out, size_t cap, const char *base, const char *p);

/* The array of at most max paths at key (what they are, for the error),
 * each resolved against base. */
static int path_array(const cJSON *o, const char *key, int max, const char *what,
                      char (*out)[PATH_MAX], int *n, const char *base, resolve_fn resolve,
                      gf_err *err) {
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key), *it;
  if (a == NULL) return 0;
  if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > max)
    return gf_errf(err, "%s: must be an array of at most %d %s", key, max, what);
  *n = 0;
  cJSON_ArrayForEach(it, a) {
    if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
      return gf_errf(err, "%s[%d]: must be a non-empty string", key, *n);
    resolve(out[(*n)++], PATH_MAX, base, it->valuestring);
  }
  return 0;
}

/* Paths: node is looked up in PATH when it has no '/'. */
static int load_paths(gf_config *cfg, const cJSON *o, const char *base, gf_err *err) {
  char tmp[PATH_MAX];
  if (gf_json_str(o, "node", cfg->node, "", tmp, sizeof tmp, err)) return -1;
  resolve_program(cfg->node, sizeof cfg->node, base, tmp);
  if (path_array(o, "nodes", GF_MAX_NODES, "Node binaries", cfg->nodes, &cfg->n_nodes, base,
                 resolve_program, err) ||
      path_array(o, "sync_dirs", GF_MAX_SYNC, "directories", cfg->sync_dirs, &cfg->n_sync_dirs,
                 base, resolve_path, err))
    return -1;
  if (cJSON_GetObjectItemCaseSensitive(o, "harness")) {
    if (gf_json_str(o, "harness", NULL, "", tmp, sizeof tmp, err)) return -1;
    resolve_path(cfg->harness, sizeof cfg->harness, base, tmp);
  }
  /* seeds: null for none; the project's seeds are the demo target's, so a
   * config that names a target of its own and no seeds has none (it starts
   * from the default cases of each entry). */
  const cJSON *seeds = cJSON_GetObjectItemCaseSensitive(o, "seeds");
  const cJSON *target = cJSON_GetObjectItemCaseSensitive(o, "target");
  if (cJSON_IsNull(seeds) || (seeds == NULL && target && !cJSON_IsNull(target))) {
    cfg->seeds[0] = '\0';
  } else if (seeds) {
    if (gf_json_str(o, "seeds", NULL, "", tmp, sizeof tmp, err)) return -1;
    /* "" is none, as null: resolved, it was the config's own folder, its
     * JSON files read as seeds (an error would refuse old configs) */
    if (tmp[0] == '\0') cfg->seeds[0] = '\0';
    else resolve_path(cfg->seeds, sizeof cfg->seeds, base, tmp);
  }
  if (gf_json_str(o, "build", cfg->build, "", tmp, sizeof tmp, err)) return -1;
  resolve_build(cfg->build, sizeof cfg->build, base, tmp);
  if (load_target(cfg, o, base, err)) return -1;
  return gf_json_str(o, "libasan", cfg->libasan, "", cfg->libasan, sizeof cfg->libasan, err);
}

static int load_object(gf_config *cfg, const cJSON *o, const char *base, const char *root,
                       gf_err *err) {
  /* The scalar keys are gf_config_keys.c's rows; these are the others. */
  static const char *const others[] = {
      "node", "nodes", "node_args", "v8_flags", "harness", "harness_args", "build", "env", "libasan",
      "target", "sanitizer", "entry", "entries", "seeds", "sync_dirs", "target_frames", "limits",
      "control", NULL};
  if (!cJSON_IsObject(o)) return gf_errf(err, "config: must be a JSON object");
  if (known_keys(o, others, "", err) || load_paths(cfg, o, base, err) ||
      str_array(o, "node_args", cfg->node_args[0], GF_ARG_MAX, GF_MAX_ARGS,
                &cfg->n_node_args, err) ||
      str_array(o, "harness_args", cfg->harness_args[0], GF_ARG_MAX, GF_MAX_ARGS,
                &cfg->n_harness_args, err) ||
      str_array(o, "entries", cfg->entries[0], GF_ENTRY_MAX, GF_MAX_ENTRIES,
                &cfg->n_entries, err) ||
      str_array(o, "target_frames", cfg->target_frames[0], 128, GF_MAX_PATTERNS,
                &cfg->n_target_frames, err) ||
      load_env(cfg, o, err) || load_v8_flags(cfg, o, err) || load_limits(&cfg->limits, o, err) ||
      load_control(cfg, o, base, root, err) || gf_config_keys_load(cfg, o, err))
    return -1;
  const cJSON *entry = cJSON_GetObjectItemCaseSensitive(o, "entry");
  if (cJSON_IsNull(entry))
    cfg->entry[0] = '\0';
  else if (gf_json_str(o, "entry", cfg->entry, "", cfg->entry, sizeof cfg->entry, err))
    return -1;
  if (cfg->entry[0] && !gf_config_has_entry(cfg, cfg->entry))
    return gf_errf(err, "entry: '%s' is not in entries", cfg->entry);
  /* A control on another target has entries of its own. */
  if (!cfg->control_target[0] && !gf_config_has_entry(cfg, cfg->control_entry))
    return gf_errf(err, "control.entry: '%s' is not in entries", cfg->control_entry);
  return 0;
}

int gf_config_parse(gf_config *cfg, const char *text, const char *base, const char *root,
                    gf_err *err) {
  gf_config_default(cfg, root);
  cJSON *o = gf_json_parse(text, err);
  if (o == NULL) return -1;
  int rc = load_object(cfg, o, base, root, err);
  cJSON_Delete(o);
  return rc;
}

int gf_config_load(gf_config *cfg, const char *path, const char *root, gf_err *err) {
  gf_config_default(cfg, root);
  char *text = gf_read_file(path, 1 << 20, NULL, err);
  if (text == NULL) return -1;
  /* An absolute base: the paths a target gets (setup's build) and the
   * workers' own must not depend on the working directory. */
  char dir[PATH_MAX], *real;
  gf_strlcpy(dir, path, sizeof dir);
  real = realpath(dirname(dir), NULL);
  if (real) gf_strlcpy(dir, real, sizeof dir);
  free(real);
  int rc = gf_config_parse(cfg, text, dir, root, err);
  free(text);
  if (rc != 0) return gf_err_prefix(err, "%s", path);
  gf_strlcpy(cfg->source, path, sizeof cfg->source);
  return 0;
}

int gf_config_has_entry(const gf_config *cfg, const char *entry) {
  if (cfg->n_entries == 0) return 1; /* not listed: the harness decides */
  for (int i = 0; i < cfg->n_entries; i++)
    if (strcmp(cfg->entries[i], entry) == 0) return 1;
  return 0;
}

static int clamp_u32(uint32_t *v, uint32_t hi) {
  if (*v <= hi) return 0;
  *v = hi;
  return 1;
}

uint32_t gf_limits_step_max(const gf_limits *l, int op) {
  const gf_step_spec *sp = &gf_step_specs[op];
  uint32_t hi = op == GF_OP_IMMEDIATE  ? l->max_immediate
                : op == GF_OP_SLEEP_MS ? l->max_sleep_ms
                : op == GF_OP_ALLOC_KB ? l->max_alloc_kb
                : GF_OP_IS_ARRAY(op)   ? l->max_elems
                : op == GF_OP_RELEASE || op == GF_OP_AWAIT ? l->max_concurrency
                                       : sp->hi;
  return hi < sp->lo ? sp->lo : hi > sp->hi ? sp->hi : hi;
}

uint32_t gf_limits_field_max(const gf_limits *l, const gf_case *c, int f) {
  switch (f) {
    case GF_F_ELEMS: return l->max_elems;
    case GF_F_ELEM_LEN: return l->max_elem_len;
    case GF_F_DELAY_US: return l->max_delay_us;
    case GF_F_CONCURRENCY: return l->max_concurrency;
    case GF_F_GATE: return l->max_gate;
    case GF_F_KEEP: return 0; /* a case that keeps its inputs cannot find the bug: warm-ups only */
    case GF_F_TEARDOWN: return l->max_teardown;
    case GF_F_TEARDOWN_AT: return c->f[GF_F_TEARDOWN] ? c->nsteps : 0; /* past the end is the end */
    case GF_F_STAGGER: return l->max_stagger;
    case GF_F_SHARED:
    case GF_F_DUPS: return c->f[GF_F_ELEMS];
    default: return gf_case_fields[f].hi;
  }
}

int gf_config_clamp_case(const gf_config *cfg, gf_case *c) {
  const gf_limits *l = &cfg->limits;
  int changed = 0;
  for (int f = 0; f < GF_F__COUNT; f++) changed += clamp_u32(&c->f[f], gf_limits_field_max(l, c, f));
  if (c->nsteps > l->max_steps) {
    c->nsteps = l->max_steps;
    changed++;
  }
  uint32_t kept = 0; /* drop the ops the config does not allow */
  for (uint32_t i = 0; i < c->nsteps; i++)
    if (l->gc_ops & (1u << c->steps[i].op)) c->steps[kept++] = c->steps[i];
  changed += c->nsteps != kept;
  c->nsteps = kept;
  for (uint32_t i = 0; i < c->nsteps; i++)
    if (!gf_step_specs[c->steps[i].op].names)
      changed += clamp_u32(&c->steps[i].arg, gf_limits_step_max(l, c->steps[i].op));
  /* Too many doubles in all: shrink the element count, the cheapest axis. */
  while (gf_case_total_doubles(c) > l->max_total_doubles && c->f[GF_F_ELEMS] > 0) {
    uint64_t per = (uint64_t)c->f[GF_F_ELEM_LEN] * c->f[GF_F_CONCURRENCY];
    c->f[GF_F_ELEMS] = per ? (uint32_t)(l->max_total_doubles / per) : 0;
    changed++;
  }
  /* elems may just have shrunk: shared and dups stay within it; and the
   * steps: the teardown point within them. */
  changed += clamp_u32(&c->f[GF_F_SHARED], c->f[GF_F_ELEMS]) +
             clamp_u32(&c->f[GF_F_DUPS], c->f[GF_F_ELEMS]) +
             clamp_u32(&c->f[GF_F_TEARDOWN_AT], gf_limits_field_max(l, c, GF_F_TEARDOWN_AT));
  return changed;
}

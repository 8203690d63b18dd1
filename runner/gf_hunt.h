/* gf_hunt.h - `gcfuzz hunt`: one package, from its SPEC to its findings.
 *
 * The phases, each a process with a deadline (gf_phase.h), into
 * DIR/pkgs/<slug>/ (doc/hunt.md):
 *   fetch      harness/hunt/phase.js fetch: npm pack / unpack, dependencies
 *   build      release + ASan with node-gyp offline (cached), or prebuilt
 *   discover   probe the exports, the window gate, write target.js + config.json
 *   fuzz       gcfuzz ci on that config: control, fuzzing, confirmation
 *   report     gcfuzz report of the fuzz output (report.md, .html, .sarif)
 *   summarize  one row of hunt.json from what every phase wrote
 * A phase that fails or runs out of time ends the package with its reason;
 * it never stops the hunt.
 */
#ifndef GF_HUNT_H
#define GF_HUNT_H

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdint.h>

typedef struct gf_hunt_opts {
  const char *out;   /* DIR */
  const char *cache; /* the build cache */
  const char *root;  /* gcfuzz's data root (harness/hunt/phase.js) */
  const char *exe;   /* this gcfuzz, for ci and report */
  const char *node;
  double fuzz_s;     /* --max-time per package */
  unsigned workers;
  uint64_t seed;
  unsigned confirm_runs; /* the generated configs' confirm_runs */
} gf_hunt_opts;

/* Phase deadlines, in seconds (the fuzz phase: fuzz_s + GF_HUNT_FUZZ_SLACK). */
#define GF_HUNT_FETCH_S 300
#define GF_HUNT_BUILD_S 900
#define GF_HUNT_DISCOVER_S 240
#define GF_HUNT_FUZZ_SLACK 240
#define GF_HUNT_SMALL_S 120

/* A JSON file of the hunt's (a phase's output, hunt.json), parsed; NULL
 * when it cannot be read or does not parse. *exists (if given) says
 * whether it could be read at all. */
cJSON *gf_hunt_read_json(const char *path, int *exists);

/* DIR/pkgs/<slug>: a name of [A-Za-z0-9._@+-] for spec. */
void gf_hunt_slug(const char *spec, char *out, size_t cap);

/* Runs spec through every phase; returns its row (the caller owns it).
 * *stop is set when a signal asked us to stop: the row then says
 * "interrupted" and a resumed hunt does the package again. */
cJSON *gf_hunt_package(const gf_hunt_opts *o, const char *spec, int *stop);

#endif

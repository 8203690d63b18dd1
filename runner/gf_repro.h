/* gf_repro.h - a crash record handed to one of the harness's JS tools
 * (harness/repro.js, harness/issue.js) as a JSON spec: everything the
 * runner knows about how the record's case ran - its build and sanitizer,
 * V8 flags, node arguments, threadpool size, env, timeout, the target.
 * `repro` and `report --issue` share it.
 */
#ifndef GF_REPRO_H
#define GF_REPRO_H

#include "gf_cli.h"

/* Loads the record at path (entry: another entry for its case, or NULL),
 * builds the spec and runs `node ROOT/harness/<tool> --spec JSON [EXTRA...]`
 * with our stdout and stderr. Returns GF_EXIT_OK or GF_EXIT_USAGE (said on
 * stderr, prefixed "gcfuzz <cmd>:"). */
int gf_repro_run_tool(gf_cli *cli, const char *path, const char *tool, char *const *extra);

#endif

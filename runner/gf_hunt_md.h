/* gf_hunt_md.h - DIR/hunt.md: the hunt's table, one row per package, and
 * its findings with links to their records and reports (doc/hunt.md). */
#ifndef GF_HUNT_MD_H
#define GF_HUNT_MD_H

#include <cjson/cJSON.h>

#include "gf_err.h"

/* hunt is DIR/hunt.json's object ({"packages": [row...]}). */
int gf_hunt_write_md(const cJSON *hunt, const char *path, gf_err *err);

#endif

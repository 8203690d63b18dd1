/* gf_version.h - the one place the version is written (--version, stats,
 * SARIF's tool.driver.version, the man page's header is kept in step by a
 * test). */
#ifndef GF_VERSION_H
#define GF_VERSION_H

#define GF_VERSION "0.5.0"

#endif

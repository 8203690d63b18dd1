/* gf_lock.h - one writer per output folder.
 *
 * Everything that rewrites OUT (soak, ci, cmin, merge) holds an exclusive
 * flock(2) on OUT/.lock for as long as it writes. The lock dies with its
 * process, so a kill -9 never leaves OUT locked; the file keeps the pid of
 * the last holder only to name it in the error a second writer gets.
 * Writers that only add to one record while a daemon runs (minimize,
 * replay) go through the daemon's inbox instead (gf_inbox.h).
 */
#ifndef GF_LOCK_H
#define GF_LOCK_H

#include "gf_err.h"

/* 0: locked, *fd holds it. 1: another process holds it (err names OUT and
 * its pid). -1: cannot create the lock file (err says why). */
int gf_lock_out(const char *out_dir, int *fd, gf_err *err);
void gf_unlock_out(int fd);

#endif

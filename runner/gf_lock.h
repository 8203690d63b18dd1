/* gf_lock.h - one writer per output folder.
 *
 * Everything that rewrites OUT (soak, ci, cmin, merge) holds an exclusive
 * flock(2) on OUT/.lock for as long as it writes. The lock dies with its
 * process, so a kill -9 never leaves OUT locked; the file keeps the pid of
 * the last holder only to name it in the error a second writer gets.
 * Writers that only add to one record while a daemon runs (minimize,
 * replay) go through the daemon's inbox instead (gf_inbox.h).
 *
 * Without a daemon those brief writers take the lock themselves, for
 * milliseconds, and say so in the file ("PID brief"). A daemon starting
 * meanwhile waits for them (at most GF_LOCK_BRIEF_WAIT_MS) instead of
 * failing: under systemd its exit 2 would stop the service for good
 * (RestartPreventExitStatus=2).
 */
#ifndef GF_LOCK_H
#define GF_LOCK_H

#include "gf_err.h"

#define GF_LOCK_BRIEF_WAIT_MS 5000

/* 0: locked, *fd holds it. 1: another process holds it (err names OUT and
 * its pid). -1: cannot create the lock file (err says why). brief: the
 * caller will hold it for a moment only (see above). */
int gf_lock_out(const char *out_dir, int brief, int *fd, gf_err *err);
void gf_unlock_out(int fd);

#endif

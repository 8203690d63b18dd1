/* gf_mutate.h - seeded mutation of cases, inside the config's limits.
 *
 * 1 to 4 moves per child: resize (elems, elem_len), retime (delay_us),
 * re-parallelise (concurrency), reseed the data, and edit the GC schedule
 * (insert / delete / change / swap / duplicate a step). Only the PRNG
 * decides, so the same seed and parents give the same children.
 */
#ifndef GF_MUTATE_H
#define GF_MUTATE_H

#include "gf_case.h"
#include "gf_config.h"
#include "gf_prng.h"

void gf_mutate(gf_case *c, const gf_config *cfg, gf_prng *p);

#endif

/* gf_mutate.h - seeded mutation of cases, inside the config's limits.
 *
 * Stacked moves, havoc-style: 1, 2, 4, 8 or 16 per child (fewer more
 * often), each either a move of one field of the case format (resize,
 * retime, re-parallelise, reseed, reshape, flip a switch) or an edit of the
 * GC schedule (insert / delete / change / swap / duplicate a step).
 * Splicing crosses two parents. Only the PRNG decides, so the same seed and
 * parents give the same children.
 */
#ifndef GF_MUTATE_H
#define GF_MUTATE_H

#include "gf_case.h"
#include "gf_config.h"
#include "gf_prng.h"

void gf_mutate(gf_case *c, const gf_config *cfg, gf_prng *p);

/* Crosses c with other: each field from either parent (a coin each), the GC
 * schedule c's steps up to a cut then other's from another cut; clamped. */
void gf_splice(gf_case *c, const gf_case *other, const gf_config *cfg, gf_prng *p);

#endif

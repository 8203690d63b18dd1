/* fuzz_lifecycle - the addon's core (addon/src/core.c, no Node) driven
 * through a model of the async lifecycle (runner/gf_lifecycle.h).
 *
 * Built twice:
 *   fuzz_lifecycle           the shipped modes: owning copy and rooted refs.
 *                            Must stay clean: no ASan report, every sum exact.
 *   fuzz_lifecycle_borrowed  adds the borrowed mode (GF_LC_WITH_BORROWED):
 *                            ASan must report the heap-use-after-free.
 */
#include <stdint.h>
#include <stdlib.h>

#include "gf_lifecycle.h"

#ifdef GF_LC_WITH_BORROWED
#define MODES (GF_LC_COPY | GF_LC_REF | GF_LC_BORROWED)
#else
#define MODES (GF_LC_COPY | GF_LC_REF)
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gf_lc_report rep;
  gf_lc_run(data, size, MODES, 0, &rep);
  /* A wrong sum without a sanitizer report is silent corruption. */
  if (rep.mismatch) abort();
  /* The model itself must agree that only borrowed reads can go stale. */
  if (rep.stale_read && rep.stale_mode != GF_LC_BORROWED) abort();
  return 0;
}

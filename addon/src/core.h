/* core.h - the addon's data and compute, with no Node-API include.
 *
 * Everything the worker thread touches lives here, so the libFuzzer
 * targets (fuzzer/) can link exactly the code the addon runs, without Node.
 *
 *   gf_elem      one wrapped native struct: `length` doubles made from `seed`.
 *   gf_snapshot  the owning copy (the shipped fix): one block holding every
 *                element's values, taken on the main thread before queueing.
 *   gf_borrowed_sum  THE BUG, on purpose: reads through borrowed pointers.
 */
#ifndef GF_CORE_H
#define GF_CORE_H

#include <stddef.h>
#include <stdint.h>

/* Caps, documented in doc/addon.md ("The demo addon"). An Elem above the cap is a
 * RangeError in JS, never an allocation attempt. */
#define GF_ELEM_MAX_LEN   (1u << 24)   /* 16 Mi doubles = 128 MiB per Elem */
#define GF_CALL_MAX_ELEMS (1u << 20)   /* elements per async call */
#define GF_MAX_DELAY_US   10000000u    /* 10 s worker delay */

typedef struct gf_elem {
  size_t length;
  uint32_t seed;
  double *data;
} gf_elem;

typedef struct gf_snapshot {
  size_t total_len;
  double *values;
} gf_snapshot;

/* Value i of an element made from `seed`: an integer in [-1024, 1023], so
 * every sum of fewer than 2^43 values is exact in a double. */
double gf_elem_value(uint32_t seed, size_t i);

/* NULL when length > GF_ELEM_MAX_LEN or on out-of-memory. */
gf_elem *gf_elem_new(size_t length, uint32_t seed);
void gf_elem_free(gf_elem *e);
double gf_elem_sum(const gf_elem *e);

/* Owning copy. Returns 0, or -1 on out-of-memory / size overflow (s is then
 * empty and safe to free). */
int gf_snapshot_take(gf_snapshot *s, const gf_elem *const *elems, size_t count);
double gf_snapshot_sum(const gf_snapshot *s);
void gf_snapshot_free(gf_snapshot *s);

/* Sums through the pointers as they are now. Correct only while every
 * element is kept alive by someone else: that is the whole bug class. */
double gf_borrowed_sum(const gf_elem *const *elems, size_t count);

/* A borrowed view of doubles owned by someone else (a TypedArray's data). */
typedef struct gf_view {
  const double *data;
  size_t len;
} gf_view;

/* Sums through the views as they are now: the TypedArray variant of the bug
 * when the owners may be collected. */
double gf_views_sum(const gf_view *views, size_t count);

/* Owning copy of views. Same contract as gf_snapshot_take. */
int gf_snapshot_take_views(gf_snapshot *s, const gf_view *views, size_t count);

/* Sleeps `us` microseconds on the calling (worker) thread. */
void gf_delay_us(uint32_t us);

#endif /* GF_CORE_H */

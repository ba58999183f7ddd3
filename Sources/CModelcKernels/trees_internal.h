/* What the two tree kernels share: order keys of the inputs, the zero band, and the binned batch
 * kernel's entry (trees_binned.c), which mck_forest_margins (trees.c) calls for batches. */
#ifndef MCK_TREES_INTERNAL_H
#define MCK_TREES_INTERNAL_H

#include "modelc_kernels.h"

/* LightGBM's kZeroThreshold, 1e-35f, widened to float64. */
static const double mck_zero_band = 1.0000000180025095e-35;

/* Order keys: -0 counts as +0, a negative value's bits are flipped, a positive value's sign bit
 * is set; NaN is 0, below every other key. For any non-NaN x and t, x >= t exactly when
 * key(x) >= key(t). */
static inline uint32_t mck_key_f32(float x) {
    if (x != x) return 0;
    union { float f; uint32_t u; } b = {x == 0 ? 0.0f : x};
    return (b.u >> 31) ? ~b.u : b.u | 0x80000000u;
}

static inline uint64_t mck_key_f64(double x) {
    if (x != x) return 0;
    union { double f; uint64_t u; } b = {x == 0 ? 0.0 : x};
    return (b.u >> 63) ? ~b.u : b.u | 0x8000000000000000u;
}

/* Whether x reads as missing under MISSING_ZERO_DEFAULT (|x| <= 1e-35f). */
static inline int mck_in_zero_band(double x) { return x <= mck_zero_band && x >= -mck_zero_band; }

/* Margins of n rows through the binned form (see mck_forest_bins); scratch holds
 * mck_binned_scratch_bytes bytes. */
size_t mck_binned_scratch_bytes(const mck_forest_bins *bins);
void mck_binned_margins(const mck_forest *f, const mck_forest_bins *bins, const double *rows, size_t n,
                        size_t stride, double *out, void *scratch);

#endif

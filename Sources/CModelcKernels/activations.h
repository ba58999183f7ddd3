/* The float activations shared by the kernels (Spec.md §7.2), inlined where they are used so
 * that loops over them vectorise. Private to CModelcKernels. */
#ifndef MCK_ACTIVATIONS_H
#define MCK_ACTIVATIONS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* e^(x - n·ln2) for an integer-valued n near x/ln2, after Cephes expf (Stephen L. Moshier,
 * Cephes Math Library): ln2 split in two for the reduction, then minimax coefficients of e^r on
 * [-ln2/2, ln2/2]. */
static inline float cephes_exp_reduced(float x, float n) {
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    return p * (r * r) + r + 1.0f;
}

/* Cephes expf over the whole float range. */
static inline float expf_core(float x) {
    const float hi = 88.72283905206835f, lo = -103.97207708f;
    /* Written without branches (selects) so loops over it vectorise. */
    const float xc = x > hi ? hi : (x < lo ? lo : (x != x ? 0.0f : x));
    const float n = floorf(1.44269504088896341f * xc + 0.5f);
    const float e = cephes_exp_reduced(xc, n);
    /* 2^n in two exact steps so that n down to -150 and up to 128 stay in range. */
    const int32_t ni = (int32_t)n;
    const int32_t half = ni / 2;
    float a, b;
    int32_t ab = (half + 127) << 23, bb = (ni - half + 127) << 23;
    memcpy(&a, &ab, 4);
    memcpy(&b, &bb, 4);
    const float v = (e * a) * b;
    return x != x ? x : (x > hi ? INFINITY : (x < lo ? 0.0f : v));
}


static inline float sigmoid_core(float x) { return 1.0f / (1.0f + expf_core(-x)); }

static inline float tanh_core(float x) {
    const float a = fabsf(x);
    const float z = x * x;
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    const float small = (p * z) * x + x;
    const float t = 1.0f - 2.0f / (expf_core(a + a) + 1.0f);
    const float large = x < 0 ? -t : t;
    /* Below 2^-12, tanh(x) rounds to x (this also keeps the sign of -0). */
    return x != x || a < 0x1p-12f ? x : (a < 0.625f ? small : large);
}

/* The LSTM cell's exponential: e^x for x clamped to [-20, 20], where every result is a normal
 * float, so it needs no range selects and no split exponent. n = x·log2(e) rounded to nearest by
 * adding and subtracting 1.5·2^23; Cephes' reduction and polynomial; 2^n built
 * from the low bits of that sum. NaN propagates. */
static inline float cell_exp(float x) {
    const float magic = 12582912.0f; /* 1.5·2^23, bits 0x4B400000 */
    const float xc = x < -20.0f ? -20.0f : (x > 20.0f ? 20.0f : x);
    const float t = xc * 1.44269504088896341f + magic;
    const float e = cephes_exp_reduced(xc, t - magic);
    /* Unsigned: for a NaN x the bits are garbage (the product stays NaN) and must not overflow. */
    uint32_t bits;
    memcpy(&bits, &t, 4);
    bits = (bits - 0x4B400000u + 127u) << 23;
    float scale;
    memcpy(&scale, &bits, 4);
    return e * scale;
}

/* The LSTM cell update for n units from the pre-activations of its four gates, c = f·c + i·g and
 * h = o·tanh(c) (i, f, o = sigmoid and g = tanh of zi, zf, zg, zo), with two divisions: with
 * sigmoid(x) = 1/(1 + e^-x) and tanh(x) = (e^2x - 1)/(e^2x + 1) (each e by cell_exp),
 *   c' = (c·(a·b) + (T_g - 1)·d) / (d·(a·b)),  a = 1 + E_i, b = T_g + 1, d = 1 + E_f
 *   h  = (T_c' - 1) / ((1 + E_o)·(T_c' + 1))
 * where E_x = cell_exp(-z_x) and T_x = cell_exp(2·x). The clamp keeps every factor below
 * 5e8, so no product overflows. Spec.md §7.2 states the order; every operation is rounded. */
static inline __attribute__((always_inline))
void lstm_cell_update(const float *zi, const float *zf, const float *zg, const float *zo, float *c, float *h, size_t n) {
    /* One unit's update is a long chain of dependent operations: four vectors of units in
     * flight hide its latency (1.6-2.4x faster than one; every unit's bits are the same). */
#pragma clang loop vectorize_width(8) interleave_count(4)
    for (size_t j = 0; j < n; j++) {
        const float a = 1.0f + cell_exp(-zi[j]);
        const float d = 1.0f + cell_exp(-zf[j]);
        const float tg = cell_exp(zg[j] + zg[j]);
        const float b = tg + 1.0f;
        const float ab = a * b;
        const float cn = (c[j] * ab + (tg - 1.0f) * d) / (d * ab);
        c[j] = cn;
        const float tc = cell_exp(cn + cn);
        h[j] = (tc - 1.0f) / ((1.0f + cell_exp(-zo[j])) * (tc + 1.0f));
    }
}

#endif

#include "modelc_kernels.h"

#include <math.h>
#include <string.h>

/* Function multi-versioning: the same source compiled for AVX-512, AVX2 and the baseline,
 * chosen by glibc's ifunc at load time. Only speed differs: see the contract in the header. */
#if defined(__x86_64__) && defined(__linux__)
#define MCK_MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MCK_MULTIVERSION
#endif

enum { OUT_BLOCK = 64 };

/* Eight floats as one value: element-wise arithmetic, lowered to SSE, AVX, AVX-512 or NEON. */
typedef float v8f __attribute__((vector_size(32)));

static inline v8f load8(const float *p) { v8f v; memcpy(&v, p, sizeof v); return v; }
static inline void store8(float *p, v8f v) { memcpy(p, &v, sizeof v); }
static inline v8f splat8(float x) { return (v8f){x, x, x, x, x, x, x, x}; }

/* Outputs [o0, o0+32) of 2 input rows: 8 accumulators (fits AVX2's 16 registers with the
 * weights and the broadcast), W loaded once per k for both rows. */
static inline void tile_2x32(const float *restrict wt, size_t rows, size_t cols, const float *restrict x,
                             size_t o0, const float *restrict bias, float *restrict y) {
    v8f acc[2][4];
    for (int j = 0; j < 2; j++) for (int v = 0; v < 4; v++) acc[j][v] = splat8(0);
    for (size_t k = 0; k < cols; k++) {
        const float *w = wt + k * rows + o0;
        const v8f w0 = load8(w), w1 = load8(w + 8), w2 = load8(w + 16), w3 = load8(w + 24);
        for (int j = 0; j < 2; j++) {
            const v8f xv = splat8(x[j * cols + k]);
            acc[j][0] = acc[j][0] + w0 * xv;
            acc[j][1] = acc[j][1] + w1 * xv;
            acc[j][2] = acc[j][2] + w2 * xv;
            acc[j][3] = acc[j][3] + w3 * xv;
        }
    }
    for (int j = 0; j < 2; j++)
        for (int v = 0; v < 4; v++) {
            v8f r = acc[j][v];
            if (bias) r = r + load8(bias + o0 + 8 * v);
            store8(y + j * rows + o0 + 8 * v, r);
        }
}

/* Outputs [o0, o0+64) of one input row: 8 independent accumulators. */
static inline void tile_1x64(const float *restrict wt, size_t rows, size_t cols, const float *restrict x,
                             size_t o0, const float *restrict bias, float *restrict y) {
    v8f acc[8];
    for (int v = 0; v < 8; v++) acc[v] = splat8(0);
    for (size_t k = 0; k < cols; k++) {
        const float *w = wt + k * rows + o0;
        const v8f xv = splat8(x[k]);
        for (int v = 0; v < 8; v++) acc[v] = acc[v] + load8(w + 8 * v) * xv;
    }
    for (int v = 0; v < 8; v++) {
        v8f r = acc[v];
        if (bias) r = r + load8(bias + o0 + 8 * v);
        store8(y + o0 + 8 * v, r);
    }
}

/* The same sums one output at a time: remainders and the reference order. */
static inline void outputs_scalar(const float *restrict wt, size_t rows, size_t cols, const float *restrict x,
                                  size_t o0, size_t o1, const float *restrict bias, float *restrict y) {
    for (size_t o = o0; o < o1; o++) {
        float acc = 0;
        for (size_t k = 0; k < cols; k++) acc = acc + wt[k * rows + o] * x[k];
        y[o] = bias ? acc + bias[o] : acc;
    }
}

MCK_MULTIVERSION
void mck_matmul_f32(const float *wt, size_t rows, size_t cols, const float *x, size_t n,
                    const float *bias, float *y) {
    size_t j = 0;
    for (; j + 2 <= n; j += 2) {
        size_t o = 0;
        for (; o + 32 <= rows; o += 32) tile_2x32(wt, rows, cols, x + j * cols, o, bias, y + j * rows);
        for (size_t r = 0; r < 2; r++) outputs_scalar(wt, rows, cols, x + (j + r) * cols, o, rows, bias, y + (j + r) * rows);
    }
    for (; j < n; j++) {
        size_t o = 0;
        for (; o + 64 <= rows; o += 64) tile_1x64(wt, rows, cols, x + j * cols, o, bias, y + j * rows);
        outputs_scalar(wt, rows, cols, x + j * cols, o, rows, bias, y + j * rows);
    }
}

MCK_MULTIVERSION
void mck_matmul_i8w(const int8_t *qt, const float *scales, size_t rows, size_t cols,
                    const float *x, size_t n, const float *bias, float *y) {
    for (size_t j = 0; j < n; j++) {
        for (size_t o0 = 0; o0 < rows; o0 += OUT_BLOCK) {
            const size_t width = rows - o0 < OUT_BLOCK ? rows - o0 : OUT_BLOCK;
            float acc[OUT_BLOCK] = {0};
            for (size_t k = 0; k < cols; k++) {
                const int8_t *restrict q = qt + k * rows + o0;
                const float xv = x[j * cols + k];
                for (size_t o = 0; o < width; o++) acc[o] = acc[o] + (float)q[o] * xv;
            }
            for (size_t o = 0; o < width; o++) {
                const float v = acc[o] * scales[o0 + o];
                y[j * rows + o0 + o] = bias ? v + bias[o0 + o] : v;
            }
        }
    }
}

MCK_MULTIVERSION
void mck_matmul_i8d(const int8_t *qt, const float *scales, size_t rows, size_t cols,
                    const float *x, size_t n, const float *bias, float *y, int32_t *xq) {
    for (size_t j = 0; j < n; j++) {
        const float *xj = x + j * cols;
        float *yj = y + j * rows;
        float max_abs = 0;
        int finite = 1;
        for (size_t k = 0; k < cols; k++) {
            const float a = fabsf(xj[k]);
            if (!(a <= 3.4028234663852886e38f)) finite = 0;
            else if (a > max_abs) max_abs = a;
        }
        if (!finite || max_abs == 0) {
            for (size_t o = 0; o < rows; o++) yj[o] = !finite ? NAN : (bias ? bias[o] : 0.0f);
            continue;
        }
        const float s = max_abs / 127.0f;
        for (size_t k = 0; k < cols; k++) xq[k] = (int32_t)roundf(xj[k] / s);
        for (size_t o0 = 0; o0 < rows; o0 += OUT_BLOCK) {
            const size_t width = rows - o0 < OUT_BLOCK ? rows - o0 : OUT_BLOCK;
            int32_t acc[OUT_BLOCK] = {0};
            for (size_t k = 0; k < cols; k++) {
                const int8_t *restrict q = qt + k * rows + o0;
                const int32_t xv = xq[k];
                for (size_t o = 0; o < width; o++) acc[o] += (int32_t)q[o] * xv;
            }
            for (size_t o = 0; o < width; o++) {
                const float v = ((float)acc[o] * scales[o0 + o]) * s;
                yj[o0 + o] = bias ? v + bias[o0 + o] : v;
            }
        }
    }
}

/* Cephes expf (Stephen L. Moshier, Cephes Math Library): range reduction constants and
 * minimax coefficients of e^r on [-ln2/2, ln2/2]. */
static inline float expf_core(float x) {
    const float hi = 88.72283905206835f, lo = -103.97207708f;
    /* Written without branches (selects) so loops over it vectorise. */
    const float xc = x > hi ? hi : (x < lo ? lo : (x != x ? 0.0f : x));
    const float n = floorf(1.44269504088896341f * xc + 0.5f);
    float r = xc - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float e = p * (r * r) + r + 1.0f;
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

float mck_expf(float x) { return expf_core(x); }

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

float mck_sigmoidf(float x) { return sigmoid_core(x); }
float mck_tanhf(float x) { return tanh_core(x); }

MCK_MULTIVERSION
void mck_sigmoid_n(float *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = sigmoid_core(x[i]);
}

MCK_MULTIVERSION
void mck_tanh_n(float *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = tanh_core(x[i]);
}

MCK_MULTIVERSION
void mck_lstm_cell(const float *z, float *c, float *h, size_t hidden) {
    for (size_t j = 0; j < hidden; j++) {
        const float i = sigmoid_core(z[j]);
        const float f = sigmoid_core(z[hidden + j]);
        const float g = tanh_core(z[2 * hidden + j]);
        const float o = sigmoid_core(z[3 * hidden + j]);
        c[j] = f * c[j] + i * g;
        h[j] = o * tanh_core(c[j]);
    }
}

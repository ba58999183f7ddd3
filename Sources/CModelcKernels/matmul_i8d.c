/* int8 dynamic products: weights packed by input quads (or widened to int16 pairs), each input
 * row quantised on the fly, exact int32 sums (modelc_kernels.h). The portable tiles run
 * everywhere; the AVX2 and VNNI ones where mck_isa_active() allows. Layout and tiling:
 * matmul_internal.h. */
#include "matmul_internal.h"

#include <math.h>

#if MCK_X86
#include <immintrin.h>
#endif

size_t mck_packed_i8d_count(size_t rows, size_t cols) { return panels_of(rows) * PANEL * 4 * quads_of(cols); }
/* A quantised row in scratch: its quads, the same quads as |x|, then its scale as float bits. */
static size_t i8d_stride(size_t quads) { return 2 * quads + 1; }
size_t mck_i8d_scratch_count(size_t cols, size_t n) { return n * i8d_stride(quads_of(cols)); }
/* In pairs: its values as int16, two to a word, then its scale; one quads row after the rows is
 * room for quantising. */
size_t mck_packed_i8d_pairs_count(size_t rows, size_t cols) { return panels_of(rows) * PANEL * 2 * pairs_of(cols); }
static size_t pairs_stride(size_t pairs) { return pairs + 1; }
size_t mck_i8d_pairs_scratch_count(size_t cols, size_t n) {
    return n * pairs_stride(pairs_of(cols)) + i8d_stride(quads_of(cols));
}

void mck_pack_i8d(const int8_t *w, size_t rows, size_t cols, int8_t *packed) {
    const size_t quads = quads_of(cols);
    memset(packed, 0, mck_packed_i8d_count(rows, cols) * sizeof *packed);
    for (size_t o = 0; o < rows; o++)
        for (size_t k = 0; k < cols; k++)
            packed[(((o / PANEL) * quads + k / 4) * PANEL + o % PANEL) * 4 + k % 4] = w[o * cols + k];
}

void mck_pack_i8d_pairs(const int8_t *w, size_t rows, size_t cols, int16_t *packed) {
    const size_t pairs = pairs_of(cols);
    memset(packed, 0, mck_packed_i8d_pairs_count(rows, cols) * sizeof *packed);
    for (size_t o = 0; o < rows; o++)
        for (size_t k = 0; k < cols; k++)
            packed[(((o / PANEL) * pairs + k / 2) * PANEL + o % PANEL) * 2 + k % 2] = w[o * cols + k];
}

/* Quantises row x (cols values) into int8 values in [-127, 127], four to an int32 word of xq
 * (the tail padded with 0), followed by their magnitudes in the same layout; returns s, 0 for an all-zero row, NaN for a non-finite one (xq then
 * all zero). The maximum is taken 8 lanes at a time (max is exact, so in any order), and
 * round-half-away(v) for |v| <= 127.5 as t = trunc(v) by int conversion (exact there), plus the
 * step away from zero when |v - t| >= 0.5 (v - t is exact); |x / s| <= 127 rounds to at most
 * 127, so -128 never occurs. No libm call and no early exit, so both loops vectorise. */
static float quantize_row(const float *x, size_t cols, int32_t *xq) {
    const v8i magnitude = {0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF};
    /* |x| as bits: ordered as the values are, with inf and NaN from 0x7F800000 up. */
    v8i top = {0};
    size_t k = 0;
    for (; k + 8 <= cols; k += 8) {
        v8i v;
        memcpy(&v, x + k, sizeof v);
        v &= magnitude;
        const v8i more = v > top;
        top = (v & more) | (top & ~more);
    }
    int32_t max_bits = 0;
    for (int l = 0; l < 8; l++) max_bits = top[l] > max_bits ? top[l] : max_bits;
    for (; k < cols; k++) {
        int32_t v;
        memcpy(&v, x + k, sizeof v);
        v &= 0x7FFFFFFF;
        max_bits = v > max_bits ? v : max_bits;
    }
    int8_t *q = (int8_t *)xq;
    memset(q, 0, 2 * quads_of(cols) * sizeof *xq);
    if (max_bits >= 0x7F800000 || max_bits == 0) return max_bits == 0 ? 0.0f : NAN;
    float max_abs;
    memcpy(&max_abs, &max_bits, sizeof max_abs);
    const float s = max_abs / 127.0f;
    for (k = 0; k < cols; k++) {
        const float v = x[k] / s;
        const int32_t t = (int32_t)v;
        const float r = v - (float)t;
        q[k] = (int8_t)(t + (r >= 0.5f) - (r <= -0.5f));
    }
    int8_t *a = q + 4 * quads_of(cols);
    for (k = 0; k < cols; k++) a[k] = (int8_t)(q[k] < 0 ? -q[k] : q[k]);
    return s;
}

/* quantize_row into `tmp` (a quads row), then the values widened to int16 pairs in xw. */
static float quantize_row_pairs(const float *x, size_t cols, int32_t *xw, int32_t *tmp) {
    const float s = quantize_row(x, cols, tmp);
    const int8_t *q = (const int8_t *)tmp;
    int16_t *w = (int16_t *)xw;
    for (size_t k = 0; k < 2 * pairs_of(cols); k++) w[k] = q[k];
    return s;
}

/* The portable exact dot product of 8 outputs' int8 weight quads with one broadcast input quad:
 * products in int16 (|w·x| <= 127·127), widened to int32 and added in fours. */
#define DOT_QUADS(w, x) ({                                                                          \
    const v32s p16_ = __builtin_convertvector((w), v32s) * __builtin_convertvector((x), v32s);     \
    const v32i p_ = __builtin_convertvector(p16_, v32i);                                            \
    (__builtin_shufflevector(p_, p_, 0, 4, 8, 12, 16, 20, 24, 28) +                                 \
     __builtin_shufflevector(p_, p_, 1, 5, 9, 13, 17, 21, 25, 29)) +                               \
        (__builtin_shufflevector(p_, p_, 2, 6, 10, 14, 18, 22, 26, 30) +                            \
         __builtin_shufflevector(p_, p_, 3, 7, 11, 15, 19, 23, 27, 31)); })

/* The portable exact dot product of 8 outputs' weight pairs with one broadcast input pair. */
#define DOT_PAIRS(w, x) ({                                                                    \
    const v16i p_ = __builtin_convertvector((w), v16i) * __builtin_convertvector((x), v16i); \
    __builtin_shufflevector(p_, p_, 0, 2, 4, 6, 8, 10, 12, 14) +                              \
        __builtin_shufflevector(p_, p_, 1, 3, 5, 7, 9, 11, 13, 15); })

/* Row j's outputs of panel p from its two vectors of 8 int32 sums: ((float)acc * scale[o]) * s_j
 * + bias[o], with s_j in the last word of the row's quantised form (`row_end`). */
MCK_INLINE void finish_i8d(const void *low, const void *high, const int32_t *row_end, size_t o0, size_t rows,
                           const float *scales, const float *bias, float *out) {
    int32_t ints[PANEL];
    float s;
    memcpy(ints, low, 8 * sizeof *ints);
    memcpy(ints + 8, high, 8 * sizeof *ints);
    memcpy(&s, row_end, sizeof s);
    const size_t width = rows - o0 < PANEL ? rows - o0 : PANEL;
    for (size_t o = 0; o < width; o++) {
        const float v = ((float)ints[o] * scales[o0 + o]) * s;
        out[o] = bias ? v + bias[o0 + o] : v;
    }
}

/* J quantised rows x P panels (portable); row j's outputs of panel p go to
 * out[j * stride + p * 16 ...]. Weights come PER to an int32 lane (int8 quads, or int16 pairs),
 * multiplied with the row's broadcast lane by DOT; the pairs tile gives the sums of the quads one.
 * A row's quantised form is STRIDE(groups) words, its scale in the last. */
#define DEFINE_PORTABLE_TILE(NAME, WEIGHT, WVEC, PER, STRIDE, DOT)                                 \
    MCK_INLINE void NAME(const WEIGHT *restrict w, size_t rows, size_t groups, const int32_t *restrict xq, \
                         size_t panel0, int J, int P, const float *scales, const float *bias,      \
                         float *out, size_t stride) {                                               \
        v8i acc[ROW_BLOCK][PANEL_BLOCK][2];                                                         \
        for (int j = 0; j < J; j++)                                                                 \
            for (int p = 0; p < P; p++) acc[j][p][0] = acc[j][p][1] = (v8i){0};                     \
        for (size_t k = 0; k < groups; k++) {                                                       \
            WVEC wv[PANEL_BLOCK][2];                                                                \
            for (int p = 0; p < P; p++)                                                             \
                for (int h = 0; h < 2; h++)                                                         \
                    memcpy(&wv[p][h], w + (((panel0 + p) * groups + k) * PANEL + 8 * h) * PER, sizeof wv[p][h]); \
            for (int j = 0; j < J; j++) {                                                           \
                const int32_t q = xq[j * STRIDE(groups) + k];                                       \
                const WVEC xv = (WVEC)(v8i){q, q, q, q, q, q, q, q};                                \
                for (int p = 0; p < P; p++) {                                                       \
                    acc[j][p][0] = acc[j][p][0] + DOT(wv[p][0], xv);                                \
                    acc[j][p][1] = acc[j][p][1] + DOT(wv[p][1], xv);                                \
                }                                                                                   \
            }                                                                                       \
        }                                                                                           \
        for (int j = 0; j < J; j++)                                                                 \
            for (int p = 0; p < P; p++)                                                             \
                finish_i8d(&acc[j][p][0], &acc[j][p][1], xq + (j + 1) * STRIDE(groups) - 1, (panel0 + p) * PANEL, \
                           rows, scales, bias, out + j * stride + p * PANEL);                       \
    }

DEFINE_PORTABLE_TILE(tile_i8d, int8_t, v32b, 4, i8d_stride, DOT_QUADS)
DEFINE_PORTABLE_TILE(tile_i8d_pairs, int16_t, v16s, 2, pairs_stride, DOT_PAIRS)

#if MCK_X86
/* The same tiles with 256-bit integer instructions, written once for three instruction sets by
 * their dot products: QUADS(acc, ax, sw) adds to each int32 lane the four products of |x| (ax,
 * unsigned bytes) with w carrying x's sign (sw = vpsignb(w, x): -w, 0 or w), PAIRS(acc, w, x) the
 * two products of int16 weights with an int16 input pair.
 * - AVX2: vpmaddubsw multiplies unsigned by signed bytes and adds adjacent pairs with int16
 *   saturation; each pair is x0·w0 + x1·w1 with |x|, |w| <= 127, at most 2·127·127 = 32258 < 32767
 *   in magnitude, so it never saturates; vpmaddwd by ones widens the pairs to int32 exactly, then
 *   vpaddd. Pairs: vpmaddwd, then vpaddd.
 * - VNNI (AVX-VNNI, or AVX512-VNNI on 256-bit vectors): vpdpbusd adds the four u8·s8 products into
 *   the lane and vpdpwssd the two s16·s16 ones, without saturation (not the -s forms).
 * Every form gives the exact sums of tile_i8d and tile_i8d_pairs. */
#define AVX2_QUADS(acc, ax, sw) _mm256_add_epi32((acc), _mm256_madd_epi16(_mm256_maddubs_epi16((ax), (sw)), _mm256_set1_epi16(1)))
#define AVX2_PAIRS(acc, w, x) _mm256_add_epi32((acc), _mm256_madd_epi16((w), (x)))
#define DEFINE_INT_TILES(SUFFIX, TARGET, QUADS, PAIRS)                                                                 \
    MCK_INLINE __attribute__((target(TARGET))) void tile_i8d_##SUFFIX(                                                 \
        const int8_t *restrict w, size_t rows, size_t quads, const int32_t *restrict xq, size_t panel0, int J, int P,  \
        const float *scales, const float *bias, float *out, size_t stride) {                                          \
        __m256i acc[ROW_BLOCK][PANEL_BLOCK][2];                                                                        \
        for (int j = 0; j < J; j++)                                                                                    \
            for (int p = 0; p < P; p++) acc[j][p][0] = acc[j][p][1] = _mm256_setzero_si256();                          \
        for (size_t k = 0; k < quads; k++) {                                                                           \
            __m256i wv[PANEL_BLOCK][2];                                                                                \
            for (int p = 0; p < P; p++)                                                                                \
                for (int h = 0; h < 2; h++)                                                                            \
                    wv[p][h] = _mm256_loadu_si256((const __m256i *)(w + (((panel0 + p) * quads + k) * PANEL + 8 * h) * 4)); \
            for (int j = 0; j < J; j++) {                                                                              \
                const __m256i xv = _mm256_set1_epi32(xq[j * i8d_stride(quads) + k]);                                   \
                const __m256i ax = _mm256_set1_epi32(xq[j * i8d_stride(quads) + quads + k]);                           \
                for (int p = 0; p < P; p++)                                                                            \
                    for (int h = 0; h < 2; h++) acc[j][p][h] = QUADS(acc[j][p][h], ax, _mm256_sign_epi8(wv[p][h], xv)); \
            }                                                                                                          \
        }                                                                                                              \
        for (int j = 0; j < J; j++)                                                                                    \
            for (int p = 0; p < P; p++)                                                                                \
                finish_i8d(&acc[j][p][0], &acc[j][p][1], xq + j * i8d_stride(quads) + 2 * quads, (panel0 + p) * PANEL, \
                           rows, scales, bias, out + j * stride + p * PANEL);                                          \
    }                                                                                                                  \
    MCK_INLINE __attribute__((target(TARGET))) void tile_i8d_pairs_##SUFFIX(                                           \
        const int16_t *restrict w, size_t rows, size_t pairs, const int32_t *restrict xw, size_t panel0, int J, int P, \
        const float *scales, const float *bias, float *out, size_t stride) {                                          \
        __m256i acc[ROW_BLOCK][PANEL_BLOCK][2];                                                                        \
        for (int j = 0; j < J; j++)                                                                                    \
            for (int p = 0; p < P; p++) acc[j][p][0] = acc[j][p][1] = _mm256_setzero_si256();                          \
        for (size_t k = 0; k < pairs; k++) {                                                                           \
            __m256i wv[PANEL_BLOCK][2];                                                                                \
            for (int p = 0; p < P; p++)                                                                                \
                for (int h = 0; h < 2; h++)                                                                            \
                    wv[p][h] = _mm256_loadu_si256((const __m256i *)(w + (((panel0 + p) * pairs + k) * PANEL + 8 * h) * 2)); \
            for (int j = 0; j < J; j++) {                                                                              \
                const __m256i xv = _mm256_set1_epi32(xw[j * pairs_stride(pairs) + k]);                                 \
                for (int p = 0; p < P; p++)                                                                            \
                    for (int h = 0; h < 2; h++) acc[j][p][h] = PAIRS(acc[j][p][h], wv[p][h], xv);                      \
            }                                                                                                          \
        }                                                                                                              \
        for (int j = 0; j < J; j++)                                                                                    \
            for (int p = 0; p < P; p++)                                                                                \
                finish_i8d(&acc[j][p][0], &acc[j][p][1], xw + j * pairs_stride(pairs) + pairs, (panel0 + p) * PANEL,   \
                           rows, scales, bias, out + j * stride + p * PANEL);                                          \
    }

DEFINE_INT_TILES(avx2, "avx2", AVX2_QUADS, AVX2_PAIRS)
DEFINE_INT_TILES(vnni, "avx2,avxvnni", _mm256_dpbusd_avx_epi32, _mm256_dpwssd_avx_epi32)
DEFINE_INT_TILES(vnni512, "avx2,avx512f,avx512vl,avx512vnni", _mm256_dpbusd_epi32, _mm256_dpwssd_epi32)
#endif

/* Each layout's drivers once per tile (i8d_drivers.h). */
#define I8D_WEIGHT int8_t
#define I8D_UNITS quads_of
#define I8D_STRIDE i8d_stride
#define I8D_TILE tile_i8d
#define I8D_ATTR
#define I8D_SUFFIX portable
#include "i8d_drivers.h"
#if MCK_X86
#define I8D_TILE tile_i8d_avx2
#define I8D_ATTR __attribute__((target("avx2")))
#define I8D_SUFFIX avx2
#include "i8d_drivers.h"
#define I8D_TILE tile_i8d_vnni
#define I8D_ATTR __attribute__((target("avx2,avxvnni")))
#define I8D_SUFFIX vnni
#include "i8d_drivers.h"
#define I8D_TILE tile_i8d_vnni512
#define I8D_ATTR __attribute__((target("avx2,avx512f,avx512vl,avx512vnni")))
#define I8D_SUFFIX vnni512
#include "i8d_drivers.h"
#endif
#undef I8D_WEIGHT
#undef I8D_UNITS
#undef I8D_STRIDE
#define I8D_WEIGHT int16_t
#define I8D_UNITS pairs_of
#define I8D_STRIDE pairs_stride
#define I8D_TILE tile_i8d_pairs
#define I8D_ATTR
#define I8D_SUFFIX pairs_portable
#include "i8d_drivers.h"
#if MCK_X86
#define I8D_TILE tile_i8d_pairs_avx2
#define I8D_ATTR __attribute__((target("avx2")))
#define I8D_SUFFIX pairs_avx2
#include "i8d_drivers.h"
#define I8D_TILE tile_i8d_pairs_vnni
#define I8D_ATTR __attribute__((target("avx2,avxvnni")))
#define I8D_SUFFIX pairs_vnni
#include "i8d_drivers.h"
#define I8D_TILE tile_i8d_pairs_vnni512
#define I8D_ATTR __attribute__((target("avx2,avx512f,avx512vl,avx512vnni")))
#define I8D_SUFFIX pairs_vnni512
#include "i8d_drivers.h"
#endif
#undef I8D_WEIGHT
#undef I8D_UNITS
#undef I8D_STRIDE

/* The tiles of the active variant (multiversion.h): VNNI's where it has VNNI, AVX2's where it has
 * AVX2 otherwise; the portable ones give the same bits everywhere else. */
#if MCK_X86
#define I8D_DISPATCH(base, ...)                                                 \
    switch (mck_isa_active()) {                                                 \
    case MCK_ISA_AVX512_VNNI: base##_vnni512(__VA_ARGS__); break;              \
    case MCK_ISA_AVX2_VNNI: base##_vnni(__VA_ARGS__); break;                   \
    case MCK_ISA_AVX2: case MCK_ISA_AVX512: base##_avx2(__VA_ARGS__); break;   \
    default: base##_portable(__VA_ARGS__); break;                              \
    }
#else
#define I8D_DISPATCH(base, ...) base##_portable(__VA_ARGS__);
#endif

static float quantize_quads(const float *x, size_t cols, int32_t *row, int32_t *unused) {
    (void)unused;
    return quantize_row(x, cols, row);
}

/* The entry points of one layout: each row quantised into scratch (its scale in its last word;
 * `tmp`, after the rows, is the pairs layout's room), then the AVX2 or the portable driver. */
#define DEFINE_I8D_ENTRIES(LAYOUT, WEIGHT, UNITS, STRIDE, QUANTIZE)                                              \
    static void quantize_rows_##LAYOUT(const float *x, size_t xstride, size_t cols, size_t n, int32_t *scratch) { \
        const size_t stride = STRIDE(UNITS(cols));                                                               \
        for (size_t j = 0; j < n; j++) {                                                                         \
            const float s = QUANTIZE(x + j * xstride, cols, scratch + j * stride, scratch + n * stride);         \
            memcpy(scratch + j * stride + stride - 1, &s, sizeof s);                                             \
        }                                                                                                        \
    }                                                                                                            \
    void mck_matmul_##LAYOUT(const WEIGHT *packed, const float *scales, size_t rows, size_t cols, const float *x, \
                             size_t n, const float *bias, float *y, int32_t *scratch) {                         \
        quantize_rows_##LAYOUT(x, cols, cols, n, scratch);                                                       \
        I8D_DISPATCH(matmul_##LAYOUT, packed, scales, rows, cols, n, bias, y, scratch)                            \
    }                                                                                                            \
    void mck_lstm_step_##LAYOUT(const WEIGHT *packed, const float *scales, size_t hidden, const float *h_prev,   \
                                const float *u, float *c, float *h_next, int32_t *scratch) {                     \
        quantize_rows_##LAYOUT(h_prev, 0, hidden, 1, scratch);                                                   \
        I8D_DISPATCH(lstm_step_##LAYOUT, packed, scales, hidden, u, c, h_next, scratch)                           \
    }                                                                                                            \
    void mck_lstm_rows_##LAYOUT(const WEIGHT *packed, const float *scales, size_t hidden, size_t n,              \
                                const float *h_prev, size_t hstride, const float *u, size_t ustride, float *c,   \
                                float *h_next, size_t nstride, float *z, int32_t *scratch) {                     \
        quantize_rows_##LAYOUT(h_prev, hstride, hidden, n, scratch);                                             \
        I8D_DISPATCH(lstm_rows_##LAYOUT, packed, scales, hidden, n, u, ustride, c, h_next, nstride, z, scratch)   \
    }

DEFINE_I8D_ENTRIES(i8d, int8_t, quads_of, i8d_stride, quantize_quads)
DEFINE_I8D_ENTRIES(i8d_pairs, int16_t, pairs_of, pairs_stride, quantize_row_pairs)

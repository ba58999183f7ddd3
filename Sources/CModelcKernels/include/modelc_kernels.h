/* The runtime's numeric kernels (used by the Swift runtime in both of its builds).
 *
 * Bit-for-bit contract (Spec.md, "Numerics contract"): every output element is computed in a
 * stated order with separately rounded multiplies and adds (these files are compiled with
 * -ffp-contract=off). Kernels vectorise across independent outputs only, so any instruction set
 * gives the same bits.
 *
 * Weights are packed once at load: outputs in panels of MCK_PANEL (the last padded with zero
 * weights), each panel input-major, so element [o][k] of a rows x cols matrix is at
 * ((o / 16) * cols + k) * 16 + o % 16. A kernel streams one panel contiguously. */
#ifndef MODELC_KERNELS_H
#define MODELC_KERNELS_H

#include <stddef.h>
#include <stdint.h>

enum { MCK_PANEL = 16 };

/* Elements of a packed rows x cols matrix (f32 or int8). */
size_t mck_packed_count(size_t rows, size_t cols);
/* Packs row-major w[o][k]. */
void mck_pack_f32(const float *w, size_t rows, size_t cols, float *packed);
void mck_pack_i8(const int8_t *w, size_t rows, size_t cols, int8_t *packed);

/* Dynamic int8 weights, each in [-127, 127] (the kernels rely on -128 never occurring), are
 * packed by input quads for a byte multiply-add: element [o][k] at
 * (((o / 16) * quads + k / 4) * 16 + o % 16) * 4 + k % 4 with quads = ceil(cols / 4), padding
 * zero. */
size_t mck_packed_i8d_count(size_t rows, size_t cols);
void mck_pack_i8d(const int8_t *w, size_t rows, size_t cols, int8_t *packed);
/* int32 values of scratch mck_matmul_i8d needs for n rows of cols inputs. */
size_t mck_i8d_scratch_count(size_t cols, size_t n);

/* The same dynamic int8 weights widened to int16 and packed by input pairs, for batched
 * products: element [o][k] at (((o / 16) * pairs + k / 2) * 16 + o % 16) * 2 + k % 2 with
 * pairs = ceil(cols / 2), padding zero. Twice the memory; vpmaddwd alone multiplies, so when a
 * panel serves several rows it runs about 1.4x faster than the quads. Same sums, same bits. */
size_t mck_packed_i8d_pairs_count(size_t rows, size_t cols);
void mck_pack_i8d_pairs(const int8_t *w, size_t rows, size_t cols, int16_t *packed);
size_t mck_i8d_pairs_scratch_count(size_t cols, size_t n);

/* y[j][o] = (sum_{k ascending} w[o][k] * x[j][k]) + bias[o], for j < n; bias may be NULL. */
void mck_matmul_f32(const float *packed, size_t rows, size_t cols, const float *x, size_t n,
                    const float *bias, float *y);

/* int8 weight-only: y[j][o] = (sum_{k ascending} (float)q[o][k] * x[j][k]) * scales[o] + bias[o]. */
void mck_matmul_i8w(const int8_t *packed, const float *scales, size_t rows, size_t cols,
                    const float *x, size_t n, const float *bias, float *y);

/* int8 dynamic: each x[j] is quantised with s = max|x[j]| / 127, xq = round-half-away(x / s);
 * acc[o] = sum_k q[o][k] * xq[k], exact in int32 (any order; q and xq in [-127, 127]);
 * y[j][o] = ((float)acc[o] * scales[o]) * s + bias[o].
 * An all-zero x[j] gives bias (0 without bias); a non-finite x[j] gives NaN. */
void mck_matmul_i8d(const int8_t *packed, const float *scales, size_t rows, size_t cols,
                    const float *x, size_t n, const float *bias, float *y, int32_t *scratch);
void mck_matmul_i8d_pairs(const int16_t *packed, const float *scales, size_t rows, size_t cols,
                          const float *x, size_t n, const float *bias, float *y, int32_t *scratch);

/* ---- Instruction-set variants (isa.c, multiversion.h) ----
 * Kernels with variants are compiled once per instruction set below and run the one
 * mck_isa_active() names: the best the CPU supports, found at the first call. Every variant gives
 * the same bits (the contract above); the tests force each in turn to check it. */
enum {
    MCK_ISA_PORTABLE = 0, MCK_ISA_AVX2 = 1, MCK_ISA_AVX2_VNNI = 2, MCK_ISA_AVX512 = 3, MCK_ISA_AVX512_VNNI = 4,
    MCK_ISA_COUNT = 5
};
/* "portable" (plain C for the target's baseline: SSE2 on x86-64), "avx2", "avx2-vnni" (AVX2 with
 * AVX-VNNI: the int8-dynamic tiles use vpdpbusd / vpdpwssd), "avx512", "avx512-vnni" (AVX-512 with
 * AVX512-VNNI and AVX512VL: the same dot products on 256-bit vectors). Every variant from avx2 up
 * has AVX2. */
const char *mck_isa_name(int32_t isa);
/* 1 when this build has the variant and this CPU runs it. */
int32_t mck_isa_supported(int32_t isa);
int32_t mck_isa_active(void);
/* For tests: makes every kernel run variant `isa` from now on (MCK_ISA_COUNT: the CPU's best
 * again). Returns 0, changing nothing, when the variant is not supported. */
int32_t mck_isa_force(int32_t isa);

/* The CRC-32C of n bytes, continuing from crc (the CRC of what came before; 0 to start):
 * SSE4.2's crc32 instruction in the AVX2 and AVX-512 variants, tables in the portable one. */
uint32_t mck_crc32c(uint32_t crc, const void *bytes, size_t n);

/* Sets *flag to 1 and returns 1 when it was 0 (acquire); 0 when another thread holds it. */
int32_t mck_claim(int32_t *flag);
/* Sets *flag back to 0 (release). */
void mck_unclaim(int32_t *flag);

/* e^x in float (Cephes' expf method: x = n ln2 + r, degree-6 polynomial, 2^n by exponent bits);
 * about 1 ulp. NaN propagates; x > 88.72 gives +inf; x < -103.97 gives 0. */
float mck_expf(float x);
/* 1 / (1 + e^-x). */
float mck_sigmoidf(float x);
/* tanh(x): odd polynomial for |x| < 0.625, 1 - 2 / (e^(2|x|) + 1) with the sign otherwise. */
float mck_tanhf(float x);

/* In place over n values. */
void mck_sigmoid_n(float *x, size_t n);
void mck_tanh_n(float *x, size_t n);

/* The LSTM cell's e^x: x clamped to [-20, 20] first (Spec.md §7.2, "LSTM cell"). */
float mck_cell_expf(float x);

/* One LSTM cell update for `hidden` units from pre-activations z (4*hidden, blocked i; f; g; o):
 * c = f*c + i*g; h = o*tanh(c), with i, f, o = sigmoid and g = tanh of their blocks, in the
 * two-division form of Spec.md §7.2 ("LSTM cell"). */
void mck_lstm_cell(const float *z, float *c, float *h, size_t hidden);

/* One LSTM step, z = W_hh·h_prev + u then the cell update of mck_lstm_cell, with the 4*hidden
 * gate rows (of W_hh, and of u) in the grouped order: row 64*(j/16) + 16*gate + j%16 is gate
 * (i, f, g, o = 0..3) of unit j. hidden must be a multiple of 16. Each z is computed as the
 * mck_matmul_* of the same type computes it (u as the bias). c is updated in place; h_next
 * must not overlap h_prev. The i8d scratch holds mck_i8d_scratch_count(hidden, 1) values (pairs:
 * mck_i8d_pairs_scratch_count). */
void mck_lstm_step_f32(const float *packed, size_t hidden, const float *h_prev, const float *u, float *c,
                       float *h_next);
void mck_lstm_step_i8w(const int8_t *packed, const float *scales, size_t hidden, const float *h_prev,
                       const float *u, float *c, float *h_next);
void mck_lstm_step_i8d(const int8_t *packed, const float *scales, size_t hidden, const float *h_prev,
                       const float *u, float *c, float *h_next, int32_t *scratch);
void mck_lstm_step_i8d_pairs(const int16_t *packed, const float *scales, size_t hidden, const float *h_prev,
                             const float *u, float *c, float *h_next, int32_t *scratch);

/* n LSTM steps at once, one per row (windows scored together): row j reads
 * h_prev[j * hstride ...] (hstride 0: one h for every row) and u[j * ustride ...], updates
 * c[j * hidden ...] and writes h_next[j * nstride ...]; every row's bits are those of the
 * mck_lstm_step_* above run on it alone. Each 16-unit group's weights are read into cache once
 * per step for all rows instead of once per row. z holds n * 4 * MCK_CELL_UNITS floats; the i8d scratch
 * mck_i8d_scratch_count(hidden, n) values (pairs: mck_i8d_pairs_scratch_count). */
enum { MCK_CELL_UNITS = 64 };
void mck_lstm_rows_f32(const float *packed, size_t hidden, size_t n, const float *h_prev, size_t hstride,
                       const float *u, size_t ustride, float *c, float *h_next, size_t nstride, float *z);
void mck_lstm_rows_i8w(const int8_t *packed, const float *scales, size_t hidden, size_t n, const float *h_prev,
                       size_t hstride, const float *u, size_t ustride, float *c, float *h_next, size_t nstride,
                       float *z);
void mck_lstm_rows_i8d(const int8_t *packed, const float *scales, size_t hidden, size_t n, const float *h_prev,
                       size_t hstride, const float *u, size_t ustride, float *c, float *h_next, size_t nstride,
                       float *z, int32_t *scratch);
void mck_lstm_rows_i8d_pairs(const int16_t *packed, const float *scales, size_t hidden, size_t n,
                             const float *h_prev, size_t hstride, const float *u, size_t ustride, float *c,
                             float *h_next, size_t nstride, float *z, int32_t *scratch);

/* ---- Tree ensembles (trees.c) ----
 * A forest flattened by TreeForest (Sources/ModelcRuntime/Trees), as parallel arrays over nodes:
 * node i tests `v[slot[i]] >= t` (false for NaN) and goes on to node `pass[i]` when it passes,
 * `pass[i] - 1` when it fails. `v` is the row expanded into `copies` blocks of `width` values: x,
 * -x and, when copies is 4, x and -x with NaN for |x| <= 1e-35f (the zero band); under f32, x is
 * first rounded to float32. The test compares order keys: `key[i]` is
 * mck_tree_threshold_key32(t) (f32) or mck_tree_threshold_key64(t). A leaf has threshold NaN and
 * `pass` itself plus one, so it stays put; `depths[t]` steps from `roots[t]` reach a leaf of tree
 * t on every path. A tree with `heap[t]` set is complete: position k of it (counted from its
 * root) has its children at 2k + 1 and 2k + 2, and a leaf above the last level has copies of
 * itself below it; the batch kernel then reads no `pass`. */
typedef struct {
    const void *key;            /* uint32_t when f32, else uint64_t */
    const uint32_t *slot;
    const int32_t *pass;
    const double *leaf_value;   /* per node, read at leaves (already rounded under f32) */
    const int32_t *roots;
    const uint32_t *depths;
    const uint8_t *heap;
    size_t n_trees;
    size_t width;
    uint32_t copies;            /* 2 or 4 */
    uint32_t f32;               /* compare and sum in float32 */
    double base_score;          /* already rounded under f32 */
} mck_forest;

/* Unsigned keys that order as the thresholds do (NaN, a test nothing passes, above them all);
 * the kernel keys its inputs alike with NaN below every key (Spec.md §9.10). */
uint32_t mck_tree_threshold_key32(float t);
uint64_t mck_tree_threshold_key64(double t);

/* The binned form of a forest, for batches (built by TreeBins, Sources/ModelcRuntime/Trees;
 * trees_binned.c). A column stands for one slot of the expanded row; a value's bin in the column
 * is how many of the column's distinct threshold keys (at most MCK_BIN_MAX_KEYS) are <= its key,
 * so a split's test `key(v[slot]) >= key(t)` is `bin >= rank`, rank being t's place (from 1)
 * among those keys; a split whose test nothing passes (threshold key all ones) reads a column of
 * its own with no keys, where every bin is 0, with rank - 1 = 0. Each column's table is
 * MCK_BIN_TABLE keys of the forest's width: MCK_BIN_GROUPS splitters (the all-ones key, then
 * keys[16], keys[32], ...), then the sorted keys padded to MCK_BIN_GROUPS * 16 with all-ones
 * keys, each key with its top bit flipped (so that signed compares order them). A split record is
 * 4 words: the byte rank - 1 with its top bit flipped, the split's position in its tree's layout,
 * pass - 1 - position (mod 256), each of these bytes 4 times over; then its column. Records are
 * listed tree by tree, parents before children: for a tree laid out complete (heap), every
 * position above its last level (a leaf or leaf copy there gets a placeholder: everything below
 * it is a copy of it); for any other, its splits only. Built only when every tree's layout has at
 * most MCK_BIN_MAX_POSITIONS positions, and there are at most MCK_BIN_MAX_COLUMNS columns. */
enum {
    MCK_BIN_GROUPS = 16,
    MCK_BIN_TABLE = MCK_BIN_GROUPS * 17,
    MCK_BIN_MAX_KEYS = 255,
    MCK_BIN_MAX_COLUMNS = 255,
    MCK_BIN_MAX_POSITIONS = 256, /* a tree's layout: positions are bytes */
};
typedef struct {
    const void *table;          /* uint32_t when the forest is f32, else uint64_t */
    const uint32_t *slot;       /* per column: the slot of the expanded row it bins */
    size_t n_columns;
    const uint32_t *split;
    const uint32_t *first;      /* per tree, and one more: index of the tree's first record */
} mck_forest_bins;

/* Values of scratch `mck_forest_margins` needs (bins may be NULL); `mck_forest_margin` needs it
 * only when copies * width > MCK_FOREST_STACK_VALUES (it may be NULL otherwise). */
size_t mck_forest_scratch_count(const mck_forest *f, const mck_forest_bins *bins);
#define MCK_FOREST_STACK_VALUES 512

/* Margin of one row: base_score, then each tree's leaf value in tree order, in the forest's
 * precision. `leaves` (n_trees slots, or NULL) receives the node each tree reached. */
double mck_forest_margin(const mck_forest *f, const double *row, int32_t *leaves, double *scratch);

/* Margins of n rows `stride` values apart; each row's sum has the bits mck_forest_margin gives.
 * `bins` (the forest's binned form, or NULL) scores blocks of MCK_BIN_BLOCK rows, and a last
 * block of MCK_BIN_MIN_ROWS rows or more. */
enum { MCK_BIN_BLOCK = 256, MCK_BIN_MIN_ROWS = 64 };
void mck_forest_margins(const mck_forest *f, const mck_forest_bins *bins, const double *rows, size_t n,
                        size_t stride, double *out, double *scratch);

#endif

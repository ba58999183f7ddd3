/* Tree-ensemble scoring over the flat node arrays TreeForest builds (see modelc_kernels.h).
 *
 * Every split is one test, `v[slot] >= threshold`, false for NaN: the loader has already chosen
 * the copy of the input (x, -x, or the zero-banded versions of both) and the threshold that make
 * this test send each input where Spec.md §9.3 says. The test runs on order keys (unsigned
 * integers that compare as the values they stand for, NaN below them all), so a step is integer
 * loads, one compare and a subtract with borrow: the next node is `pass - (key(x) < key(t))`,
 * the two children side by side. A leaf's key is above every input's and its `pass` is itself
 * plus one, so a walk may take more steps than the leaf's depth and stay put. Complete trees
 * (`heap`) are walked by position, 2k + 2 - test, with no child array. Several walks (rows of one
 * tree, or trees of one row) run interleaved so their loads overlap, with no branch that depends
 * on the data except a check, in deep trees, whether every lane has reached its leaf. Every
 * row's sum keeps tree order (Spec.md §9.4). */
#include "trees_internal.h"

enum {
    /* Walks in flight: rows of a block (LANES), or trees of a single row (TREE_LANES; more,
     * because a single row has nothing else to overlap). */
    LANES = 8,
    TREE_LANES = 16,
    BLOCK = 64,
    /* Trees deeper than SHALLOW run FIRST steps, then CHECK-step stretches, stopping once every
     * lane is on a leaf: leaf-wise trees are deep on a few paths only (on the LightGBM fixture,
     * 14 levels deep but 3.5 steps per row on average, 6.3 for the deepest of 8 rows). Shallower
     * ones run their depth straight. */
    SHALLOW = 8,
    FIRST = 2,
    CHECK = 2,
    /* Batches of fewer rows go row by row (each row's trees interleaved) rather than in blocks. */
    FEW_ROWS = 4,
};

/* A NaN threshold (a test nothing passes) gets the largest key, which no input reaches. */
uint32_t mck_tree_threshold_key32(float t) { return t != t ? UINT32_MAX : mck_key_f32(t); }
uint64_t mck_tree_threshold_key64(double t) { return t != t ? UINT64_MAX : mck_key_f64(t); }

/* Expands n rows of `width` values, `stride` apart, into keys: value k of copy j of row r goes to
 * v[(j * width + k) * pitch + r * step], copies x, -x and (copies == 4) x and -x as NaN for
 * |x| <= Z. Single rows use pitch 1; blocks are stored feature-major (pitch BLOCK, step 1) so the
 * lanes of a block read one base pointer. */
#define DEFINE_EXPAND(SUFFIX, REAL, KEY)                                                             \
    static void expand_##SUFFIX(const double *rows, size_t n, size_t stride, size_t width,           \
                                uint32_t copies, size_t pitch, size_t step, KEY *v) {                \
        for (size_t r = 0; r < n; r++) {                                                             \
            const double *x = rows + r * stride;                                                     \
            KEY *o = v + r * step;                                                                   \
            for (size_t k = 0; k < width; k++) {                                                     \
                REAL a = (REAL)x[k];                                                                 \
                KEY plus = mck_key_##SUFFIX(a), minus = mck_key_##SUFFIX(-a);                        \
                o[k * pitch] = plus;                                                                 \
                o[(width + k) * pitch] = minus;                                                      \
                if (copies == 4) {                                                                   \
                    int banded = mck_in_zero_band((double)a);                                        \
                    o[(2 * width + k) * pitch] = banded ? 0 : plus;                                  \
                    o[(3 * width + k) * pitch] = banded ? 0 : minus;                                 \
                }                                                                                    \
            }                                                                                        \
        }                                                                                            \
    }

/* One step of `lanes` walks through `pass` links; X(l, slot) is lane l's key for the slot. */
#define STEP(lanes, X)                                                                               \
    for (int l_ = 0; l_ < (lanes); l_++) {                                                           \
        uint32_t i_ = at[l_];                                                                        \
        at[l_] = pass[i_] - (X(l_, slot[i_]) < key[i_]);                                             \
    }

/* `steps` steps of `lanes` walks; deep trees stop early once every lane is on a leaf (the check
 * branches as soon as one lane still moves, cheaper than counting them all). */
#define WALK(lanes, X)                                                                               \
    if (steps <= SHALLOW) {                                                                          \
        for (uint32_t s_ = 0; s_ < steps; s_++) { STEP(lanes, X) }                                   \
    } else {                                                                                         \
        uint32_t s_ = 0;                                                                             \
        for (; s_ < FIRST; s_++) { STEP(lanes, X) }                                                  \
        while (s_ < steps) {                                                                         \
            for (int c_ = 0; c_ < CHECK && s_ < steps; c_++, s_++) { STEP(lanes, X) }                \
            int moving = 0;                                                                          \
            for (int l_ = 0; l_ < (lanes); l_++) moving |= pass[at[l_]] != at[l_] + 1;               \
            if (!moving) break;                                                                      \
        }                                                                                            \
    }

/* `steps` steps of `lanes` walks through a complete tree whose keys and slots start at `tkey` and
 * `tslot`: position k's children are 2k + 1 and 2k + 2, so a step reads no child link. */
#define HEAP_WALK(lanes, X)                                                                          \
    for (uint32_t s_ = 0; s_ < steps; s_++) {                                                        \
        for (int l_ = 0; l_ < (lanes); l_++) {                                                       \
            uint32_t k_ = at[l_];                                                                    \
            at[l_] = 2 * k_ + 2 - (X(l_, tslot[k_]) < tkey[k_]);                                     \
        }                                                                                            \
    }

#define ROW_VALUE(l, k) v[k]
#define BLOCK_VALUE(l, k) vb[(size_t)(k) * BLOCK + (size_t)(l)]

#define DEFINE_KERNELS(SUFFIX, REAL, KEY)                                                            \
    DEFINE_EXPAND(SUFFIX, REAL, KEY)                                                                 \
                                                                                                     \
    static double margin_##SUFFIX(const mck_forest *f, const double *row, int32_t *leaves,           \
                                  KEY *v) {                                                          \
        const KEY *key = (const KEY *)f->key;                                                        \
        const uint32_t *slot = f->slot, *pass = (const uint32_t *)f->pass;                           \
        expand_##SUFFIX(row, 1, 0, f->width, f->copies, 1, 0, v);                                    \
        REAL sum = (REAL)f->base_score;                                                              \
        for (size_t t = 0; t < f->n_trees; t += TREE_LANES) {                                        \
            int lanes = f->n_trees - t < TREE_LANES ? (int)(f->n_trees - t) : TREE_LANES;            \
            uint32_t steps = 0;                                                                      \
            uint32_t at[TREE_LANES];                                                                 \
            for (int l = 0; l < lanes; l++) {                                                        \
                at[l] = (uint32_t)f->roots[t + l];                                                   \
                if (f->depths[t + l] > steps) steps = f->depths[t + l];                              \
            }                                                                                        \
            if (lanes == TREE_LANES) {                                                               \
                WALK(TREE_LANES, ROW_VALUE)                                                          \
            } else {                                                                                 \
                WALK(lanes, ROW_VALUE)                                                               \
            }                                                                                        \
            for (int l = 0; l < lanes; l++) {                                                        \
                sum += (REAL)f->leaf_value[at[l]];                                                   \
                if (leaves) leaves[t + l] = (int32_t)at[l];                                          \
            }                                                                                        \
        }                                                                                            \
        return (double)sum;                                                                          \
    }                                                                                                \
                                                                                                     \
    /* Adds tree t's leaf to the sums of `count` rows of a block (feature-major in v). */            \
    static void add_tree_##SUFFIX(const mck_forest *f, size_t t, const KEY *v, size_t count,         \
                                  REAL *sums) {                                                      \
        const KEY *key = (const KEY *)f->key;                                                        \
        const uint32_t *slot = f->slot, *pass = (const uint32_t *)f->pass;                           \
        uint32_t root = (uint32_t)f->roots[t];                                                       \
        uint32_t steps = f->depths[t];                                                               \
        for (size_t r = 0; r < count; r += LANES) {                                                  \
            int lanes = count - r < LANES ? (int)(count - r) : LANES;                                \
            const KEY *vb = v + r;                                                                   \
            if (f->heap[t]) {                                                                        \
                const KEY *tkey = key + root;                                                        \
                const uint32_t *tslot = slot + root;                                                 \
                uint32_t at[LANES] = {0};                                                            \
                if (lanes == LANES) {                                                                \
                    HEAP_WALK(LANES, BLOCK_VALUE)                                                    \
                } else {                                                                             \
                    HEAP_WALK(lanes, BLOCK_VALUE)                                                    \
                }                                                                                    \
                for (int l = 0; l < lanes; l++) sums[r + l] += (REAL)f->leaf_value[root + at[l]];    \
            } else {                                                                                 \
                uint32_t at[LANES];                                                                  \
                for (int l = 0; l < LANES; l++) at[l] = root;                                        \
                if (lanes == LANES) {                                                                \
                    WALK(LANES, BLOCK_VALUE)                                                         \
                } else {                                                                             \
                    WALK(lanes, BLOCK_VALUE)                                                         \
                }                                                                                    \
                for (int l = 0; l < lanes; l++) sums[r + l] += (REAL)f->leaf_value[at[l]];           \
            }                                                                                        \
        }                                                                                            \
    }                                                                                                \
                                                                                                     \
    /* Blocks of BLOCK rows, one tree at a time over the block (so the tree stays in cache). */      \
    static void margins_##SUFFIX(const mck_forest *f, const double *rows, size_t n, size_t stride,   \
                                 double *out, KEY *v) {                                              \
        REAL sums[BLOCK];                                                                            \
        for (size_t start = 0; start < n; start += BLOCK) {                                          \
            size_t count = n - start < BLOCK ? n - start : BLOCK;                                    \
            expand_##SUFFIX(rows + start * stride, count, stride, f->width, f->copies, BLOCK, 1, v); \
            for (size_t r = 0; r < count; r++) sums[r] = (REAL)f->base_score;                        \
            for (size_t t = 0; t < f->n_trees; t++) add_tree_##SUFFIX(f, t, v, count, sums);         \
            for (size_t r = 0; r < count; r++) out[start + r] = (double)sums[r];                     \
        }                                                                                            \
    }

DEFINE_KERNELS(f64, double, uint64_t)
DEFINE_KERNELS(f32, float, uint32_t)

size_t mck_forest_scratch_count(const mck_forest *f, const mck_forest_bins *bins) {
    size_t values = (size_t)BLOCK * f->copies * f->width;
    size_t binned = bins ? (mck_binned_scratch_bytes(bins) + sizeof(double) - 1) / sizeof(double) : 0;
    return values > binned ? values : binned;
}

double mck_forest_margin(const mck_forest *f, const double *row, int32_t *leaves, double *scratch) {
    uint64_t local[MCK_FOREST_STACK_VALUES];
    void *v = (size_t)f->copies * f->width <= MCK_FOREST_STACK_VALUES ? (void *)local : (void *)scratch;
    return f->f32 ? margin_f32(f, row, leaves, (uint32_t *)v) : margin_f64(f, row, leaves, (uint64_t *)v);
}

void mck_forest_margins(const mck_forest *f, const mck_forest_bins *bins, const double *rows, size_t n,
                        size_t stride, double *out, double *scratch) {
    /* The binned kernel works in whole blocks: a short last block is cheaper on the walks. */
    if (bins && n >= MCK_BIN_MIN_ROWS) {
        size_t tail = n % MCK_BIN_BLOCK < MCK_BIN_MIN_ROWS ? n % MCK_BIN_BLOCK : 0;
        mck_binned_margins(f, bins, rows, n - tail, stride, out, scratch);
        rows += (n - tail) * stride;
        out += n - tail;
        n = tail;
    }
    /* A few rows go one at a time, each through 16 trees at once: a block walk would have too few
     * rows in flight to hide its loads. */
    if (n < FEW_ROWS) {
        for (size_t r = 0; r < n; r++) out[r] = mck_forest_margin(f, rows + r * stride, NULL, scratch);
    } else if (f->f32) {
        margins_f32(f, rows, n, stride, out, (uint32_t *)scratch);
    } else {
        margins_f64(f, rows, n, stride, out, (uint64_t *)scratch);
    }
}

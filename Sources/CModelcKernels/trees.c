/* Tree-ensemble scoring over the flat node arrays TreeForest builds (see modelc_kernels.h).
 *
 * Every split is one test, `v[feature] >= threshold`, false for NaN: the loader has already chosen
 * the copy of the input (x, -x, or the zero-banded versions of both) and the threshold that make
 * this test send each input where Spec.md §9.3 says, and has put the two children side by side so
 * the next node is `child + test`. A leaf's threshold is NaN and its child is itself, so a walk
 * may take more steps than the leaf's depth and stay put. Several walks (rows of one tree, or
 * trees of one row) run interleaved so their loads overlap, with no branch that depends on
 * the data except a check, in deep trees, whether every lane has reached its leaf. Every row's
 * sum keeps tree order (Spec.md §9.4). */
#include "modelc_kernels.h"

enum {
    /* Walks in flight: rows of a block (LANES), or trees of a single row (TREE_LANES; more,
     * because a single row has nothing else to overlap). */
    LANES = 8,
    TREE_LANES = 16,
    BLOCK = 64,
    /* Trees deeper than this are walked in CHECK-step stretches, stopping once every lane is on a
     * leaf (leaf-wise trees are deep on a few paths only); shallower ones run their depth straight. */
    SHALLOW = 8,
    CHECK = 2,
};

/* LightGBM's kZeroThreshold, 1e-35f, widened to float64. */
static const double zero_band = 1.0000000180025095e-35;

/* Expands n rows of `width` values, `stride` apart: value k of copy j of row r goes to
 * v[(j * width + k) * pitch + r * step], copies x, -x and (copies == 4) x and -x with NaN for
 * |x| <= Z. Single rows use pitch 1; blocks are stored feature-major (pitch BLOCK, step 1) so the
 * lanes of a block read one base pointer. */
#define DEFINE_EXPAND(SUFFIX, REAL, NAN_VALUE)                                                    \
    static void expand_##SUFFIX(const double *rows, size_t n, size_t stride, size_t width,        \
                                uint32_t copies, size_t pitch, size_t step, REAL *v) {            \
        for (size_t r = 0; r < n; r++) {                                                          \
            const double *x = rows + r * stride;                                                  \
            REAL *o = v + r * step;                                                               \
            for (size_t k = 0; k < width; k++) {                                                  \
                REAL a = (REAL)x[k];                                                              \
                o[k * pitch] = a;                                                                 \
                o[(width + k) * pitch] = -a;                                                      \
                if (copies == 4) {                                                                \
                    REAL b = ((double)a <= zero_band && (double)a >= -zero_band) ? NAN_VALUE : a; \
                    o[(2 * width + k) * pitch] = b;                                               \
                    o[(3 * width + k) * pitch] = -b;                                              \
                }                                                                                 \
            }                                                                                     \
        }                                                                                         \
    }

/* One step of `lanes` walks through child links; X(l, slot) is lane l's input value. */
#define STEP(lanes, X)                                                 \
    for (int l_ = 0; l_ < (lanes); l_++) {                             \
        int32_t i_ = at[l_];                                           \
        at[l_] = nodes[i_].child + (X(l_, nodes[i_].slot) >= nodes[i_].threshold); \
    }

/* `steps` steps of `lanes` walks; deep trees stop early once every lane is on a leaf. */
#define WALK(lanes, X)                                                                 \
    if (steps <= SHALLOW) {                                                            \
        for (uint32_t s_ = 0; s_ < steps; s_++) { STEP(lanes, X) }                     \
    } else {                                                                           \
        uint32_t s_ = 0;                                                               \
        for (; s_ < SHALLOW; s_++) { STEP(lanes, X) }                                  \
        while (s_ < steps) {                                                           \
            for (int c_ = 0; c_ < CHECK && s_ < steps; c_++, s_++) { STEP(lanes, X) }  \
            int moving = 0;                                                            \
            for (int l_ = 0; l_ < (lanes); l_++) moving |= nodes[at[l_]].child != at[l_]; \
            if (!moving) break;                                                        \
        }                                                                              \
    }

/* `steps` steps of `lanes` walks through a complete tree rooted at `tree`: node k's children are
 * 2k + 1 and 2k + 2, so a step reads one record and no child link. */
#define HEAP_WALK(lanes, X)                                                    \
    for (uint32_t s_ = 0; s_ < steps; s_++) {                                  \
        for (int l_ = 0; l_ < (lanes); l_++) {                                 \
            uint32_t k_ = at[l_];                                              \
            at[l_] = 2 * k_ + 1 + (X(l_, tree[k_].slot) >= tree[k_].threshold); \
        }                                                                      \
    }

#define ROW_VALUE(l, k) v[k]
#define BLOCK_VALUE(l, k) vb[(size_t)(k) * BLOCK + (size_t)(l)]

#define DEFINE_KERNELS(SUFFIX, REAL, NODE)                                                           \
    DEFINE_EXPAND(SUFFIX, REAL, (REAL)__builtin_nan(""))                                             \
                                                                                                     \
    static double margin_##SUFFIX(const mck_forest *f, const double *row, int32_t *leaves,           \
                                  REAL *v) {                                                         \
        const NODE *nodes = (const NODE *)f->nodes;                                                  \
        expand_##SUFFIX(row, 1, 0, f->width, f->copies, 1, 0, v);                                    \
        REAL sum = (REAL)f->base_score;                                                              \
        for (size_t t = 0; t < f->n_trees; t += TREE_LANES) {                                        \
            int lanes = f->n_trees - t < TREE_LANES ? (int)(f->n_trees - t) : TREE_LANES;            \
            uint32_t steps = 0;                                                                      \
            int32_t at[TREE_LANES];                                                                  \
            for (int l = 0; l < lanes; l++) {                                                        \
                at[l] = f->roots[t + l];                                                             \
                if (f->depths[t + l] > steps) steps = f->depths[t + l];                              \
            }                                                                                        \
            if (lanes == TREE_LANES) {                                                               \
                WALK(TREE_LANES, ROW_VALUE)                                                          \
            } else {                                                                                 \
                WALK(lanes, ROW_VALUE)                                                               \
            }                                                                                        \
            for (int l = 0; l < lanes; l++) {                                                        \
                sum += (REAL)f->leaf_value[at[l]];                                                   \
                if (leaves) leaves[t + l] = at[l];                                                   \
            }                                                                                        \
        }                                                                                            \
        return (double)sum;                                                                          \
    }                                                                                                \
                                                                                                     \
    /* Adds tree t's leaf to the sums of `count` rows of a block (feature-major in v). */           \
    static void add_tree_##SUFFIX(const mck_forest *f, size_t t, const REAL *v, size_t count,        \
                                  REAL *sums) {                                                      \
        const NODE *nodes = (const NODE *)f->nodes;                                                  \
        int32_t root = f->roots[t];                                                                  \
        uint32_t steps = f->depths[t];                                                               \
        for (size_t r = 0; r < count; r += LANES) {                                                  \
            int lanes = count - r < LANES ? (int)(count - r) : LANES;                                \
            const REAL *vb = v + r;                                                                  \
            if (f->heap[t]) {                                                                        \
                const NODE *tree = nodes + root;                                                     \
                uint32_t at[LANES] = {0};                                                            \
                if (lanes == LANES) {                                                                \
                    HEAP_WALK(LANES, BLOCK_VALUE)                                                    \
                } else {                                                                             \
                    HEAP_WALK(lanes, BLOCK_VALUE)                                                    \
                }                                                                                    \
                for (int l = 0; l < lanes; l++) sums[r + l] += (REAL)f->leaf_value[root + at[l]];    \
            } else {                                                                                 \
                int32_t at[LANES];                                                                   \
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
                                 double *out, REAL *v) {                                             \
        REAL sums[BLOCK];                                                                            \
        for (size_t start = 0; start < n; start += BLOCK) {                                          \
            size_t count = n - start < BLOCK ? n - start : BLOCK;                                    \
            expand_##SUFFIX(rows + start * stride, count, stride, f->width, f->copies, BLOCK, 1, v); \
            for (size_t r = 0; r < count; r++) sums[r] = (REAL)f->base_score;                        \
            for (size_t t = 0; t < f->n_trees; t++) add_tree_##SUFFIX(f, t, v, count, sums);         \
            for (size_t r = 0; r < count; r++) out[start + r] = (double)sums[r];                     \
        }                                                                                            \
    }

DEFINE_KERNELS(f64, double, mck_node64)
DEFINE_KERNELS(f32, float, mck_node32)

size_t mck_forest_scratch_count(const mck_forest *f) {
    return (size_t)BLOCK * f->copies * f->width;
}

double mck_forest_margin(const mck_forest *f, const double *row, int32_t *leaves, double *scratch) {
    double local[MCK_FOREST_STACK_VALUES];
    double *v = (size_t)f->copies * f->width <= MCK_FOREST_STACK_VALUES ? local : scratch;
    return f->f32 ? margin_f32(f, row, leaves, (float *)v) : margin_f64(f, row, leaves, v);
}

void mck_forest_margins(const mck_forest *f, const double *rows, size_t n, size_t stride, double *out,
                        double *scratch) {
    if (f->f32) margins_f32(f, rows, n, stride, out, (float *)scratch);
    else margins_f64(f, rows, n, stride, out, scratch);
}

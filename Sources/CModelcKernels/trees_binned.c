/* Batch tree scoring on bins (see mck_forest_bins; Spec.md §9.10).
 *
 * A block of BIN_BLOCK rows is first binned: each row's value in each column becomes a byte, how
 * many of the column's threshold keys are <= its key (a count over 16 splitters picks a group of
 * 16 keys, a count over the group finishes it). Then the block goes through one tree at a time:
 * every split of the tree, parents first, is tested on all rows of the block at once in byte
 * vectors, and the rows whose position is that split's move to the child the test picks; after
 * the last split every row is on its leaf. The work per tree is fixed by its splits, not by the
 * rows' paths, with no branch on the data. Integer work only, so every instruction set gives the
 * same leaves; each row's sum keeps tree order (Spec.md §9.4), as in trees.c. */
#include "multiversion.h"
#include "trees_internal.h"
#include <math.h>
#include <string.h>

enum { BIN_BLOCK = MCK_BIN_BLOCK, VEC = 32, VECS = BIN_BLOCK / VEC };

typedef uint8_t u8v __attribute__((vector_size(VEC)));
typedef int8_t i8v __attribute__((vector_size(VEC)));
typedef uint32_t u32v __attribute__((vector_size(32)));
typedef int32_t i32v __attribute__((vector_size(32)));
typedef int64_t i64v __attribute__((vector_size(32)));

/* How many of the 16 keys at t are <= v. Keys (in the tables and v) have their top bit flipped,
 * so that signed compares order them. */
static inline uint32_t count16_f32(const int32_t *t, int32_t v) {
    i32v a, b;
    memcpy(&a, t, sizeof a);
    memcpy(&b, t + 8, sizeof b);
    return (uint32_t)(16 + __builtin_reduce_add((a > v) + (b > v)));
}

static inline uint32_t count16_f64(const int64_t *t, int64_t v) {
    i64v a, b, c, d;
    memcpy(&a, t, sizeof a);
    memcpy(&b, t + 4, sizeof b);
    memcpy(&c, t + 8, sizeof c);
    memcpy(&d, t + 12, sizeof d);
    return (uint32_t)(16 + __builtin_reduce_add((a > v) + (b > v) + (c > v) + (d > v)));
}

/* A vector of the 4 bytes of w, 8 times over (a split record's words each hold one byte 4 times). */
#define BCAST4(w) ((u8v)((u32v){0} + (uint32_t)(w)))

/* Moves every row of the block (`at`: positions in the tree) through `count` split records: the
 * rows at a split's position move by step - passes (passes is 0 or -1), to pass - 1 or pass. */
MCK_INLINE void walk(const uint32_t *split, size_t count, const uint8_t *cols, u8v at[VECS]) {
    for (size_t j = 0; j < count; j++, split += 4) {
        const uint8_t *col = cols + (size_t)split[3] * BIN_BLOCK;
        i8v threshold = (i8v)BCAST4(split[0]);
        u8v here = BCAST4(split[1]), step = BCAST4(split[2]);
        for (int v = 0; v < VECS; v++) {
            u8v bins;
            memcpy(&bins, col + v * VEC, VEC);
            u8v passes = (u8v)((i8v)bins > threshold);
            at[v] += (u8v)(at[v] == here) & (step - passes);
        }
    }
}

/* The same through a complete tree of `depth` levels, level by level, with `at` counting
 * positions within the level: the records are the tree's positions above its last level in
 * order, and a row at position k of a level goes to 2k or 2k + 1 of the next. */
MCK_INLINE void walk_complete(const uint32_t *split, uint32_t depth, const uint8_t *cols, u8v at[VECS]) {
    for (uint32_t level = 0; level < depth; level++) {
        u8v passed[VECS] = {0}, k = {0};
        for (uint32_t j = 0; j < (1u << level); j++, split += 4, k += 1) {
            const uint8_t *col = cols + (size_t)split[3] * BIN_BLOCK;
            i8v threshold = (i8v)BCAST4(split[0]);
            for (int v = 0; v < VECS; v++) {
                u8v bins;
                memcpy(&bins, col + v * VEC, VEC);
                u8v here = (u8v)(at[v] == k);
                passed[v] = (here & (u8v)((i8v)bins > threshold)) | (~here & passed[v]);
            }
        }
        for (int v = 0; v < VECS; v++) at[v] = at[v] + at[v] - passed[v];
    }
    /* Positions within the last level to positions in the tree. */
    for (int v = 0; v < VECS; v++) at[v] += (uint8_t)((1u << depth) - 1);
}

#define DEFINE_BINNED(SUFFIX, REAL, KEY, SKEY)                                                       \
    /* The key of value a in copy `copy` of the expanded row (as trees.c expands it), with its top   \
     * bit flipped as the tables' keys are. */                                                       \
    static inline SKEY slot_key_##SUFFIX(REAL a, uint32_t copy) {                                    \
        KEY key = copy >= 2 && mck_in_zero_band((double)a) ? 0                                       \
                                                           : mck_key_##SUFFIX(copy & 1 ? -a : a);    \
        return (SKEY)(key ^ ((KEY)1 << (8 * sizeof(KEY) - 1)));                                      \
    }                                                                                                \
                                                                                                     \
    /* Bins `count` rows into cols, BIN_BLOCK bytes a column, each bin with its top bit flipped so   \
     * that signed byte compares order the bins; the rest of each column gets bin 0. The rows'       \
     * keys go column-major into `keys` first (each row read once, in order); then per column the    \
     * group count runs over all rows at once (the splitters are shared), the count within the       \
     * group row by row. */                                                                          \
    MCK_INLINE void bin_rows_body_##SUFFIX(const mck_forest *f, const mck_forest_bins *b,            \
                                           const double *rows, size_t count, size_t stride,          \
                                           uint8_t *cols, SKEY *keys) {                              \
        uint32_t feature[MCK_BIN_MAX_COLUMNS], copy[MCK_BIN_MAX_COLUMNS];                            \
        for (size_t c = 0; c < b->n_columns; c++) {                                                  \
            feature[c] = b->slot[c] % (uint32_t)f->width;                                            \
            copy[c] = b->slot[c] / (uint32_t)f->width;                                               \
        }                                                                                            \
        for (size_t r = 0; r < count; r++) {                                                         \
            const double *x = rows + r * stride;                                                     \
            for (size_t c = 0; c < b->n_columns; c++)                                                \
                keys[c * BIN_BLOCK + r] = slot_key_##SUFFIX((REAL)x[feature[c]], copy[c]);           \
        }                                                                                            \
        for (size_t c = 0; c < b->n_columns; c++)                                                    \
            for (size_t r = count; r < BIN_BLOCK; r++)                                               \
                keys[c * BIN_BLOCK + r] = slot_key_##SUFFIX((REAL)NAN, 0);                           \
        uint32_t group[BIN_BLOCK];                                                                   \
        for (size_t c = 0; c < b->n_columns; c++) {                                                  \
            const SKEY *table = (const SKEY *)b->table + c * MCK_BIN_TABLE;                          \
            const SKEY *key = keys + c * BIN_BLOCK;                                                  \
            for (size_t r = 0; r < BIN_BLOCK; r++) {                                                 \
                uint32_t g = 0;                                                                      \
                for (int j = 1; j < MCK_BIN_GROUPS; j++) g += key[r] >= table[j];                    \
                group[r] = g;                                                                        \
            }                                                                                        \
            uint8_t *o = cols + c * BIN_BLOCK;                                                       \
            for (size_t r = 0; r < BIN_BLOCK; r++) {                                                 \
                uint32_t g = group[r];                                                               \
                uint32_t bin = 16 * g + count16_##SUFFIX(table + MCK_BIN_GROUPS + 16 * g, key[r]);   \
                o[r] = (uint8_t)(bin ^ 0x80);                                                        \
            }                                                                                        \
        }                                                                                            \
    }                                                                                                \
                                                                                                     \
    MCK_MULTIVERSION(static, bin_rows_##SUFFIX, bin_rows_body_##SUFFIX,                              \
                     (const mck_forest *f, const mck_forest_bins *b, const double *rows, size_t count, \
                      size_t stride, uint8_t *cols, SKEY *keys),                                     \
                     (f, b, rows, count, stride, cols, keys))                                        \
                                                                                                     \
    /* Adds each tree's leaf, tree by tree, to the sums of the block's first `count` rows. */        \
    MCK_INLINE void add_trees_body_##SUFFIX(const mck_forest *f, const mck_forest_bins *b,           \
                                            const uint8_t *cols, size_t count, REAL *sums) {         \
        for (size_t t = 0; t < f->n_trees; t++) {                                                    \
            u8v at[VECS] = {0};                                                                      \
            const uint32_t *split = b->split + 4 * (size_t)b->first[t];                              \
            if (f->heap[t]) walk_complete(split, f->depths[t], cols, at);                            \
            else walk(split, b->first[t + 1] - b->first[t], cols, at);                               \
            uint8_t leaf[BIN_BLOCK];                                                                 \
            memcpy(leaf, at, sizeof leaf);                                                           \
            const double *value = f->leaf_value + f->roots[t];                                       \
            for (size_t r = 0; r < count; r++) sums[r] += (REAL)value[leaf[r]];                      \
        }                                                                                            \
    }                                                                                                \
    MCK_MULTIVERSION(static, add_trees_##SUFFIX, add_trees_body_##SUFFIX,                            \
                     (const mck_forest *f, const mck_forest_bins *b, const uint8_t *cols,            \
                      size_t count, REAL *sums),                                                     \
                     (f, b, cols, count, sums))                                                      \
                                                                                                     \
    static void margins_##SUFFIX(const mck_forest *f, const mck_forest_bins *b, const double *rows,  \
                                 size_t n, size_t stride, double *out, uint8_t *cols, SKEY *keys) {  \
        REAL sums[BIN_BLOCK];                                                                        \
        for (size_t start = 0; start < n; start += BIN_BLOCK) {                                      \
            size_t count = n - start < BIN_BLOCK ? n - start : BIN_BLOCK;                            \
            bin_rows_##SUFFIX(f, b, rows + start * stride, count, stride, cols, keys);               \
            for (size_t r = 0; r < count; r++) sums[r] = (REAL)f->base_score;                        \
            add_trees_##SUFFIX(f, b, cols, count, sums);                                             \
            for (size_t r = 0; r < count; r++) out[start + r] = (double)sums[r];                     \
        }                                                                                            \
    }

DEFINE_BINNED(f64, double, uint64_t, int64_t)
DEFINE_BINNED(f32, float, uint32_t, int32_t)

/* The keys of a block (8 bytes each at most), then its bins. */
size_t mck_binned_scratch_bytes(const mck_forest_bins *bins) { return bins->n_columns * BIN_BLOCK * 9; }

void mck_binned_margins(const mck_forest *f, const mck_forest_bins *bins, const double *rows, size_t n,
                        size_t stride, double *out, void *scratch) {
    uint8_t *cols = (uint8_t *)scratch + bins->n_columns * BIN_BLOCK * 8;
    if (f->f32) margins_f32(f, bins, rows, n, stride, out, cols, (int32_t *)scratch);
    else margins_f64(f, bins, rows, n, stride, out, cols, (int64_t *)scratch);
}

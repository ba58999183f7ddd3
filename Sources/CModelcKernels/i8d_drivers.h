/* The int8-dynamic drivers, included by matmul_i8d.c once per layout and tile: I8D_TILE (the tile),
 * I8D_ATTR (the functions' target attribute) and I8D_SUFFIX name them, so each copy inlines its
 * own tile (an AVX2 tile may only be inlined into an AVX2 function); I8D_WEIGHT is the packed
 * weight type, I8D_UNITS(cols) the weight groups of a row (quads or pairs) and I8D_STRIDE(units)
 * the words of a quantised row in scratch, its scale in the last. */
#define I8D_CAT(a, b) a##_##b
#define I8D_CAT2(a, b) I8D_CAT(a, b)
#define I8D_NAME(base) I8D_CAT2(base, I8D_SUFFIX)

/* Every row and panel of the quantised rows in scratch (blocked as matmul_float blocks them, the
 * remainders one panel or row at a time: fewer tile copies, as this file is compiled for four
 * instruction sets and two layouts), then the rows that could not be quantised: the bias for an all-zero row, NaN for a
 * non-finite one. */
static I8D_ATTR void I8D_NAME(matmul_i8d)(const I8D_WEIGHT *packed, const float *scales, size_t rows, size_t cols,
                           size_t n, const float *bias, float *y, const int32_t *scratch) {
    const size_t units = I8D_UNITS(cols), stride = I8D_STRIDE(units), panels = panels_of(rows);
    if (n == 1) {
        size_t p = 0;
        for (; p + PANEL_BLOCK <= panels; p += PANEL_BLOCK) I8D_TILE(packed, rows, units, scratch, p, 1, PANEL_BLOCK, scales, bias, y + p * PANEL, rows);
        for (; p < panels; p++) I8D_TILE(packed, rows, units, scratch, p, 1, 1, scales, bias, y + p * PANEL, rows);
    } else {
        for (size_t p = 0; p < panels; p++) {
            size_t j = 0;
            for (; j + I8D_ROW_BLOCK <= n; j += I8D_ROW_BLOCK)
                I8D_TILE(packed, rows, units, scratch + j * stride, p, I8D_ROW_BLOCK, 1, scales, bias, y + j * rows + p * PANEL, rows);
            for (; j < n; j++) I8D_TILE(packed, rows, units, scratch + j * stride, p, 1, 1, scales, bias, y + j * rows + p * PANEL, rows);
        }
    }
    for (size_t j = 0; j < n; j++) {
        float s;
        memcpy(&s, scratch + j * stride + stride - 1, sizeof s);
        if (s == 0 || s != s)
            for (size_t o = 0; o < rows; o++) y[j * rows + o] = s != s ? NAN : (bias ? bias[o] : 0.0f);
    }
}

/* n LSTM steps over the quantised rows in scratch, tiled as lstm_rows_float tiles them. */
MCK_INLINE I8D_ATTR void I8D_NAME(lstm_rows_body)(const I8D_WEIGHT *packed, const float *scales, size_t hidden, size_t n,
                               const float *u, size_t ustride, float *c, float *h_next, size_t nstride, float *z,
                               const int32_t *scratch) {
    const size_t units = I8D_UNITS(hidden), stride = I8D_STRIDE(units);
    for (size_t unit = 0; unit < hidden; unit += CELL_UNITS) {
        const size_t count = hidden - unit < CELL_UNITS ? hidden - unit : CELL_UNITS;
        for (size_t group = unit; group < unit + count; group += PANEL)
            for (size_t j = 0; j < n; j++) {
                float *zg = z + j * 4 * CELL_UNITS + 4 * (group - unit);
                I8D_TILE(packed, 4 * hidden, units, scratch + j * stride, group / 4, 1, 4, scales, u + j * ustride, zg, 0);
                /* The rows mck_matmul_i8d cannot quantise: the bias alone, or NaN. */
                float s;
                memcpy(&s, scratch + j * stride + stride - 1, sizeof s);
                if (s == 0 || s != s)
                    for (size_t o = 0; o < 4 * PANEL; o++) zg[o] = s != s ? NAN : u[j * ustride + 4 * group + o];
            }
        for (size_t j = 0; j < n; j++) mck_cell_groups(z + j * 4 * CELL_UNITS, count, c + j * hidden + unit, h_next + j * nstride + unit);
    }
}
static I8D_ATTR void I8D_NAME(lstm_rows_i8d)(const I8D_WEIGHT *packed, const float *scales, size_t hidden, size_t n,
                              const float *u, size_t ustride, float *c, float *h_next, size_t nstride, float *z,
                              const int32_t *scratch) {
    I8D_NAME(lstm_rows_body)(packed, scales, hidden, n, u, ustride, c, h_next, nstride, z, scratch);
}
/* The single step: the same body, compiled for n = 1. */
static I8D_ATTR void I8D_NAME(lstm_step_i8d)(const I8D_WEIGHT *packed, const float *scales, size_t hidden, const float *u,
                              float *c, float *h_next, const int32_t *scratch) {
    float z[4 * CELL_UNITS];
    I8D_NAME(lstm_rows_body)(packed, scales, hidden, 1, u, 0, c, h_next, 0, z, scratch);
}

#undef I8D_NAME
#undef I8D_CAT2
#undef I8D_CAT
#undef I8D_TILE
#undef I8D_ATTR
#undef I8D_SUFFIX

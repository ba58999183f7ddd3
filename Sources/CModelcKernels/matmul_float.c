/* Products in float arithmetic: f32 weights, and int8 weight-only ones (converted to float in the
 * tile, scaled per output after the sum). Layout and tiling: matmul_internal.h. */
#include "matmul_internal.h"

size_t mck_packed_count(size_t rows, size_t cols) { return panels_of(rows) * PANEL * cols; }
void mck_pack_f32(const float *w, size_t rows, size_t cols, float *packed) {
    memset(packed, 0, mck_packed_count(rows, cols) * sizeof *packed);
    for (size_t o = 0; o < rows; o++)
        for (size_t k = 0; k < cols; k++) packed[((o / PANEL) * cols + k) * PANEL + o % PANEL] = w[o * cols + k];
}

void mck_pack_i8(const int8_t *w, size_t rows, size_t cols, int8_t *packed) {
    memset(packed, 0, mck_packed_count(rows, cols));
    for (size_t o = 0; o < rows; o++)
        for (size_t k = 0; k < cols; k++) packed[((o / PANEL) * cols + k) * PANEL + o % PANEL] = w[o * cols + k];
}

/* Writes the 16 sums of the panel starting at output o0: out[o] = sum * scale[o0 + o] (when
 * scales) + bias[o0 + o] (when bias), each operation rounded separately, outputs past `rows`
 * dropped. */
MCK_INLINE void finish_panel(const float *sums, size_t o0, size_t rows, const float *scales,
                             const float *bias, float *out) {
    const size_t width = rows - o0 < PANEL ? rows - o0 : PANEL;
    for (size_t o = 0; o < width; o++) {
        float v = sums[o];
        if (scales) v = v * scales[o0 + o];
        if (bias) v = v + bias[o0 + o];
        out[o] = v;
    }
}

/* J rows x P panels of f32 (INT8 = 0) or int8 weight-only (INT8 = 1) weights; row j's outputs
 * of panel p go to out[j * stride + p * 16 ...]. */
MCK_INLINE void tile_float(const void *w, int INT8, size_t rows, size_t cols, const float *restrict x,
                           size_t panel0, int J, int P, const float *scales, const float *bias,
                           float *out, size_t stride) {
    v8f acc[ROW_BLOCK][PANEL_BLOCK][2];
    for (int j = 0; j < J; j++)
        for (int p = 0; p < P; p++) acc[j][p][0] = acc[j][p][1] = (v8f){0};
    for (size_t k = 0; k < cols; k++) {
        v8f wv[PANEL_BLOCK][2];
        for (int p = 0; p < P; p++)
            for (int h = 0; h < 2; h++) {
                const size_t at = ((panel0 + p) * cols + k) * PANEL + 8 * h;
                if (INT8) {
                    v8b q;
                    memcpy(&q, (const int8_t *)w + at, sizeof q);
                    wv[p][h] = __builtin_convertvector(q, v8f);
                } else {
                    memcpy(&wv[p][h], (const float *)w + at, sizeof wv[p][h]);
                }
            }
        for (int j = 0; j < J; j++) {
            const float s = x[j * cols + k];
            const v8f xv = {s, s, s, s, s, s, s, s};
            for (int p = 0; p < P; p++) {
                acc[j][p][0] = acc[j][p][0] + wv[p][0] * xv;
                acc[j][p][1] = acc[j][p][1] + wv[p][1] * xv;
            }
        }
    }
    for (int j = 0; j < J; j++)
        for (int p = 0; p < P; p++) {
            float sums[PANEL];
            memcpy(sums, &acc[j][p][0], sizeof acc[j][p][0]);
            memcpy(sums + 8, &acc[j][p][1], sizeof acc[j][p][1]);
            finish_panel(sums, (panel0 + p) * PANEL, rows, scales, bias, out + j * stride + p * PANEL);
        }
}

/* Every row and panel: row blocks of ROW_BLOCK over one panel for batches, panel blocks of
 * PANEL_BLOCK for a single row. The switches give each remainder its own unrolled tile. */
MCK_INLINE void matmul_float(const void *w, int INT8, size_t rows, size_t cols, const float *x, size_t n,
                             const float *scales, const float *bias, float *y) {
    const size_t panels = panels_of(rows);
    if (n == 1) {
        size_t p = 0;
        for (; p + PANEL_BLOCK <= panels; p += PANEL_BLOCK) tile_float(w, INT8, rows, cols, x, p, 1, PANEL_BLOCK, scales, bias, y + p * PANEL, rows);
        switch (panels - p) {
        case 3: tile_float(w, INT8, rows, cols, x, p, 1, 3, scales, bias, y + p * PANEL, rows); break;
        case 2: tile_float(w, INT8, rows, cols, x, p, 1, 2, scales, bias, y + p * PANEL, rows); break;
        case 1: tile_float(w, INT8, rows, cols, x, p, 1, 1, scales, bias, y + p * PANEL, rows); break;
        }
        return;
    }
    for (size_t p = 0; p < panels; p++) {
        size_t j = 0;
        for (; j + ROW_BLOCK <= n; j += ROW_BLOCK)
            tile_float(w, INT8, rows, cols, x + j * cols, p, ROW_BLOCK, 1, scales, bias, y + j * rows + p * PANEL, rows);
        const float *xr = x + j * cols;
        float *yr = y + j * rows;
        switch (n - j) {
        case 5: tile_float(w, INT8, rows, cols, xr, p, 5, 1, scales, bias, yr + p * PANEL, rows); break;
        case 4: tile_float(w, INT8, rows, cols, xr, p, 4, 1, scales, bias, yr + p * PANEL, rows); break;
        case 3: tile_float(w, INT8, rows, cols, xr, p, 3, 1, scales, bias, yr + p * PANEL, rows); break;
        case 2: tile_float(w, INT8, rows, cols, xr, p, 2, 1, scales, bias, yr + p * PANEL, rows); break;
        case 1: tile_float(w, INT8, rows, cols, xr, p, 1, 1, scales, bias, yr + p * PANEL, rows); break;
        }
    }
}

MCK_INLINE void matmul_f32(const float *packed, size_t rows, size_t cols, const float *x, size_t n, const float *bias,
                           float *y) {
    matmul_float(packed, 0, rows, cols, x, n, NULL, bias, y);
}
MCK_MULTIVERSION(extern, mck_matmul_f32, matmul_f32,
                 (const float *packed, size_t rows, size_t cols, const float *x, size_t n, const float *bias, float *y),
                 (packed, rows, cols, x, n, bias, y))

MCK_INLINE void matmul_i8w(const int8_t *packed, const float *scales, size_t rows, size_t cols, const float *x,
                           size_t n, const float *bias, float *y) {
    matmul_float(packed, 1, rows, cols, x, n, scales, bias, y);
}
MCK_MULTIVERSION(extern, mck_matmul_i8w, matmul_i8w,
                 (const int8_t *packed, const float *scales, size_t rows, size_t cols, const float *x, size_t n,
                  const float *bias, float *y),
                 (packed, scales, rows, cols, x, n, bias, y))

/* n LSTM steps at once, one per row (a window each; mck_lstm_step_* is n = 1), in the grouped
 * gate order: each group of 4 panels holds the i, f, g and o rows of 16 units, so one tile
 * computes every gate of a row's units. Per CELL_UNITS units: each group's tile for every row
 * (the group's panels stay in cache while the rows pass over them), then each row's cell over
 * all of them (its vectors overlap). Row j reads h_prev[j * hstride ...] and u[j * ustride ...],
 * updates c[j * hidden ...] and writes h_next[j * nstride ...]. */
MCK_INLINE void lstm_rows_float(const void *w, int INT8, const float *scales, size_t hidden, size_t n,
                                const float *h_prev, size_t hstride, const float *u, size_t ustride, float *c,
                                float *h_next, size_t nstride, float *z) {
    for (size_t unit = 0; unit < hidden; unit += CELL_UNITS) {
        const size_t count = hidden - unit < CELL_UNITS ? hidden - unit : CELL_UNITS;
        for (size_t group = unit; group < unit + count; group += PANEL)
            for (size_t j = 0; j < n; j++)
                tile_float(w, INT8, 4 * hidden, hidden, h_prev + j * hstride, group / 4, 1, 4, scales, u + j * ustride,
                           z + j * 4 * CELL_UNITS + 4 * (group - unit), 0);
        for (size_t j = 0; j < n; j++) mck_cell_groups(z + j * 4 * CELL_UNITS, count, c + j * hidden + unit, h_next + j * nstride + unit);
    }
}
MCK_INLINE void lstm_rows_f32(const float *packed, size_t hidden, size_t n, const float *h_prev, size_t hstride,
                              const float *u, size_t ustride, float *c, float *h_next, size_t nstride, float *z) {
    lstm_rows_float(packed, 0, NULL, hidden, n, h_prev, hstride, u, ustride, c, h_next, nstride, z);
}
MCK_MULTIVERSION(extern, mck_lstm_rows_f32, lstm_rows_f32,
                 (const float *packed, size_t hidden, size_t n, const float *h_prev, size_t hstride, const float *u,
                  size_t ustride, float *c, float *h_next, size_t nstride, float *z),
                 (packed, hidden, n, h_prev, hstride, u, ustride, c, h_next, nstride, z))
MCK_INLINE void lstm_rows_i8w(const int8_t *packed, const float *scales, size_t hidden, size_t n, const float *h_prev,
                              size_t hstride, const float *u, size_t ustride, float *c, float *h_next, size_t nstride,
                              float *z) {
    lstm_rows_float(packed, 1, scales, hidden, n, h_prev, hstride, u, ustride, c, h_next, nstride, z);
}
MCK_MULTIVERSION(extern, mck_lstm_rows_i8w, lstm_rows_i8w,
                 (const int8_t *packed, const float *scales, size_t hidden, size_t n, const float *h_prev, size_t hstride,
                  const float *u, size_t ustride, float *c, float *h_next, size_t nstride, float *z),
                 (packed, scales, hidden, n, h_prev, hstride, u, ustride, c, h_next, nstride, z))

/* The single step: the same body, compiled for n = 1 (5 % faster than the general loop). */
MCK_INLINE void lstm_step_f32(const float *packed, size_t hidden, const float *h_prev, const float *u, float *c,
                              float *h_next) {
    float z[4 * CELL_UNITS];
    lstm_rows_float(packed, 0, NULL, hidden, 1, h_prev, 0, u, 0, c, h_next, 0, z);
}
MCK_MULTIVERSION(extern, mck_lstm_step_f32, lstm_step_f32,
                 (const float *packed, size_t hidden, const float *h_prev, const float *u, float *c, float *h_next),
                 (packed, hidden, h_prev, u, c, h_next))
MCK_INLINE void lstm_step_i8w(const int8_t *packed, const float *scales, size_t hidden, const float *h_prev,
                              const float *u, float *c, float *h_next) {
    float z[4 * CELL_UNITS];
    lstm_rows_float(packed, 1, scales, hidden, 1, h_prev, 0, u, 0, c, h_next, 0, z);
}
MCK_MULTIVERSION(extern, mck_lstm_step_i8w, lstm_step_i8w,
                 (const int8_t *packed, const float *scales, size_t hidden, const float *h_prev, const float *u, float *c,
                  float *h_next),
                 (packed, scales, hidden, h_prev, u, c, h_next))

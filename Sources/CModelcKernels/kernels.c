/* Activations and the LSTM cell update (matrix products are in matmul_float.c and matmul_i8d.c). */
#include "modelc_kernels.h"

#include "activations.h"
#include "multiversion.h"
#include "matmul_internal.h"

float mck_expf(float x) { return expf_core(x); }
float mck_cell_expf(float x) { return cell_exp(x); }

float mck_sigmoidf(float x) { return sigmoid_core(x); }
float mck_tanhf(float x) { return tanh_core(x); }

MCK_INLINE void sigmoid_n(float *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = sigmoid_core(x[i]);
}
MCK_MULTIVERSION(extern, mck_sigmoid_n, sigmoid_n, (float *x, size_t n), (x, n))

MCK_INLINE void tanh_n(float *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = tanh_core(x[i]);
}
MCK_MULTIVERSION(extern, mck_tanh_n, tanh_n, (float *x, size_t n), (x, n))

MCK_INLINE void lstm_cell(const float *z, float *c, float *h, size_t hidden) {
    lstm_cell_update(z, z + hidden, z + 2 * hidden, z + 3 * hidden, c, h, hidden);
}
MCK_MULTIVERSION(extern, mck_lstm_cell, lstm_cell, (const float *z, float *c, float *h, size_t hidden), (z, c, h, hidden))

/* Moved into one array per gate first, then lstm_cell_update over all of them at once. */
MCK_INLINE void cell_groups(const float *z, size_t count, float *c, float *h) {
    float gates[4][CELL_UNITS];
    for (size_t g = 0; g < count / PANEL; g++)
        for (int gate = 0; gate < 4; gate++) memcpy(gates[gate] + g * PANEL, z + (4 * g + gate) * PANEL, PANEL * sizeof *z);
    lstm_cell_update(gates[0], gates[1], gates[2], gates[3], c, h, count);
}
MCK_MULTIVERSION(extern, mck_cell_groups, cell_groups, (const float *z, size_t count, float *c, float *h), (z, count, c, h))

/* Activations and the LSTM cell update (matrix products are in matmul.c). */
#include "modelc_kernels.h"

#include "activations.h"
#include "multiversion.h"

float mck_expf(float x) { return expf_core(x); }
float mck_cell_expf(float x) { return cell_exp(x); }

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
    lstm_cell_update(z, z + hidden, z + 2 * hidden, z + 3 * hidden, c, h, hidden);
}

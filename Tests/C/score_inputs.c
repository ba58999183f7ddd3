/* Scores precomputed inputs through the C ABI and prints each probability's bits, one per line,
 * as 16 hex digits (the golden-vector format of Tests/Golden).
 * Usage: score_inputs ARTIFACT COMPONENT INPUTS.f64
 * INPUTS.f64 holds little-endian doubles: N x window x input_count. */
#include "modelc.h"
#include "read_file.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s ARTIFACT COMPONENT INPUTS.f64\n", argv[0]); return 2; }
    char err[512];
    size_t n;
    uint8_t *bytes = read_file(argv[1], &n);
    mc_model *model = NULL;
    if (mc_model_open_bytes(bytes, n, &model, err, sizeof err) != MC_OK) { fprintf(stderr, "%s: %s\n", argv[1], err); return 1; }
    free(bytes);
    int32_t c = mc_component_index(model, argv[2]);
    if (c < 0) { fprintf(stderr, "no component '%s'\n", argv[2]); return 1; }
    size_t per = (size_t)mc_component_window(model, c) * (size_t)mc_component_input_count(model, c);
    double *inputs = (double *)read_file(argv[3], &n);
    size_t rows = n / (per * sizeof(double));
    if (rows * per * sizeof(double) != n) { fprintf(stderr, "%s: %zu bytes is not a whole number of %zu-value inputs\n", argv[3], n, per); return 1; }
    double *p = malloc(rows * sizeof(double));
    if (mc_score_inputs(model, c, inputs, rows, p, err, sizeof err) != MC_OK) { fprintf(stderr, "score: %s\n", err); return 1; }
    for (size_t i = 0; i < rows; i++) {
        uint64_t bits;
        memcpy(&bits, &p[i], sizeof bits);
        printf("%016" PRIx64 "\n", bits);
    }
    free(p);
    free(inputs);
    mc_model_free(model);
    return 0;
}

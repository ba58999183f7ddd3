/* Tree scoring through the C ABI (one thread): the modelc side of Tools/bench/trees_predict.py.
 * Usage: trees_score ARTIFACT COMPONENT ROWS.f64 NROWS SECONDS
 * ROWS.f64 holds NROWS rows of the component's input width (float64, row-major).
 * batch: one mc_score_inputs call over all NROWS rows, best of three, in ns per row;
 * single: mc_score_inputs on one row at a time, cycling through the rows, for SECONDS seconds,
 *         in ns per call. Also checks that both give the same probabilities bit for bit.
 * Prints one JSON object. */
#define _POSIX_C_SOURCE 199309L
#include "modelc.h"
#include "read_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: %s ARTIFACT COMPONENT ROWS.f64 NROWS SECONDS\n", argv[0]); return 2; }
    char err[512];
    size_t n;
    uint8_t *bytes = read_file(argv[1], &n);
    mc_model *model = NULL;
    if (mc_model_open_bytes(bytes, n, &model, err, sizeof err) != MC_OK) { fprintf(stderr, "%s\n", err); return 1; }
    int32_t c = mc_component_index(model, argv[2]);
    size_t width = (size_t)mc_component_input_count(model, c);
    double *rows = (double *)read_file(argv[3], &n);
    size_t count = (size_t)atol(argv[4]);
    double seconds = atof(argv[5]);
    if (width == 0 || n != count * width * sizeof(double)) { fprintf(stderr, "rows do not match width %zu\n", width); return 2; }
    double *batch = malloc(sizeof(double) * count);

    double best = 1e30;
    for (int r = 0; r < 3; r++) {
        double start = now();
        if (mc_score_inputs(model, c, rows, count, batch, err, sizeof err) != MC_OK) { fprintf(stderr, "%s\n", err); return 1; }
        double elapsed = now() - start;
        if (elapsed < best) best = elapsed;
    }

    long calls = 0, mismatches = 0;
    double start = now(), elapsed, p;
    do {
        for (size_t i = 0; i < count && i < 1000; i++) {
            if (mc_score_inputs(model, c, rows + i * width, 1, &p, err, sizeof err) != MC_OK) { fprintf(stderr, "%s\n", err); return 1; }
            if (memcmp(&p, &batch[i], sizeof p) != 0) mismatches++;
            calls++;
        }
        elapsed = now() - start;
    } while (elapsed < seconds);

    printf("{\"batch_ns_per_row\": %.2f, \"single_ns\": %.2f, \"single_calls\": %ld, \"single_equals_batch\": %s}\n",
           best / (double)count * 1e9, elapsed / (double)calls * 1e9, calls, mismatches ? "false" : "true");
    mc_model_free(model);
    return 0;
}

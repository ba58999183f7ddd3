/* Tree scoring through the C ABI (one thread): the modelc side of Tools/bench/trees_predict.py.
 * Usage: trees_score ARTIFACT COMPONENT ROWS.f64 NROWS SECONDS
 * ROWS.f64 holds NROWS rows of the component's input width (float64, row-major).
 * batch: one mc_score_inputs call over all NROWS rows, best of three, in ns per row;
 * single: mc_score_inputs on one row at a time, cycling through the first 1000 rows, for SECONDS
 *         seconds, in ns per call. Also checks that both give the same probabilities bit for bit.
 * Times are wall-clock and process CPU time.
 * Prints one JSON object. */
#define _POSIX_C_SOURCE 199309L
#include "modelc.h"
#include "read_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_s(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Wall-clock and process CPU seconds (CPU time leaves out what other jobs on a shared machine
 * take from this process; both are reported). */
typedef struct { double wall, cpu; } stamp;
static stamp now(void) { return (stamp){clock_s(CLOCK_MONOTONIC), clock_s(CLOCK_PROCESS_CPUTIME_ID)}; }
static stamp since(stamp a) { stamp b = now(); return (stamp){b.wall - a.wall, b.cpu - a.cpu}; }

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

    stamp best = {1e30, 1e30};
    for (int r = 0; r < 3; r++) {
        stamp start = now();
        if (mc_score_inputs(model, c, rows, count, batch, err, sizeof err) != MC_OK) { fprintf(stderr, "%s\n", err); return 1; }
        stamp elapsed = since(start);
        if (elapsed.wall < best.wall) best.wall = elapsed.wall;
        if (elapsed.cpu < best.cpu) best.cpu = elapsed.cpu;
    }

    long calls = 0, mismatches = 0;
    stamp start = now(), elapsed;
    double p;
    do {
        for (size_t i = 0; i < count && i < 1000; i++) {
            if (mc_score_inputs(model, c, rows + i * width, 1, &p, err, sizeof err) != MC_OK) { fprintf(stderr, "%s\n", err); return 1; }
            if (memcmp(&p, &batch[i], sizeof p) != 0) mismatches++;
            calls++;
        }
        elapsed = since(start);
    } while (elapsed.wall < seconds);

    printf("{\"batch\": {\"wall\": %.2f, \"cpu\": %.2f}, \"single\": {\"wall\": %.2f, \"cpu\": %.2f}, "
           "\"single_equals_batch\": %s}\n", best.wall / (double)count * 1e9, best.cpu / (double)count * 1e9,
           elapsed.wall / (double)calls * 1e9, elapsed.cpu / (double)calls * 1e9, mismatches ? "false" : "true");
    mc_model_free(model);
    return 0;
}

/* Times one call scoring BATCH windows of a component through the C ABI (one thread): the
 * runtime side of Tools/bench/runtime.sh.
 * Usage: score_latency ARTIFACT COMPONENT INPUTS.f64 REPEATS [BATCH]  (INPUTS holds BATCH windows)
 * Prints the median and minimum microseconds per call over REPEATS blocks of 1 s or more, in
 * wall-clock time and in this thread's CPU time (which other processes on a busy machine do
 * not inflate). */
#define _POSIX_C_SOURCE 199309L
#include "modelc.h"
#include "read_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) { fprintf(stderr, "usage: %s ARTIFACT COMPONENT INPUTS.f64 REPEATS [BATCH]\n", argv[0]); return 2; }
    char err[512];
    size_t n;
    uint8_t *bytes = read_file(argv[1], &n);
    mc_model *model = NULL;
    double t0 = seconds(CLOCK_MONOTONIC);
    if (mc_model_open_bytes(bytes, n, &model, err, sizeof err) != MC_OK) { fprintf(stderr, "%s\n", err); return 1; }
    double load = seconds(CLOCK_MONOTONIC) - t0;
    int32_t c = mc_component_index(model, argv[2]);
    double *inputs = (double *)read_file(argv[3], &n);
    int repeats = atoi(argv[4]);
    const size_t batch = argc == 6 ? (size_t)atol(argv[5]) : 1;
    double *wall = malloc(sizeof(double) * (size_t)repeats), *cpu = malloc(sizeof(double) * (size_t)repeats);
    double *p = malloc(sizeof(double) * batch);
    for (int r = 0; r < repeats; r++) {
        long iterations = 0;
        double start = seconds(CLOCK_MONOTONIC), cpu_start = seconds(CLOCK_THREAD_CPUTIME_ID), elapsed;
        do {
            if (mc_score_inputs(model, c, inputs, batch, p, err, sizeof err) != MC_OK) { fprintf(stderr, "%s\n", err); return 1; }
            iterations++;
            elapsed = seconds(CLOCK_MONOTONIC) - start;
        } while (elapsed < 1.0);
        wall[r] = elapsed / (double)iterations * 1e6;
        cpu[r] = (seconds(CLOCK_THREAD_CPUTIME_ID) - cpu_start) / (double)iterations * 1e6;
    }
    qsort(wall, (size_t)repeats, sizeof(double), compare);
    qsort(cpu, (size_t)repeats, sizeof(double), compare);
    printf("load_ms %.3f median_us %.1f min_us %.1f cpu_median_us %.1f cpu_min_us %.1f p %.9f\n", load * 1e3,
           wall[repeats / 2], wall[0], cpu[repeats / 2], cpu[0], p[0]);
    mc_model_free(model);
    return 0;
}

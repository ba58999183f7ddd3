/* Times pushing candles through the C ABI one mc_stream_push at a time (one thread): the C side of
 * Tools/bench/python_batch.py. CANDLES.bin holds mc_candle records; a timestamp not after the
 * previous one starts the next symbol, which gets a fresh stream (as Model.score_frame does).
 * Usage: stream_push ARTIFACT CANDLES.bin REPEATS
 * Prints the median and minimum milliseconds per pass over all candles, in this thread's CPU time. */
#define _POSIX_C_SOURCE 199309L
#include "modelc.h"
#include "read_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s ARTIFACT CANDLES.bin REPEATS\n", argv[0]); return 2; }
    size_t length, candle_bytes;
    uint8_t *bytes = read_file(argv[1], &length);
    const mc_candle *candles = (const mc_candle *)read_file(argv[2], &candle_bytes);
    const size_t count = candle_bytes / sizeof *candles;
    const int repeats = atoi(argv[3]);
    char err[512];
    mc_model *model = NULL;
    if (mc_model_open_bytes(bytes, length, &model, err, sizeof err) != MC_OK) { fprintf(stderr, "%s\n", err); return 1; }
    double *ms = calloc((size_t)repeats, sizeof *ms);
    for (int r = 0; r < repeats; r++) {
        const double start = cpu_seconds();
        mc_stream *stream = NULL;
        mc_score score;
        for (size_t i = 0; i < count; i++) {
            if (i == 0 || candles[i].timestamp <= candles[i - 1].timestamp) {
                mc_stream_free(stream);
                if (mc_stream_create(model, &stream, err, sizeof err) != MC_OK) { fprintf(stderr, "%s\n", err); return 1; }
            }
            if (mc_stream_push(stream, &candles[i], &score, err, sizeof err) != MC_OK) { fprintf(stderr, "candle %zu: %s\n", i, err); return 1; }
        }
        mc_stream_free(stream);
        ms[r] = (cpu_seconds() - start) * 1e3;
    }
    qsort(ms, (size_t)repeats, sizeof *ms, compare);
    printf("%zu candles: median %.2f ms, min %.2f ms (thread CPU)\n", count, ms[repeats / 2], ms[0]);
    return 0;
}

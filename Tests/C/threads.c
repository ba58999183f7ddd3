/* One model shared by 8 threads, each scoring its own stream (modelc.h: a model may be shared,
 * a stream belongs to one thread). Run under ThreadSanitizer by Tools/sanitize.sh.
 * Usage: threads MODEL.modelc CANDLES.csv
 * Each thread streams its own slice of the candles; the scores must equal, bit for bit, those of
 * the same slices streamed one after another on the main thread. Prints "N passed, M failed". */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include "modelc.h"
#include "candle_line.h"
#include "read_file.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 8, PER_THREAD = 300 };

typedef struct {
    const mc_model *model;
    const mc_candle *candles;
    mc_score scores[PER_THREAD];
    int32_t rc;
} job;

static void *run(void *arg) {
    job *j = arg;
    char err[256];
    mc_stream *stream = NULL;
    j->rc = mc_stream_create(j->model, &stream, err, sizeof err);
    for (int i = 0; i < PER_THREAD && j->rc == MC_OK; i++) j->rc = mc_stream_push(stream, &j->candles[i], &j->scores[i], err, sizeof err);
    mc_stream_free(stream);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODEL CANDLES.csv\n", argv[0]); return 2; }
    size_t n;
    uint8_t *bytes = read_file(argv[1], &n);
    char err[256];
    mc_model *model = NULL;
    if (mc_model_open_bytes(bytes, n, &model, err, sizeof err) != MC_OK) { fprintf(stderr, "%s\n", err); return 1; }
    free(bytes);

    /* The CSV's last THREADS * PER_THREAD rows (timestamp,open,high,low,close,volume; ISO-8601 UTC times). */
    FILE *csv = fopen(argv[2], "r");
    if (!csv) { perror(argv[2]); return 2; }
    enum { TOTAL = THREADS * PER_THREAD };
    static mc_candle ring[TOTAL];
    size_t rows = 0;
    char line[512];
    if (!fgets(line, sizeof line, csv)) return 2;
    while (fgets(line, sizeof line, csv)) {
        mc_candle c;
        if (parse_candle_line(line, &c)) ring[rows++ % TOTAL] = c;
    }
    fclose(csv);
    if (rows < TOTAL) { fprintf(stderr, "need %d candles, got %zu\n", TOTAL, rows); return 2; }
    static mc_candle candles[TOTAL];
    for (size_t i = 0; i < TOTAL; i++) candles[i] = ring[(rows + i) % TOTAL];

    static job parallel[THREADS], serial[THREADS];
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        parallel[t] = (job){.model = model, .candles = candles + t * PER_THREAD};
        serial[t] = parallel[t];
        pthread_create(&threads[t], NULL, run, &parallel[t]);
    }
    for (int t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);
    for (int t = 0; t < THREADS; t++) run(&serial[t]);

    int passed = 0, failed = 0, ready = 0;
    for (int t = 0; t < THREADS; t++) {
        int same = parallel[t].rc == MC_OK && serial[t].rc == MC_OK
                   && memcmp(parallel[t].scores, serial[t].scores, sizeof parallel[t].scores) == 0;
        for (int i = 0; i < PER_THREAD; i++) ready += parallel[t].scores[i].ready;
        if (same) passed++;
        else { failed++; printf("FAIL: thread %d differs from the serial run (rc %d / %d)\n", t, parallel[t].rc, serial[t].rc); }
    }
    if (ready == 0) { failed++; printf("FAIL: no thread produced a ready score\n"); }
    mc_model_free(model);
    printf("threads: %d streams on one model, %d ready scores; %d passed, %d failed\n", THREADS, ready, passed, failed);
    return failed == 0 ? 0 : 1;
}

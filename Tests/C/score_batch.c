/* mc_score_batch gives every stream the score, component probabilities and state that pushing
 * its candle alone gives (Spec.md §4.7), while it scores the windows of one model's streams
 * together. Streams of every model given are pushed side by side: set A one candle at a time
 * with mc_stream_push, set B with one mc_score_batch per round over all of them (models mixed
 * in one call); some rounds list a stream twice (its second candle must see the first one
 * scored) or in another order, and one round holds a refused candle (the streams before it are
 * scored, the ones after it untouched, the error names its index).
 * Usage: score_batch CANDLES.csv MODEL.modelc... Prints "N passed, M failed". */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include "modelc.h"
#include "candle_line.h"
#include "read_file.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_CANDLES = 2000, PER_MODEL = 5, MAX_MODELS = 8, ROUNDS = 220, OFFSET = 13 };

static int passed, failed;

/* 1 when stream a and b hold the same scores: the score structs byte for byte and every
 * component's last probability bit for bit. */
static int same(const mc_score *x, const mc_score *y, const mc_stream *a, const mc_stream *b, int32_t components) {
    if (memcmp(x, y, sizeof *x) != 0) return 0;
    for (int32_t c = 0; c < components; c++) {
        double p = mc_stream_component_probability(a, c), q = mc_stream_component_probability(b, c);
        if (memcmp(&p, &q, sizeof p) != 0) return 0;
    }
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc - 2 > MAX_MODELS) { fprintf(stderr, "usage: %s CANDLES.csv MODEL.modelc...\n", argv[0]); return 2; }
    static mc_candle candles[MAX_CANDLES];
    const size_t rows = read_candles(argv[1], candles, MAX_CANDLES);
    const int models = argc - 2, n = models * PER_MODEL;
    if (rows < ROUNDS * 2 + OFFSET * PER_MODEL) { fprintf(stderr, "%s: too few candles\n", argv[1]); return 2; }
    char err[512];
    mc_model *model[MAX_MODELS];
    mc_stream *a[MAX_MODELS * PER_MODEL], *b[MAX_MODELS * PER_MODEL];
    int32_t components[MAX_MODELS * PER_MODEL];
    size_t next[MAX_MODELS * PER_MODEL];  /* each stream's next candle */
    for (int m = 0; m < models; m++) {
        size_t length;
        uint8_t *bytes = read_file(argv[m + 2], &length);
        if (mc_model_open_bytes(bytes, length, &model[m], err, sizeof err) != MC_OK) { fprintf(stderr, "%s: %s\n", argv[m + 2], err); return 1; }
        free(bytes);
        for (int k = 0; k < PER_MODEL; k++) {
            const int s = m * PER_MODEL + k;
            if (mc_stream_create(model[m], &a[s], err, sizeof err) != MC_OK || mc_stream_create(model[m], &b[s], err, sizeof err) != MC_OK) {
                fprintf(stderr, "%s\n", err);
                return 1;
            }
            components[s] = mc_model_component_count(model[m]);
            next[s] = (size_t)k * OFFSET;
        }
    }
    /* Rounds list streams by index: all in order, or (every 7th round) reversed with streams 0
     * and 3 of each model listed twice. Round 150 refuses one candle mid-list. */
    int list[2 * MAX_MODELS * PER_MODEL];
    mc_stream *batch[2 * MAX_MODELS * PER_MODEL];
    mc_candle given[2 * MAX_MODELS * PER_MODEL];
    mc_score seq[2 * MAX_MODELS * PER_MODEL], together[2 * MAX_MODELS * PER_MODEL];
    int mismatches = 0, scored = 0, exercised[MAX_MODELS] = {0};  /* per model: pushes with a component scored */
    for (int round = 0; round < ROUNDS; round++) {
        int len = 0;
        if (round % 7 == 3) {
            for (int s = n - 1; s >= 0; s--) {
                list[len++] = s;
                if (s % PER_MODEL == 0 || s % PER_MODEL == 3) list[len++] = s;
            }
        } else {
            for (int s = 0; s < n; s++) list[len++] = s;
        }
        size_t cursor[MAX_MODELS * PER_MODEL];
        memcpy(cursor, next, sizeof cursor);
        for (int e = 0; e < len; e++) {
            given[e] = candles[cursor[list[e]]++];
            batch[e] = b[list[e]];
        }
        const int refused = round == 150 ? len / 2 : -1;
        if (refused >= 0) given[refused].high = given[refused].low - 1;  /* an invalid candle */
        /* Set A: one push at a time, stopping at the refused candle. */
        int pushed = 0;
        for (; pushed < len; pushed++) {
            if (mc_stream_push(a[list[pushed]], &given[pushed], &seq[pushed], err, sizeof err) != MC_OK) break;
        }
        int32_t rc = mc_score_batch((mc_stream *const *)batch, given, (size_t)len, together, err, sizeof err);
        if (refused >= 0) {
            char expected[32];
            snprintf(expected, sizeof expected, "stream %d:", refused);
            if (pushed != refused || rc == MC_OK || !strstr(err, expected)) {
                failed++;
                printf("FAIL: round %d: the refused candle at %d: pushes stopped at %d, batch rc %d '%s'\n", round, refused, pushed, rc, err);
            } else {
                passed++;
                printf("ok: a refused candle stops the batch at its stream, named: %s\n", err);
            }
        } else if (rc != MC_OK) {
            failed++;
            printf("FAIL: round %d: mc_score_batch: %s\n", round, err);
            break;
        }
        for (int e = 0; e < pushed; e++) {
            if (!same(&seq[e], &together[e], a[list[e]], b[list[e]], components[list[e]])) {
                if (mismatches++ < 5) printf("FAIL: round %d, entry %d (stream %d): batch and push differ\n", round, e, list[e]);
            }
            /* Exercised: a component scored (a model without a blend is never `ready`). */
            int any = 0;
            for (int32_t c = 0; c < components[list[e]]; c++) any |= !isnan(mc_stream_component_probability(a[list[e]], c));
            scored += any;
            exercised[list[e] / PER_MODEL] += any;
        }
        for (int e = 0; e < pushed; e++) next[list[e]]++;
    }
    if (mismatches) failed++;
    else {
        passed++;
        printf("ok: %d models x %d streams, %d rounds: mc_score_batch equals one push at a time (%d pushes scored)\n", models,
               PER_MODEL, ROUNDS, scored);
    }
    for (int m = 0; m < models; m++)
        if (exercised[m] == 0) {
            failed++;
            printf("FAIL: no stream of %s scored a component: the comparison proved nothing for it\n", argv[m + 2]);
        }
    for (int s = 0; s < n; s++) {
        mc_stream_free(a[s]);
        mc_stream_free(b[s]);
    }
    for (int m = 0; m < models; m++) mc_model_free(model[m]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}

/* Scoring allocates nothing once warmed up (Spec.md §8, "Allocation"): this program replaces
 * malloc and its relatives (the runtime's calls resolve to these first), warms up two streams per
 * model with mc_score_batch until every component has scored and one mc_stream_push each, then
 * counts the allocations of
 * PUSHES candles pushed into each with mc_stream_push, then PUSHES more with mc_score_batch, then PUSHES
 * more into each with one mc_stream_push_many (scores and component probabilities), and of
 * mc_score_inputs on every component
 * (1 and INPUTS windows per call, after one uncounted call). Each must be 0.
 * Usage: no_alloc CANDLES.csv MODEL.modelc... Prints "N passed, M failed". */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include "modelc.h"
#include "candle_line.h"
#include "read_file.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* glibc's own allocator, which these wrappers forward to. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static int counting;
static size_t allocations;

void *malloc(size_t n) { allocations += counting; return __libc_malloc(n); }
void *calloc(size_t n, size_t size) { allocations += counting; return __libc_calloc(n, size); }
void *realloc(void *p, size_t n) { allocations += counting; return __libc_realloc(p, n); }
void *memalign(size_t alignment, size_t n) { allocations += counting; return __libc_memalign(alignment, n); }
void *aligned_alloc(size_t alignment, size_t n) { return memalign(alignment, n); }
int posix_memalign(void **out, size_t alignment, size_t n) {
    *out = memalign(alignment, n);
    return *out ? 0 : 12; /* ENOMEM */
}
void free(void *p) { allocations += counting && p; __libc_free(p); }

enum { MAX_CANDLES = 2000, PUSHES = 200, INPUTS = 64 };

static int passed, failed;

/* Records one check: `what` allocated `n` times. */
static void expect_none(const char *model, const char *what, size_t n) {
    if (n == 0) { passed++; printf("ok: %s: %s: 0 allocations\n", model, what); }
    else { failed++; printf("FAIL: %s: %s: %zu allocations or frees\n", model, what, n); }
}

static void start_counting(void) { allocations = 0; counting = 1; }
static size_t stop_counting(void) { counting = 0; return allocations; }

static int all_scored(const mc_stream *s, int32_t components) {
    for (int32_t c = 0; c < components; c++)
        if (isnan(mc_stream_component_probability(s, c))) return 0;
    return 1;
}

/* Pushes and batches on two streams of `model`. */
static void check_streams(const char *path, const mc_model *model, const mc_candle *candles, size_t rows) {
    char err[512];
    mc_stream *streams[2];
    for (int i = 0; i < 2; i++)
        if (mc_stream_create(model, &streams[i], err, sizeof err) != MC_OK) { fprintf(stderr, "%s: %s\n", path, err); exit(1); }
    const int32_t components = mc_model_component_count(model);
    mc_score scores[2];
    mc_candle pair[2];
    size_t i = 0;
    int32_t rc = MC_OK;
    /* Warm-up: until both streams have scored every component once. */
    for (; i < rows && rc == MC_OK && !(all_scored(streams[0], components) && all_scored(streams[1], components)); i++) {
        pair[0] = pair[1] = candles[i];
        rc = mc_score_batch(streams, pair, 2, scores, err, sizeof err);
    }
    /* A batch scores in the arena of its first stream of each model, a push in the stream's own:
     * one push each sizes the latter. */
    for (int s = 0; s < 2 && rc == MC_OK; s++) rc = mc_stream_push(streams[s], &candles[i], &scores[s], err, sizeof err);
    i++;
    if (rc != MC_OK || i + 3 * PUSHES > rows) { fprintf(stderr, "%s: warm-up failed after %zu candles: %s\n", path, i, rc ? err : "too few candles"); exit(1); }
    int ready = 0;
    start_counting();
    for (int k = 0; k < PUSHES && rc == MC_OK; k++, i++) {
        for (int s = 0; s < 2 && rc == MC_OK; s++) rc = mc_stream_push(streams[s], &candles[i], &scores[s], err, sizeof err);
        ready += rc == MC_OK && all_scored(streams[0], components) && all_scored(streams[1], components);
    }
    size_t n = stop_counting();
    if (rc != MC_OK || ready != PUSHES) { failed++; printf("FAIL: %s: mc_stream_push: rc %d, %d of %d scored: %s\n", path, rc, ready, PUSHES, err); }
    else expect_none(path, "mc_stream_push, 2 streams after their first score", n);
    start_counting();
    for (int k = 0; k < PUSHES && rc == MC_OK; k++, i++) {
        pair[0] = pair[1] = candles[i];
        rc = mc_score_batch(streams, pair, 2, scores, err, sizeof err);
    }
    n = stop_counting();
    if (rc != MC_OK) { failed++; printf("FAIL: %s: mc_score_batch: %s\n", path, err); }
    else expect_none(path, "mc_score_batch of the 2 streams", n);
    static mc_score many[PUSHES];
    static double probabilities[PUSHES * 64];
    if (components > 64) { fprintf(stderr, "%s: more than 64 components\n", path); exit(1); }
    start_counting();
    for (int s = 0; s < 2 && rc == MC_OK; s++) rc = mc_stream_push_many(streams[s], &candles[i], PUSHES, many, probabilities, err, sizeof err);
    n = stop_counting();
    i += PUSHES;
    if (rc != MC_OK) { failed++; printf("FAIL: %s: mc_stream_push_many: %s\n", path, err); }
    else expect_none(path, "mc_stream_push_many, one call into each of the 2 streams", n);
    for (int k = 0; k < 2; k++) mc_stream_free(streams[k]);
}

/* mc_score_inputs on every component, with made-up finite inputs. */
static void check_inputs(const char *path, const mc_model *model) {
    char err[512], what[160];
    static double inputs[1 << 20];
    double p[INPUTS];
    for (int32_t c = 0; c < mc_model_component_count(model); c++) {
        const size_t size = (size_t)mc_component_window(model, c) * (size_t)mc_component_input_count(model, c);
        if (size * INPUTS > sizeof inputs / sizeof *inputs) { fprintf(stderr, "%s: component %d reads too many inputs\n", path, c); exit(1); }
        for (size_t v = 0; v < size * INPUTS; v++) inputs[v] = 0.5 * sin(0.37 * (double)v);
        int32_t rc = mc_score_inputs(model, c, inputs, INPUTS, p, err, sizeof err);
        for (size_t count = 1; count <= INPUTS && rc == MC_OK; count += INPUTS - 1) {
            start_counting();
            rc = mc_score_inputs(model, c, inputs, count, p, err, sizeof err);
            const size_t n = stop_counting();
            snprintf(what, sizeof what, "mc_score_inputs('%s', %zu windows)", mc_component_name(model, c), count);
            if (rc == MC_OK) expect_none(path, what, n);
        }
        if (rc != MC_OK) { failed++; printf("FAIL: %s: mc_score_inputs on component %d: %s\n", path, c, err); }
    }
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s CANDLES.csv MODEL.modelc...\n", argv[0]); return 2; }
    static mc_candle candles[MAX_CANDLES];
    const size_t rows = read_candles(argv[1], candles, MAX_CANDLES);
    for (int a = 2; a < argc; a++) {
        size_t length;
        uint8_t *bytes = read_file(argv[a], &length);
        char err[512];
        mc_model *model = NULL;
        if (mc_model_open_bytes(bytes, length, &model, err, sizeof err) != MC_OK) { fprintf(stderr, "%s: %s\n", argv[a], err); return 1; }
        free(bytes);
        check_streams(argv[a], model, candles, rows);
        check_inputs(argv[a], model);
        mc_model_free(model);
    }
    printf("no_alloc: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

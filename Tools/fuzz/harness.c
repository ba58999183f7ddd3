/* libFuzzer target for the runtime's untrusted inputs, through its C ABI (Spec.md §14).
 *
 * The first byte of an input picks what the rest is:
 *   mode 0  a whole artifact file, opened as is (framing, header, checksum, decompression);
 *   mode 1  a Model body, framed here with a correct header and CRC-32C so that mutations reach
 *           the body's parser and validation instead of stopping at the checksum;
 *   mode 2  a candle stream, encoded compactly (below), pushed into a stream of the reference model
 *           (the artifact named by $MODELC_FUZZ_MODEL, read once at start-up).
 * A model that opens is then scored on a fixed synthetic candle series and through mc_score_inputs
 * (one row, and for narrow inputs a batch of 80 whose rows must score as they do alone).
 * Every artifact input is also split for a signature check (mc_artifact_signature).
 * Besides crashes, the harness aborts when the runtime lies: a ready score with a probability or
 * confidence that is not a number in [0, 1], a size outside [0, 1], or a signal without a score. */
#include "modelc.h"
#include "modelc.pb-c.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mc_model *reference;

static uint32_t crc32c(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

static void check_score(const mc_score *s, int64_t timestamp) {
    int lie = s->timestamp != timestamp;
    double p[3] = {s->p_long, s->p_short, s->p_up};
    for (int i = 0; i < 3; i++) lie |= !isnan(p[i]) && !(p[i] >= 0 && p[i] <= 1);
    if (s->ready) {
        lie |= !(s->confidence >= 0 && s->confidence <= 1) || !(s->size >= 0 && s->size <= 1);
        lie |= s->signal < -1 || s->signal > 1 || (s->signal == 0 && s->size != 0);
    } else {
        lie |= s->signal != 0 || s->size != 0;
    }
    if (lie) {
        fprintf(stderr, "runtime lied: ts %lld ready %d signal %d p %g %g %g conf %g size %g\n", (long long)s->timestamp,
                s->ready, s->signal, s->p_long, s->p_short, s->p_up, s->confidence, s->size);
        abort();
    }
}

/* A batch large enough for the binned tree kernel, of edge values (NaN, ±0, the zero band, ±inf,
 * extremes), must give each row the bits it gets alone. */
static void score_batch(mc_model *model, int32_t k, size_t width) {
    static const double edges[] = {0, -0.0, NAN, 1e-36, -1e-36, 1e-35, 0.5, -1, 1, 3e38, -3e38, INFINITY, -INFINITY, 1e-45};
    enum { ROWS = 80 };
    char err[256];
    double *inputs = malloc(ROWS * width * sizeof(double)), batch[ROWS], one;
    for (size_t r = 0; r < ROWS; r++)
        for (size_t i = 0; i < width; i++) inputs[r * width + i] = edges[(r * 7 + i * 3) % (sizeof edges / sizeof *edges)];
    if (mc_score_inputs(model, k, inputs, ROWS, batch, err, sizeof err) == MC_OK) {
        for (size_t r = 0; r < ROWS; r += 13) {
            if (mc_score_inputs(model, k, inputs + r * width, 1, &one, err, sizeof err) != MC_OK
                || memcmp(&one, &batch[r], sizeof one) != 0) {
                fprintf(stderr, "runtime lied: component %d row %zu scores differently alone and in a batch\n", k, r);
                abort();
            }
        }
    }
    free(inputs);
}

/* Scores a model that opened: a smooth synthetic series long enough to warm it up (capped), and
 * a zero input per component (capped), so that fuzzed weights and trees are evaluated too. */
static void exercise(mc_model *model) {
    char err[256];
    mc_stream *stream = NULL;
    if (mc_stream_create(model, &stream, err, sizeof err) == MC_OK) {
        int32_t warmup = mc_model_warmup_candles(model);
        int32_t n = warmup < 0 || warmup > 400 ? 400 : warmup + 3;
        double price = 100;
        for (int32_t i = 0; i < n; i++) {
            double next = price * (1 + 0.01 * sin(0.37 * i));
            mc_candle c = {1700000000 + 3600 * (int64_t)i, price, fmax(price, next) * 1.002, fmin(price, next) * 0.998,
                           next, 10 + (i % 7)};
            mc_score s;
            if (mc_stream_push(stream, &c, &s, err, sizeof err) == MC_OK) check_score(&s, c.timestamp);
            price = next;
        }
        mc_stream_free(stream);
    }
    for (int32_t k = 0; k < mc_model_component_count(model) && k < 8; k++) {
        int64_t width = (int64_t)mc_component_window(model, k) * mc_component_input_count(model, k);
        if (width <= 0 || width > 100000) continue;
        double *inputs = calloc((size_t)width, sizeof(double));
        double probability;
        if (mc_score_inputs(model, k, inputs, 1, &probability, err, sizeof err) == MC_OK
            && !isnan(probability) && !(probability >= 0 && probability <= 1)) {
            fprintf(stderr, "runtime lied: component %d probability %g\n", k, probability);
            abort();
        }
        free(inputs);
        if (width <= 64) score_batch(model, k, (size_t)width);
    }
}

/* What a host signature check reads (mc_artifact_signature) must come from every artifact that
 * opens (its checks are a subset of opening), with an H' no longer than the stored header and the
 * body where the framing puts it; a refusal carries a message. */
static void split_signature(const uint8_t *bytes, size_t n, int opened) {
    static uint8_t unsigned_header[65536];
    mc_signature s;
    size_t length = 0;
    char err[256] = "";
    int32_t rc = mc_artifact_signature(bytes, n, &s, unsigned_header, sizeof unsigned_header, &length, err, sizeof err);
    size_t header = n >= 12 ? (size_t)bytes[8] | (size_t)bytes[9] << 8 | (size_t)bytes[10] << 16 | (size_t)bytes[11] << 24 : 0;
    if ((opened && rc != MC_OK) || (rc != MC_OK && err[0] == 0)
        || (rc == MC_OK && (length > header || s.body_offset != 12 + header || (s.present != 0 && s.present != 1)))) {
        fprintf(stderr, "runtime lied: mc_artifact_signature returned %d (%s), H' %zu of %zu header bytes, body at %llu\n",
                rc, err, length, header, (unsigned long long)s.body_offset);
        abort();
    }
}

static void open_artifact(const uint8_t *bytes, size_t n) {
    mc_model *model = NULL;
    char err[256];
    int opened = mc_model_open_bytes(bytes, n, &model, err, sizeof err) == MC_OK;
    if (opened) {
        exercise(model);
        mc_model_free(model);
    } else if (model != NULL || err[0] == 0) {
        fprintf(stderr, "refusal without a message or with a model\n");
        abort();
    }
    split_signature(bytes, n, opened);
}

static void open_body(const uint8_t *body, size_t n) {
    static char *capabilities[] = {"sequence-network", "tensor-f16", "tensor-int8", "tree-ensemble"};
    Modelc__Header h;
    modelc__header__init(&h);
    h.format_major = 1;
    h.n_required_capabilities = 4;
    h.required_capabilities = capabilities;
    h.body_length = n;
    h.uncompressed_length = n;
    h.body_crc32c = crc32c(body, n);
    size_t hn = modelc__header__get_packed_size(&h);
    uint8_t *file = malloc(12 + hn + n);
    memcpy(file, "\x89MODELC\n", 8);
    for (int i = 0; i < 4; i++) file[8 + i] = (uint8_t)(hn >> (8 * i));
    modelc__header__pack(&h, file + 12);
    if (n) memcpy(file + 12 + hn, body, n);
    open_artifact(file, 12 + hn + n);
    free(file);
}

/* Candle records of 10 bytes: [step][move][up][down][vol lo][vol hi][poke][value][-][-].
 * step < 250: the next interval; 250: same timestamp; 251: one interval back; 252: a one-candle
 * gap; 253: a gap of (vol hi) * 10^6 intervals; 254/255: INT64 max/min. move: close change in
 * per mille (int8); up/down: wick sizes; poke < 12: field (poke % 6) of the candle becomes a special
 * value (NaN, ±inf, 0, -1, ±1e308, the smallest subnormal). */
static void push_candles(const uint8_t *p, size_t n) {
    static const double specials[8] = {NAN, INFINITY, -INFINITY, 0, -1, 1e308, -1e308, 5e-324};
    size_t count = n / 10 > 256 ? 256 : n / 10;   /* longer streams test nothing new, only slower */
    if (count == 0 || reference == NULL) return;
    mc_candle *candles = malloc(count * sizeof *candles);
    mc_stream *stream = NULL;
    char err[256];
    if (mc_stream_create(reference, &stream, err, sizeof err) != MC_OK) abort();
    int64_t t = 1700000000;
    double close = 100;
    for (size_t i = 0; i < count; i++, p += 10) {
        /* Wrapping arithmetic: timestamps near INT64 limits are inputs, not harness bugs. */
        uint8_t step = p[0];
        uint64_t u = (uint64_t)t;
        if (step < 250) u += 3600;
        else if (step == 251) u -= 3600;
        else if (step == 252) u += 7200;
        else if (step == 253) u += (uint64_t)p[5] * 3600000000u;
        else if (step == 254) u = INT64_MAX;
        else if (step == 255) u = (uint64_t)INT64_MIN;
        t = (int64_t)u;
        double open = close;
        close = open * (1 + (int8_t)p[1] / 1000.0);
        mc_candle c = {t, open, fmax(open, close) * (1 + p[2] / 2000.0), fmin(open, close) * (1 - p[3] / 2000.0), close,
                       (double)(p[4] | p[5] << 8) / 16};
        if (p[6] < 12) {
            double *fields[6] = {&c.open, &c.high, &c.low, &c.close, &c.volume, &c.open};
            if (p[6] % 6 == 5) c.timestamp = (int64_t)((uint64_t)p[7] << 56);
            else *fields[p[6] % 6] = specials[p[7] % 8];
        }
        candles[i] = c;
        mc_score s;
        if (mc_stream_push(stream, &c, &s, err, sizeof err) == MC_OK) check_score(&s, c.timestamp);
        else if (err[0] == 0) abort();
        if (!isfinite(close) || close <= 0 || close > 1e300) close = 100;
    }
    mc_score s;
    if (mc_score_window(reference, candles, count, &s, err, sizeof err) == MC_OK) check_score(&s, candles[count - 1].timestamp);
    mc_stream_free(stream);
    free(candles);
}

static void free_reference(void) { mc_model_free(reference); }

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    const char *path = getenv("MODELC_FUZZ_MODEL");
    if (path == NULL) return 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) { perror(path); exit(2); }
    static uint8_t bytes[1 << 22];
    size_t n = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    char err[256];
    if (mc_model_open_bytes(bytes, n, &reference, err, sizeof err) != MC_OK) {
        fprintf(stderr, "%s: %s\n", path, err);
        exit(2);
    }
    atexit(free_reference);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    switch (data[0] % 3) {
    case 0: open_artifact(data + 1, size - 1); break;
    case 1: open_body(data + 1, size - 1); break;
    default: push_candles(data + 1, size - 1); break;
    }
    return 0;
}

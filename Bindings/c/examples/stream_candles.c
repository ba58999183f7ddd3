/* A minimal C bot: streams a CSV of candles (header timestamp,open,high,low,close,volume;
 * timestamps in unix seconds or ISO-8601 UTC like 2025-01-31T13:00:00Z) through a modelc
 * artifact and prints every long/short signal. Build:
 *   cc -IBindings/c stream_candles.c -L<dir of libmodelc_runtime.so> -lmodelc_runtime
 * Usage: stream_candles MODEL.modelc CANDLES.csv */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include "modelc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t parse_time(const char *s) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (strchr(s, 'T') && strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) return (int64_t)timegm(&tm);
    return strtoll(s, NULL, 10);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODEL.modelc CANDLES.csv\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    size_t n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *bytes = malloc(n);
    if (fread(bytes, 1, n, f) != n) { perror(argv[1]); return 1; }
    fclose(f);

    char err[512];
    mc_model *model = NULL;
    mc_stream *stream = NULL;
    if (mc_model_open_bytes(bytes, n, &model, err, sizeof err) != MC_OK) { fprintf(stderr, "%s: %s\n", argv[1], err); return 1; }
    free(bytes);
    if (mc_stream_create(model, &stream, err, sizeof err) != MC_OK) { fprintf(stderr, "%s\n", err); return 1; }
    printf("%s %s: first score after %d candles\n", mc_model_name(model), mc_model_version(model), mc_model_warmup_candles(model));

    FILE *csv = fopen(argv[2], "r");
    if (!csv) { perror(argv[2]); return 1; }
    char line[512], when[64];
    int scored = 0, signals = 0;
    if (!fgets(line, sizeof line, csv)) { fprintf(stderr, "%s: empty\n", argv[2]); return 1; }
    while (fgets(line, sizeof line, csv)) {
        mc_candle c;
        if (sscanf(line, "%63[^,],%lf,%lf,%lf,%lf,%lf", when, &c.open, &c.high, &c.low, &c.close, &c.volume) != 6) continue;
        c.timestamp = parse_time(when);
        mc_score s;
        if (mc_stream_push(stream, &c, &s, err, sizeof err) != MC_OK) { printf("%s: refused: %s\n", when, err); continue; }
        scored += s.ready;
        if (s.signal != MC_SIGNAL_FLAT) {
            signals++;
            printf("%s %-5s size %.3f confidence %.3f p_up %.3f p_long %.3f p_short %.3f\n", when,
                   s.signal == MC_SIGNAL_LONG ? "LONG" : "SHORT", s.size, s.confidence, s.p_up, s.p_long, s.p_short);
        }
    }
    fclose(csv);
    printf("%d candles scored, %d signals\n", scored, signals);
    mc_stream_free(stream);
    mc_model_free(model);
    return 0;
}

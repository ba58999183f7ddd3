/* Parses one data line of a modelc candle CSV (timestamp as ISO 8601 UTC, then open, high, low,
 * close, volume) for the C test programs. Needs _DEFAULT_SOURCE / _XOPEN_SOURCE for strptime and
 * timegm, defined before the first include. */
#ifndef MODELC_TEST_CANDLE_LINE_H
#define MODELC_TEST_CANDLE_LINE_H

#include "modelc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 1 and the candle in *c, or 0 for a line that is not a candle (a header, a blank line). */
static int parse_candle_line(const char *line, mc_candle *c) {
    char when[32];
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(line, "%31[^,],%lf,%lf,%lf,%lf,%lf", when, &c->open, &c->high, &c->low, &c->close, &c->volume) != 6
        || !strptime(when, "%Y-%m-%dT%H:%M:%SZ", &tm)) return 0;
    c->timestamp = (int64_t)timegm(&tm);
    return 1;
}

/* The first `capacity` candles of the CSV at `path` into out; exits with 2 when it cannot be read. */
static inline size_t read_candles(const char *path, mc_candle *out, size_t capacity) {
    FILE *csv = fopen(path, "r");
    if (!csv) { perror(path); exit(2); }
    char line[512];
    size_t rows = 0;
    if (!fgets(line, sizeof line, csv)) exit(2);
    while (rows < capacity && fgets(line, sizeof line, csv)) {
        mc_candle c;
        if (parse_candle_line(line, &c)) out[rows++] = c;
    }
    fclose(csv);
    return rows;
}

#endif

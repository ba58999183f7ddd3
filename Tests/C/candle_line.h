/* Parses one data line of a modelc candle CSV (timestamp as ISO 8601 UTC, then open, high, low,
 * close, volume) for the C test programs. Needs _DEFAULT_SOURCE / _XOPEN_SOURCE for strptime and
 * timegm, defined before the first include. */
#ifndef MODELC_TEST_CANDLE_LINE_H
#define MODELC_TEST_CANDLE_LINE_H

#include "modelc.h"
#include <stdio.h>
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

#endif

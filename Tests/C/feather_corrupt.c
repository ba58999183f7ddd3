/* The feather (Arrow IPC) reader on damaged files, under ASan + UBSan (Tools/sanitize.sh): every
 * prefix of a good file, every byte flipped, and 20000 files with 1 to 4 bytes overwritten by a
 * fixed pseudo-random sequence. Each must be read or refused with a message; the sanitizers
 * catch any read outside the bytes. Usage: feather_corrupt GOOD.feather (a file of six numeric
 * candle columns, e.g. Tests/ModelcDataTests/Fixtures/BTCUSDT_1h_48.feather). */
#include "arrow_ipc.h"
#include "read_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Opens and reads every numeric column; returns the columns read, or -1 when refused (with a
 * message, which must not be empty). */
static int read_all(const uint8_t *bytes, size_t n) {
    ArrowIPCFile *file = arrow_ipc_open(bytes, n);
    if (file == NULL) { fprintf(stderr, "out of memory\n"); exit(1); }
    int read = 0;
    for (size_t c = 0; arrow_ipc_error(file) == NULL && c < arrow_ipc_column_count(file); c++) {
        const double *d; const int64_t *i; const uint8_t *valid;
        ArrowIPCKind kind = arrow_ipc_column_kind(file, c);
        if (kind == ARROW_IPC_FLOAT || kind == ARROW_IPC_INTEGER) read += arrow_ipc_read_float64(file, c, &d, &valid);
        else if (kind == ARROW_IPC_TIMESTAMP) read += arrow_ipc_read_int64(file, c, &i, &valid);
    }
    const char *error = arrow_ipc_error(file);
    if (error != NULL && error[0] == '\0') { fprintf(stderr, "FAIL: an empty error message\n"); exit(1); }
    arrow_ipc_close(file);
    return error == NULL ? read : -1;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s GOOD.feather\n", argv[0]); return 2; }
    size_t n;
    uint8_t *good = read_file(argv[1], &n);
    if (read_all(good, n) != 6) { printf("FAIL: the good file does not read six columns\n"); return 1; }
    uint8_t *bad = malloc(n);
    long refused = 0, tried = 0;
    for (size_t length = 0; length < n; length++, tried++) {
        uint8_t *cut = malloc(length ? length : 1); /* exactly its bytes, so ASan sees a read past its end */
        memcpy(cut, good, length);
        refused += read_all(cut, length) < 0;
        free(cut);
    }
    for (size_t at = 0; at < n; at++, tried++) {
        memcpy(bad, good, n);
        bad[at] ^= 0xFF;
        refused += read_all(bad, n) < 0;
    }
    uint32_t state = 12345;
    for (int t = 0; t < 20000; t++, tried++) {
        memcpy(bad, good, n);
        state = state * 1664525u + 1013904223u;
        for (uint32_t k = 0; k <= (state >> 30); k++) {
            state = state * 1664525u + 1013904223u;
            bad[(state >> 8) % n] = (uint8_t)(state >> 24);
        }
        refused += read_all(bad, n) < 0;
    }
    free(bad);
    free(good);
    printf("%ld damaged files: %ld refused, %ld read\n", tried, refused, tried - refused);
    return 0;
}

/* Reads a whole file for the C test and benchmark programs; exits with a message on failure. */
#ifndef MODELC_TEST_READ_FILE_H
#define MODELC_TEST_READ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint8_t *read_file(const char *path, size_t *length) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *bytes = malloc((size_t)n + 1);
    if (fread(bytes, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(2); }
    fclose(f);
    *length = (size_t)n;
    return bytes;
}

#endif

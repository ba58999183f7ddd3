/* Opens artifacts through the C ABI of libmodelc_runtime, as a bot written in C would.
 * Usage: open_artifact GOOD.modelc CORRUPT.modelc
 * Checks that the good one opens with the expected name and counts, and that the corrupt one
 * is refused with MC_E_CHECKSUM_MISMATCH and a message; prints "2 passed, 0 failed" style. */
#include "modelc.h"
#include "read_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s GOOD CORRUPT\n", argv[0]); return 2; }
    int passed = 0, failed = 0;
    char err[256];
    size_t n;
    uint8_t *bytes = read_file(argv[1], &n);
    mc_model *model = NULL;
    int32_t rc = mc_model_open_bytes(bytes, n, &model, err, sizeof err);
    free(bytes);
    if (rc == MC_OK && strcmp(mc_model_name(model), "demo-dual") == 0 && strcmp(mc_model_version(model), "0.1.0") == 0
        && mc_model_feature_count(model) == 19 && mc_model_component_count(model) == 2 && mc_format_version() == 1001) {
        printf("ok: opened %s v%s with runtime %s\n", mc_model_name(model), mc_model_version(model), mc_version());
        passed++;
    } else {
        printf("FAIL: open good artifact: rc=%d %s\n", rc, rc ? err : "");
        failed++;
    }
    mc_model_free(model);

    bytes = read_file(argv[2], &n);
    model = NULL;
    rc = mc_model_open_bytes(bytes, n, &model, err, sizeof err);
    free(bytes);
    if (rc == MC_E_CHECKSUM_MISMATCH && model == NULL && strstr(err, "checksum") != NULL) {
        printf("ok: corrupt artifact refused: %s\n", err);
        passed++;
    } else {
        printf("FAIL: corrupt artifact: rc=%d %s\n", rc, err);
        failed++;
    }
    printf("c-abi: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

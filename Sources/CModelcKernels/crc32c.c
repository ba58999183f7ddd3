/* CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of an artifact's body.
 * Where the active variant has AVX2 (every such CPU has SSE4.2), SSE4.2's crc32 instruction,
 * which computes exactly this CRC, 8 bytes at a time; elsewhere slicing by 8 over tables built
 * once when the library loads. Both give the same value: the CRC is exact arithmetic. */
#include "modelc_kernels.h"
#include "multiversion.h"

#include <string.h>

#if MCK_X86
#include <immintrin.h>
#endif

/* table[0] is the byte-at-a-time table; table[k][b] is table[0][b] advanced by k zero bytes. */
static uint32_t table[8][256];

__attribute__((constructor)) static void build_tables(void) {
    for (uint32_t b = 0; b < 256; b++) {
        uint32_t c = b;
        for (int i = 0; i < 8; i++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        table[0][b] = c;
    }
    for (uint32_t b = 0; b < 256; b++)
        for (int k = 1; k < 8; k++) table[k][b] = table[0][table[k - 1][b] & 0xFF] ^ (table[k - 1][b] >> 8);
}

/* c is the running register (the complement of the CRC so far). */
static uint32_t crc_tables(uint32_t c, const uint8_t *p, size_t n) {
    for (; n >= 8; n -= 8, p += 8) {
        const uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
        c = table[7][lo & 0xFF] ^ table[6][(lo >> 8) & 0xFF] ^ table[5][(lo >> 16) & 0xFF] ^ table[4][lo >> 24] ^
            table[3][p[4]] ^ table[2][p[5]] ^ table[1][p[6]] ^ table[0][p[7]];
    }
    for (; n > 0; n--, p++) c = table[0][(c ^ *p) & 0xFF] ^ (c >> 8);
    return c;
}

#if MCK_X86
__attribute__((target("sse4.2"))) static uint32_t crc_instruction(uint32_t c, const uint8_t *p, size_t n) {
    uint64_t c64 = c;
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t v;
        memcpy(&v, p, sizeof v); /* little-endian: byte 0 first, as the CRC reads them */
        c64 = _mm_crc32_u64(c64, v);
    }
    c = (uint32_t)c64;
    for (; n > 0; n--, p++) c = _mm_crc32_u8(c, *p);
    return c;
}
#endif

uint32_t mck_crc32c(uint32_t crc, const void *bytes, size_t n) {
    const uint8_t *p = bytes;
#if MCK_X86
    if (mck_isa_active() >= MCK_ISA_AVX2) return ~crc_instruction(~crc, p, n);
#endif
    return ~crc_tables(~crc, p, n);
}

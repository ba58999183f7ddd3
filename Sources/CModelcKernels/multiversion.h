/* One dispatch mechanism for every kernel with instruction-set variants (isa.c): the body is
 * written once, compiled for AVX-512, AVX2 and the portable baseline, and the variant that
 * mck_isa_active() names runs (its VNNI forms run the AVX-512 or AVX2 body: only the int8-dynamic
 * tiles of matmul_i8d.c differ there). Only speed differs: see the contract in modelc_kernels.h. */
#ifndef MCK_MULTIVERSION_H
#define MCK_MULTIVERSION_H

#include "modelc_kernels.h"

#if defined(__x86_64__) && defined(__linux__)
#define MCK_X86 1
#else
#define MCK_X86 0
#endif

#define MCK_INLINE static inline __attribute__((always_inline))

/* Defines `LINKAGE void NAME PARAMS` that runs `BODY ARGS` (an MCK_INLINE function) compiled for
 * the active instruction set. LINKAGE is `extern` or `static`. */
#if MCK_X86
#define MCK_MULTIVERSION(LINKAGE, NAME, BODY, PARAMS, ARGS)                          \
    static __attribute__((target("avx512f"))) void NAME##_avx512 PARAMS { BODY ARGS; } \
    static __attribute__((target("avx2"))) void NAME##_avx2 PARAMS { BODY ARGS; }     \
    static void NAME##_portable PARAMS { BODY ARGS; }                                 \
    LINKAGE void NAME PARAMS {                                                         \
        switch (mck_isa_active()) {                                                    \
        case MCK_ISA_AVX512: case MCK_ISA_AVX512_VNNI: NAME##_avx512 ARGS; break;      \
        case MCK_ISA_AVX2: case MCK_ISA_AVX2_VNNI: NAME##_avx2 ARGS; break;            \
        default: NAME##_portable ARGS; break;                                          \
        }                                                                              \
    }
#else
#define MCK_MULTIVERSION(LINKAGE, NAME, BODY, PARAMS, ARGS) \
    LINKAGE void NAME PARAMS { BODY ARGS; }
#endif

#endif

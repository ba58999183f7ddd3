/* Function multi-versioning: the same source compiled for AVX-512, AVX2 and the baseline,
 * chosen by glibc's ifunc at load time. Only speed differs: see the contract in
 * modelc_kernels.h. */
#ifndef MCK_MULTIVERSION_H
#define MCK_MULTIVERSION_H

#if defined(__x86_64__) && defined(__linux__)
#define MCK_MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MCK_MULTIVERSION
#endif

#define MCK_INLINE static inline __attribute__((always_inline))

#endif

/* Which instruction-set variant the kernels run (multiversion.h): the best the CPU supports,
 * found at the first call, or the one a test forces. */
#include "modelc_kernels.h"
#include "multiversion.h"

static const char *const names[MCK_ISA_COUNT] = {"portable", "avx2", "avx2-vnni", "avx512", "avx512-vnni"};

/* -1 until the first call; read and written atomically, as any thread may make that call. */
static int32_t active = -1;

const char *mck_isa_name(int32_t isa) { return isa >= 0 && isa < MCK_ISA_COUNT ? names[isa] : "unknown"; }

int32_t mck_isa_supported(int32_t isa) {
    switch (isa) {
    case MCK_ISA_PORTABLE: return 1;
#if MCK_X86
    case MCK_ISA_AVX2: return __builtin_cpu_supports("avx2") != 0;
    case MCK_ISA_AVX2_VNNI: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avxvnni");
    case MCK_ISA_AVX512: return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2");
    case MCK_ISA_AVX512_VNNI:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512vnni");
#endif
    default: return 0;
    }
}

static int32_t best(void) {
    for (int32_t isa = MCK_ISA_COUNT - 1; isa > MCK_ISA_PORTABLE; isa--)
        if (mck_isa_supported(isa)) return isa;
    return MCK_ISA_PORTABLE;
}

int32_t mck_isa_active(void) {
    int32_t isa = __atomic_load_n(&active, __ATOMIC_RELAXED);
    if (isa < 0) {
        isa = best();
        __atomic_store_n(&active, isa, __ATOMIC_RELAXED);
    }
    return isa;
}

int32_t mck_isa_force(int32_t isa) {
    if (isa == MCK_ISA_COUNT) isa = best();
    else if (!mck_isa_supported(isa)) return 0;
    __atomic_store_n(&active, isa, __ATOMIC_RELAXED);
    return 1;
}

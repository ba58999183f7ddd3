/* A flag one thread at a time may hold: how a model's scratch memory is shared (ScratchArena). */
#include "modelc_kernels.h"

int32_t mck_claim(int32_t *flag) { return __atomic_exchange_n(flag, 1, __ATOMIC_ACQUIRE) == 0; }

void mck_unclaim(int32_t *flag) { __atomic_store_n(flag, 0, __ATOMIC_RELEASE); }

/* Everything the Swift runtime imports from C: its kernels and the C ABI it implements. */
#include "modelc_kernels.h"
#include "modelc.h"

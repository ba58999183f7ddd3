/* What the matrix products share (matmul_float.c, matmul_i8d.c): the packed layout's panels
 * (modelc_kernels.h), the vector types of the tiles and the LSTM cell over grouped gates.
 * A tile holds J input rows by P panels of 16 outputs in 2*J*P vector accumulators; each
 * accumulator lane is one output of one row, summed over k ascending, so tiling changes speed
 * only. Rows are blocked for the batched products (one panel, 16 KiB for 256 inputs, stays in L1
 * while every row block passes over it), panels for the vectors of a recurrent step (enough
 * independent adds to hide their latency; several windows' steps take one 16-unit group's
 * panels in turn while they are in cache: on the AMD EPYC of 2026-12-08, family 23, this beat
 * row blocks of 2 to 6 by 5-20 %). */
#ifndef MCK_MATMUL_INTERNAL_H
#define MCK_MATMUL_INTERNAL_H

#include "modelc_kernels.h"
#include "multiversion.h"

#include <string.h>

/* int8-dynamic row blocks are 4: 8 accumulators plus the operands fit AVX2's 16 registers (6 spilled). */
enum { PANEL = MCK_PANEL, ROW_BLOCK = 6, PANEL_BLOCK = 4, I8D_ROW_BLOCK = 4 };

typedef float v8f __attribute__((vector_size(32)));
typedef int8_t v8b __attribute__((vector_size(8)));
typedef int8_t v32b __attribute__((vector_size(32)));
typedef int16_t v32s __attribute__((vector_size(64)));
typedef int32_t v8i __attribute__((vector_size(32)));
typedef int16_t v16s __attribute__((vector_size(32)));
typedef int32_t v16i __attribute__((vector_size(64)));
typedef int32_t v32i __attribute__((vector_size(128)));

static inline size_t panels_of(size_t rows) { return (rows + PANEL - 1) / PANEL; }
static inline size_t quads_of(size_t cols) { return (cols + 3) / 4; }
static inline size_t pairs_of(size_t cols) { return (cols + 1) / 2; }

/* Units whose cell updates run as one loop: the tiles of CELL_UNITS / 16 groups first, then the
 * cell over all of them, so that its vectors overlap (see lstm_cell_update). */
enum { CELL_UNITS = MCK_CELL_UNITS };

/* The cell for `count` units whose gate rows are grouped in z (per 16 units: i, f, g, o rows of
 * 16), in kernels.c: one compiled copy per instruction set, shared by every step kernel. */
void mck_cell_groups(const float *z, size_t count, float *c, float *h);

#endif

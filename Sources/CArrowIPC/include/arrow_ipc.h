/* Reads the columns of an Apache Arrow IPC file ("feather v2": what pandas' to_feather and
 * freqtrade's feather data handler write), held in memory, as float64 or int64 arrays.
 * Implemented in C++ over flatc's generated reader (Schemas/arrow_ipc.fbs); this C interface is
 * what Swift (ModelcData's CandleFeather) calls. Every flatbuffer is verified and every offset
 * and length is checked against the bytes before use: a corrupt file gives an error, never a
 * crash. Errors are sentences to follow a file name ("is cut short: ..."). */
#ifndef MODELC_ARROW_IPC_H
#define MODELC_ARROW_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ArrowIPCFile ArrowIPCFile;

/* What a column's values can be read as. */
typedef enum {
    ARROW_IPC_OTHER = 0,     /* neither: strings, booleans, nested or dictionary-encoded columns... */
    ARROW_IPC_INTEGER = 1,   /* signed or unsigned integers of 8 to 64 bits */
    ARROW_IPC_FLOAT = 2,     /* float32 or float64 */
    ARROW_IPC_TIMESTAMP = 3, /* int64 counts of arrow_ipc_timestamp_unit since the epoch */
} ArrowIPCKind;

/* Opens `size` bytes (which must outlive the handle) as an Arrow IPC file. Returns NULL only when
 * memory runs out; check arrow_ipc_error before anything else. */
ArrowIPCFile *arrow_ipc_open(const uint8_t *bytes, size_t size);
void arrow_ipc_close(ArrowIPCFile *file);

/* Why the file or the last column read could not be read; NULL when all went well. */
const char *arrow_ipc_error(const ArrowIPCFile *file);

/* The schema's top-level columns, in file order. */
size_t arrow_ipc_column_count(const ArrowIPCFile *file);
const char *arrow_ipc_column_name(const ArrowIPCFile *file, size_t column);
/* The column's type in words, e.g. "timestamp[ns, tz=UTC]", "float64", "utf8". */
const char *arrow_ipc_column_type(const ArrowIPCFile *file, size_t column);
ArrowIPCKind arrow_ipc_column_kind(const ArrowIPCFile *file, size_t column);
/* A timestamp column: 0 seconds, 1 milliseconds, 2 microseconds, 3 nanoseconds; and its time zone
 * ("" when it has none: wall-clock times). */
int arrow_ipc_timestamp_unit(const ArrowIPCFile *file, size_t column);
const char *arrow_ipc_timestamp_zone(const ArrowIPCFile *file, size_t column);

/* Rows in all record batches together. */
int64_t arrow_ipc_row_count(const ArrowIPCFile *file);
/* How the record batches' buffers are compressed: "", "lz4" or "zstd". */
const char *arrow_ipc_compression(const ArrowIPCFile *file);

/* Decodes one column of every record batch: `values` gets arrow_ipc_row_count numbers and
 * `valid` as many bytes (1: a value, 0: null), both owned by the handle and kept until the next
 * read or close. float64 reads INTEGER and FLOAT columns, int64 INTEGER and TIMESTAMP ones.
 * False, with arrow_ipc_error set, when the column cannot be read. */
bool arrow_ipc_read_float64(ArrowIPCFile *file, size_t column, const double **values, const uint8_t **valid);
bool arrow_ipc_read_int64(ArrowIPCFile *file, size_t column, const int64_t **values, const uint8_t **valid);

#ifdef __cplusplus
}
#endif

#endif

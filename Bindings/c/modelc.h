/*
 * modelc.h — the C ABI of libmodelc_runtime (Embedded Swift, no Swift runtime needed).
 *
 * Link with -lmodelc_runtime (shared) or libmodelc_runtime_static.a plus -lzstd -lprotobuf-c.
 * Every function reports failure through its return value; none aborts the host process.
 * A model is immutable after opening and may be shared by any number of threads.
 */
#ifndef MODELC_H
#define MODELC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes returned by mc_* functions (0 is success). Values never change meaning. */
enum {
    MC_OK = 0,
    MC_E_BAD_MAGIC = 1,            /* not a modelc artifact */
    MC_E_TRUNCATED_HEADER = 2,     /* file ends inside the magic or header */
    MC_E_TRUNCATED_BODY = 3,       /* file ends before the declared body length */
    MC_E_INVALID_HEADER = 4,       /* header unreadable, inconsistent, or trailing bytes */
    MC_E_UNSUPPORTED_FORMAT = 5,   /* another format major version */
    MC_E_MISSING_CAPABILITY = 6,   /* body needs a capability this runtime lacks */
    MC_E_CHECKSUM_MISMATCH = 7,    /* body bytes do not match the header's CRC-32C */
    MC_E_DECOMPRESSION = 8,        /* zstd body does not decompress to the declared length */
    MC_E_INVALID_BODY = 9,         /* body is not a valid Model message */
    MC_E_INVALID_TENSOR = 10,      /* a tensor's data disagrees with its dtype/shape/scales */
    MC_E_INVALID_MODEL = 11,       /* a dangling reference, duplicate name, unknown enum value */
    MC_E_LIMIT_EXCEEDED = 12,      /* a size beyond the runtime's limits (Spec.md) */
    MC_E_IO = 13,
    MC_E_INVALID_ARGUMENT = 14
};

/* An open model. Opaque; free with mc_model_free. */
typedef struct mc_model mc_model;

/* The runtime's version, e.g. "0.1.0" (static storage). */
const char *mc_version(void);

/* The artifact format this runtime reads: major * 1000 + minor (1001 for format 1.1). */
int32_t mc_format_version(void);

/*
 * Opens a model from the bytes of a .modelc file. On success stores the model in *out and
 * returns MC_OK. On failure stores NULL, returns an MC_E_* code, and writes a NUL-terminated
 * message (truncated to err_capacity - 1 bytes) into err, when err is not NULL.
 * The bytes are copied; the caller may free them after the call.
 */
int32_t mc_model_open_bytes(const uint8_t *bytes, size_t length, mc_model **out,
                            char *err, size_t err_capacity);

/* Releases a model (NULL is allowed). */
void mc_model_free(mc_model *model);

/* Model name and semver version; valid until mc_model_free. NULL for a NULL model. */
const char *mc_model_name(const mc_model *model);
const char *mc_model_version(const mc_model *model);

/* Number of features computed from candles / number of components; -1 for a NULL model. */
int32_t mc_model_feature_count(const mc_model *model);
int32_t mc_model_component_count(const mc_model *model);

/* Component roles (mc_component_role). */
enum {
    MC_ROLE_UNSPECIFIED = 0,
    MC_ROLE_LONG = 1,       /* probability of a LONG opportunity */
    MC_ROLE_SHORT = 2,      /* probability of a SHORT (crash) opportunity */
    MC_ROLE_DIRECTION = 3   /* probability that the price goes up (trees) */
};

/* Component `index` (0 <= index < mc_model_component_count): name (valid until mc_model_free,
 * NULL when out of range), role, timesteps read per score (1 for trees) and inputs per
 * timestep; -1 when out of range. */
const char *mc_component_name(const mc_model *model, int32_t index);
int32_t mc_component_index(const mc_model *model, const char *name);  /* -1 when absent */
int32_t mc_component_role(const mc_model *model, int32_t index);
int32_t mc_component_window(const mc_model *model, int32_t index);
int32_t mc_component_input_count(const mc_model *model, int32_t index);
/* Name of input `input` (0 <= input < mc_component_input_count) of component `index`: the feature
 * it reads, or the column name an imported model declares. Valid until mc_model_free; NULL when
 * out of range or when the artifact names none (tree imports written before 1.0 declared them). */
const char *mc_component_input_name(const mc_model *model, int32_t index, int32_t input);

/*
 * Scores inputs the caller computed (for models whose features are computed elsewhere, and for
 * parity checks): `count` inputs of window x input_count raw feature values each, oldest step
 * first, contiguous. The component's scaler is applied unless the compiler folded it. Writes
 * `count` probabilities. Returns MC_OK or an MC_E_* code with a message in err.
 */
int32_t mc_score_inputs(const mc_model *model, int32_t component, const double *inputs, size_t count,
                        double *probabilities, char *err, size_t err_capacity);

/* ---- Streams: candles in, scores out ------------------------------------------------------ */

/* One OHLCV candle: open time in unix seconds (UTC), prices, base-asset volume. */
typedef struct {
    int64_t timestamp;
    double open, high, low, close, volume;
} mc_candle;

enum { MC_SIGNAL_SHORT = -1, MC_SIGNAL_FLAT = 0, MC_SIGNAL_LONG = 1 };

/* The score of one candle (Spec.md §4.6 for the blend). */
typedef struct {
    int64_t timestamp;  /* the candle it belongs to */
    double p_long;      /* LONG probability the blend acts on (Spec.md §4.6); NaN when absent or not yet warmed up */
    double p_short;     /* SHORT probability; NaN likewise */
    double p_up;        /* direction (trees); NaN likewise */
    double confidence;  /* blended confidence of the chosen direction; 0 when not ready */
    double size;        /* position size in [0, max_position]; 0 when flat */
    int32_t signal;     /* MC_SIGNAL_* */
    int32_t ready;      /* 1 when every component the blend reads was scored */
} mc_score;

/* Per-symbol state. Belongs to one thread at a time; keeps its model alive. */
typedef struct mc_stream mc_stream;

/* Candles a fresh stream needs before it can score every component (feature warm-up plus the
 * longest window); 0 for a model that computes no features from candles (an imported model: it
 * scores caller-computed inputs, mc_score_inputs, and has no streams); -1 for a NULL model. */
int32_t mc_model_warmup_candles(const mc_model *model);

int32_t mc_stream_create(const mc_model *model, mc_stream **out, char *err, size_t err_capacity);
void mc_stream_free(mc_stream *stream);
/* Forgets the stream's history; the next candle starts a new gap-free run. */
void mc_stream_reset(mc_stream *stream);

/*
 * Hands the stream to another model without a warm-up gap (Spec.md §4.7), e.g. a new version a
 * bot reloaded. The stream keeps the last candles of its current gap-free run (at least 512, and
 * at least mc_model_warmup_candles of every model it has had); the last
 * min(held, mc_model_warmup_candles(model)) of them are replayed through the new model's feature
 * engine, so the next push scores exactly as a fresh stream of `model` fed those candles and then
 * that one. With fewer held candles than the new model's warm-up, it warms up over the next
 * candles as a fresh stream would. The stream keeps `model` alive; the caller may free its own
 * reference. Refused with MC_E_INVALID_ARGUMENT, leaving the stream and its model unchanged, when
 * the models' candle intervals differ or `model` computes no features from candles.
 */
int32_t mc_stream_set_model(mc_stream *stream, const mc_model *model, char *err, size_t err_capacity);

/* Candles of the current run the stream holds for mc_stream_set_model; -1 for a NULL stream. */
int32_t mc_stream_history_count(const mc_stream *stream);

/*
 * Pushes one candle and writes its score. Candles must come in time order; a gap (a missing
 * candle) restarts the warm-up, so no score is computed from a window that spans it. An invalid
 * candle (non-finite or non-positive price, negative volume, high < low, a timestamp not after
 * the previous one) is refused with MC_E_INVALID_ARGUMENT and leaves the stream unchanged.
 */
int32_t mc_stream_push(mc_stream *stream, const mc_candle *candle, mc_score *out, char *err, size_t err_capacity);

/* Component `index`'s probability at the stream's last push — calibrated, as the blend reads it
 * (Spec.md §4.9) — e.g. the tree and network specialists behind p_long. NaN before the first push,
 * when the component was not scored for that candle, for an index out of range or a NULL stream. */
double mc_stream_component_probability(const mc_stream *stream, int32_t index);
/* Pushes candles[0..count) in order into `stream`, exactly as `count` calls of mc_stream_push
 * would, and writes out[i]; when `probabilities` is not NULL, also each candle's component
 * probabilities (as mc_stream_component_probability gives them after its push), row-major:
 * probabilities[i * mc_model_component_count(model) + c]. For bindings whose per-call cost
 * dominates (Python's ctypes). Stops at the first refused candle, whose index the message names;
 * the candles before it stay pushed and their scores written. */
int32_t mc_stream_push_many(mc_stream *stream, const mc_candle *candles, size_t count, mc_score *out,
                            double *probabilities, char *err, size_t err_capacity);

/* Stateless: the score of the last of `count` consecutive candles, as a fresh stream fed all of
 * them would give. Features with memory (EMAs, Wilder averages) start at the first candle given,
 * so a short window can differ slightly from a stream that has run for longer. */
int32_t mc_score_window(const mc_model *model, const mc_candle *candles, size_t count, mc_score *out,
                        char *err, size_t err_capacity);

/* Pushes candles[i] into streams[i] for i < count (one candle for each of several symbols) and
 * writes out[i]: the same bits as mc_stream_push on each in turn, while the windows of the
 * streams that share a model are scored together (Spec.md §4.7). Stops at the first error, which
 * names the stream index; the streams before it are pushed and scored. */
int32_t mc_score_batch(mc_stream *const *streams, const mc_candle *candles, size_t count, mc_score *out,
                       char *err, size_t err_capacity);

/* ---- Signatures: what a verifier outside the runtime checks (Spec.md §12.1, §12.5) -------- */

/* The signature slot of an artifact's header as stored. Each field's stored length, and its first
 * bytes: all of them for a well-formed ed25519 signature ("ed25519", a 16-character key id, a
 * 32-byte public key, a 64-byte value), so a verifier judges a field by its length first. */
typedef struct {
    int32_t present;             /* 0 when the artifact is unsigned; then every field below is 0 */
    uint32_t algorithm_length, key_id_length, public_key_length, value_length;
    char algorithm[32];          /* the first min(algorithm_length, 31) bytes, NUL-terminated */
    char key_id[32];             /* likewise */
    uint8_t public_key[32];      /* the first min(public_key_length, 32) bytes */
    uint8_t value[64];           /* the first min(value_length, 64) bytes */
    uint64_t body_offset;        /* the stored body B is bytes[body_offset .. length) */
} mc_signature;

/*
 * Reads what checking an artifact's signature needs; the runtime itself holds no cryptography.
 * Checks the framing (Spec.md §1.2 steps 1-7, with the errors of mc_model_open_bytes), fills
 * *signature, and writes H' — the header re-encoded deterministically without its signature — into
 * unsigned_header, its length into *unsigned_header_length. The signed message is then
 * "modelc-signature-v1" 0x00 || H' || SHA-256(B), checked with ed25519 against the caller's
 * trusted keys. H' is never longer than the header (at most 65536 bytes); with a smaller
 * `capacity` than it needs, returns MC_E_INVALID_ARGUMENT and stores the length it needs.
 */
int32_t mc_artifact_signature(const uint8_t *bytes, size_t length, mc_signature *signature,
                              uint8_t *unsigned_header, size_t capacity, size_t *unsigned_header_length,
                              char *err, size_t err_capacity);

#ifdef __cplusplus
}
#endif

#endif /* MODELC_H */

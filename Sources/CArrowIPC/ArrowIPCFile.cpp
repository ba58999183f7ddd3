// An Arrow IPC file, read from memory (see include/arrow_ipc.h). The layout, from the Arrow
// columnar format specification: "ARROW1", padding to 8 bytes, the stream of encapsulated
// messages (schema, dictionary and record batches), a Footer flatbuffer, its length as a
// little-endian int32, and "ARROW1" again. The footer repeats the schema and says where each
// record batch's message starts; a message is a 0xFFFFFFFF continuation marker (absent before
// Arrow 0.15), an int32 length, a Message flatbuffer, padding, and a body holding the batch's
// buffers. Internally a problem is thrown as a `Problem` and turned into the handle's error at
// the C boundary.
#include "include/arrow_ipc.h"
#include "arrow_ipc_generated.h"

#include <lz4frame.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace fb = modelc::arrow;

namespace {

struct Problem {
    std::string message;
};

const char kMagic[] = "ARROW1";
constexpr size_t kMagicLength = 6;
/// A decoded column is at most this large (as the gzip reader's limit): 2^27 rows of 8 bytes.
constexpr int64_t kMaxRows = int64_t(1) << 27;
/// Flatbuffer nesting and table limits for the verifier: far above any real schema.
constexpr flatbuffers::uoffset_t kMaxDepth = 64, kMaxTables = 100000;

int64_t readInt64(const uint8_t *p) {
    int64_t v;
    std::memcpy(&v, p, 8);
    return v;  // the format is little-endian, as is every host modelc builds for
}

int32_t readInt32(const uint8_t *p) {
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

/// One top-level column: where its node and buffers sit in each record batch.
struct Column {
    std::string name, type, zone;
    ArrowIPCKind kind = ARROW_IPC_OTHER;
    int unit = -1;
    /// Byte width of one value (INTEGER, FLOAT, TIMESTAMP).
    int width = 0;
    bool isSigned = true;
    /// Index of its FieldNode, of its first buffer, and the view-typed fields before it (whose
    /// data buffers each batch counts in `variadic_buffer_counts`).
    size_t node = 0, buffer = 0, viewsBefore = 0;
};

/// One record batch: its metadata and the body its buffers point into.
struct Batch {
    const fb::RecordBatch *metadata;
    const uint8_t *body;
    size_t bodyLength;
};

/// The buffers a field's array has in a record batch (the specification's "buffer listing for
/// each layout"); view types add their variadic data buffers, counted per batch.
size_t bufferCount(const fb::Field *field) {
    if (field->dictionary() != nullptr) return 2;  // validity and indices
    switch (field->type_type()) {
    case fb::Type_Null:
    case fb::Type_RunEndEncoded:
        return 0;
    case fb::Type_Struct_:
    case fb::Type_FixedSizeList:
        return 1;
    case fb::Type_Binary:
    case fb::Type_Utf8:
    case fb::Type_LargeBinary:
    case fb::Type_LargeUtf8:
    case fb::Type_ListView:
    case fb::Type_LargeListView:
        return 3;
    case fb::Type_Union: {
        const fb::Union *u = field->type_as_Union();
        return u != nullptr && u->mode() == fb::UnionMode_Dense ? 2 : 1;
    }
    default:
        return 2;  // validity and values (or offsets): primitives, lists, maps, views
    }
}

bool isView(const fb::Field *field) {
    return field->dictionary() == nullptr && (field->type_type() == fb::Type_BinaryView || field->type_type() == fb::Type_Utf8View);
}

/// Element `i` of a flatbuffer vector of structs or 8-byte scalars, copied out: the verifier
/// checks a vector's alignment to 4 bytes only, and these need 8.
template <typename T, typename Vector> T element(const Vector *vector, size_t i) {
    T value;
    std::memcpy(static_cast<void *>(&value), vector->Data() + i * sizeof(T), sizeof(T));
    return value;
}

const char *unitName(int unit) {
    static const char *names[] = {"s", "ms", "us", "ns"};
    return names[unit];
}

/// The column's type in words and what it can be read as.
void describe(const fb::Field *field, Column &column) {
    std::string type;
    switch (field->type_type()) {
    case fb::Type_Int: {
        const fb::Int *t = field->type_as_Int();
        int bits = t == nullptr ? 0 : t->bit_width();
        column.isSigned = t != nullptr && t->is_signed();
        type = (column.isSigned ? "int" : "uint") + std::to_string(bits);
        if (bits == 8 || bits == 16 || bits == 32 || bits == 64) {
            column.kind = ARROW_IPC_INTEGER;
            column.width = bits / 8;
        }
        break;
    }
    case fb::Type_FloatingPoint: {
        const fb::FloatingPoint *t = field->type_as_FloatingPoint();
        fb::Precision p = t == nullptr ? fb::Precision_HALF : t->precision();
        type = p == fb::Precision_HALF ? "float16" : p == fb::Precision_SINGLE ? "float32" : p == fb::Precision_DOUBLE ? "float64" : "float (unknown precision)";
        if (p == fb::Precision_SINGLE || p == fb::Precision_DOUBLE) {
            column.kind = ARROW_IPC_FLOAT;
            column.width = p == fb::Precision_SINGLE ? 4 : 8;
        }
        break;
    }
    case fb::Type_Timestamp: {
        const fb::Timestamp *t = field->type_as_Timestamp();
        int unit = t == nullptr ? -1 : int(t->unit());
        if (t != nullptr && t->timezone() != nullptr) column.zone = t->timezone()->str();
        if (unit < 0 || unit > 3) {
            type = "timestamp (unknown unit " + std::to_string(unit) + ")";
            break;
        }
        type = std::string("timestamp[") + unitName(unit) + (column.zone.empty() ? "" : ", tz=" + column.zone) + "]";
        column.kind = ARROW_IPC_TIMESTAMP;
        column.unit = unit;
        column.width = 8;
        break;
    }
    default: {
        const char *name = fb::EnumNameType(field->type_type());
        if (*name == '\0') {
            type = "an unknown type (tag " + std::to_string(int(field->type_type())) + ")";
        } else {
            // LargeUtf8 -> large_utf8, Struct_ -> struct
            for (const char *c = name; *c != '\0' && *c != '_'; c++) {
                if (std::isupper(*c) && c != name) type += '_';
                type += char(std::tolower(*c));
            }
        }
    }
    }
    if (field->dictionary() != nullptr) {
        column.kind = ARROW_IPC_OTHER;
        type = "dictionary-encoded " + type;
    }
    column.type = type;
}

/// Counts the nodes, buffers and view-typed fields of `field` and its children, in the
/// depth-first order record batches list them.
void walk(const fb::Field *field, size_t &nodes, size_t &buffers, size_t &views, int depth) {
    if (depth > 64) throw Problem{"has a schema nested more than 64 levels deep"};
    nodes += 1;
    buffers += bufferCount(field);
    if (isView(field)) views += 1;
    if (field->dictionary() != nullptr || field->children() == nullptr) return;
    for (const fb::Field *child : *field->children()) {
        if (child == nullptr) throw Problem{"has a schema field without its metadata"};
        walk(child, nodes, buffers, views, depth + 1);
    }
}

}  // namespace

struct ArrowIPCFile {
    const uint8_t *bytes;
    size_t size;
    std::string error;
    /// Copies of the footer and message flatbuffers, 8-byte aligned as flatbuffers reads them
    /// (in a file they need not be: a cut or pre-0.15 file shifts them).
    std::vector<std::vector<uint64_t>> flatbuffers;
    std::vector<Column> columns;
    std::vector<Batch> batches;
    size_t nodeCount = 0, bufferTotal = 0, viewCount = 0;
    int64_t rows = 0;
    std::string compression;
    /// The last column read, and room for a batch's decompressed validity and values buffers.
    std::vector<double> doubles;
    std::vector<int64_t> integers;
    std::vector<uint8_t> valid, bitScratch, valueScratch;

    void open() {
        if (size < 2 * 8 + 4 || std::memcmp(bytes, kMagic, kMagicLength) != 0) {
            throw Problem{size >= kMagicLength && std::memcmp(bytes, kMagic, kMagicLength) == 0
                ? "is cut short: an Arrow IPC file is at least 20 bytes, this one has " + std::to_string(size)
                : "is not an Arrow IPC file (it does not start with ARROW1)"};
        }
        if (std::memcmp(bytes + size - kMagicLength, kMagic, kMagicLength) != 0) {
            throw Problem{"is cut short or not a complete Arrow IPC file: it does not end with ARROW1 (an Arrow IPC stream, "
                          "or a file still being written?)"};
        }
        int32_t footerLength = readInt32(bytes + size - kMagicLength - 4);
        size_t footerEnd = size - kMagicLength - 4;
        if (footerLength <= 0 || size_t(footerLength) > footerEnd - 8) {
            throw Problem{"is corrupt: its footer length (" + std::to_string(footerLength) + " bytes) does not fit in the file"};
        }
        size_t footerStart = footerEnd - size_t(footerLength);
        const uint8_t *footerBytes = aligned(bytes + footerStart, size_t(footerLength));
        flatbuffers::Verifier footerVerifier(footerBytes, size_t(footerLength), kMaxDepth, kMaxTables);
        if (!fb::VerifyFooterBuffer(footerVerifier)) throw Problem{"is corrupt: its footer is not a valid Arrow footer flatbuffer"};
        const fb::Footer *footer = fb::GetFooter(footerBytes);
        const fb::Schema *schema = footer->schema();
        if (schema == nullptr || schema->fields() == nullptr) throw Problem{"is corrupt: its footer has no schema"};
        if (schema->endianness() != fb::Endianness_Little) throw Problem{"is big-endian; modelc reads little-endian Arrow files (what pyarrow writes)"};
        readSchema(schema);
        if (footer->record_batches() != nullptr) {
            for (flatbuffers::uoffset_t i = 0; i < footer->record_batches()->size(); i++) {
                readBatch(element<fb::Block>(footer->record_batches(), i), i, footer->record_batches()->size(), footerStart);
            }
        }
    }

    void readSchema(const fb::Schema *schema) {
        for (const fb::Field *field : *schema->fields()) {
            if (field == nullptr) throw Problem{"has a schema field without its metadata"};
            Column column;
            column.name = field->name() == nullptr ? "" : field->name()->str();
            column.node = nodeCount;
            column.buffer = bufferTotal;
            column.viewsBefore = viewCount;
            describe(field, column);
            walk(field, nodeCount, bufferTotal, viewCount, 0);
            columns.push_back(column);
        }
    }

    /// An 8-byte aligned copy of `length` bytes at `p`, kept as long as the handle.
    const uint8_t *aligned(const uint8_t *p, size_t length) {
        flatbuffers.emplace_back((length + 7) / 8);
        std::memcpy(flatbuffers.back().data(), p, length);
        return reinterpret_cast<const uint8_t *>(flatbuffers.back().data());
    }

    /// Checks where record batch `index` lies and keeps its metadata and body.
    void readBatch(const fb::Block &block, size_t index, size_t count, size_t end) {
        std::string where = "record batch " + std::to_string(index + 1) + " of " + std::to_string(count);
        int64_t offset = block.offset(), metadataLength = block.metadata_length(), bodyLength = block.body_length();
        if (offset < 8 || metadataLength < 8 || bodyLength < 0 || uint64_t(offset) > end || uint64_t(metadataLength) > end - uint64_t(offset)
            || uint64_t(bodyLength) > end - uint64_t(offset) - uint64_t(metadataLength)) {
            throw Problem{"is corrupt or cut short: " + where + " lies outside the file (the footer says it starts at byte "
                          + std::to_string(offset) + ")"};
        }
        const uint8_t *start = bytes + offset;
        size_t prefix = readInt32(start) == -1 ? 8 : 4;  // continuation marker, or the pre-0.15 form
        int32_t length = readInt32(start + prefix - 4);
        if (length <= 0 || size_t(length) > size_t(metadataLength) - prefix) {
            throw Problem{"is corrupt: " + where + "'s metadata length (" + std::to_string(length) + ") does not fit its block"};
        }
        const uint8_t *metadataBytes = aligned(start + prefix, size_t(length));
        flatbuffers::Verifier verifier(metadataBytes, size_t(length), kMaxDepth, kMaxTables);
        if (!verifier.VerifyBuffer<fb::Message>(nullptr)) throw Problem{"is corrupt: " + where + "'s metadata is not a valid Arrow message flatbuffer"};
        const fb::Message *message = flatbuffers::GetRoot<fb::Message>(metadataBytes);
        const fb::RecordBatch *metadata = message->header_as_RecordBatch();
        if (metadata == nullptr) {
            throw Problem{"is corrupt: " + where + " is a " + fb::EnumNameMessageHeader(message->header_type()) + " message, not a record batch"};
        }
        if (message->body_length() < 0 || message->body_length() > bodyLength) {
            throw Problem{"is corrupt: " + where + "'s body length (" + std::to_string(message->body_length()) + ") does not fit its block"};
        }
        if (metadata->length() < 0 || metadata->length() > kMaxRows - rows) {
            throw Problem{metadata->length() < 0 ? "is corrupt: " + where + " has a negative length"
                                                 : "has more than " + std::to_string(kMaxRows) + " rows; split it into smaller files"};
        }
        size_t views = 0;
        if (metadata->variadic_buffer_counts() != nullptr) {
            if (metadata->variadic_buffer_counts()->size() != viewCount) throw Problem{"is corrupt: " + where + " does not count the data buffers of each view column"};
            for (size_t i = 0; i < viewCount; i++) {
                int64_t n = element<int64_t>(metadata->variadic_buffer_counts(), i);
                if (n < 0 || n > 1 << 20) throw Problem{"is corrupt: " + where + " counts " + std::to_string(n) + " data buffers for a view column"};
                views += size_t(n);
            }
        } else if (viewCount > 0) {
            throw Problem{"is corrupt: " + where + " does not count the data buffers of its view columns"};
        }
        if (metadata->nodes() == nullptr || metadata->nodes()->size() != nodeCount || metadata->buffers() == nullptr
            || metadata->buffers()->size() != bufferTotal + views) {
            throw Problem{"is corrupt: " + where + " does not have the arrays and buffers its schema calls for"};
        }
        std::string codec;
        if (const fb::BodyCompression *compression = metadata->compression()) {
            if (compression->method() != fb::BodyCompressionMethod_BUFFER) throw Problem{where + " is compressed by a method modelc does not know"};
            switch (compression->codec()) {
            case fb::CompressionType_LZ4_FRAME: codec = "lz4"; break;
            case fb::CompressionType_ZSTD: codec = "zstd"; break;
            default: throw Problem{where + " is compressed with an unknown codec (" + std::to_string(int(compression->codec())) + "); modelc reads lz4 and zstd"};
            }
        }
        if (!codec.empty() && compression.empty()) compression = codec;
        batches.push_back(Batch{metadata, start + metadataLength, size_t(message->body_length())});
        rows += metadata->length();
    }

    /// The bytes of buffer `index` of a batch, decompressed into `scratch` when compressed.
    std::pair<const uint8_t *, size_t> buffer(const Batch &batch, size_t index, std::vector<uint8_t> &scratch, const std::string &where) {
        const fb::Buffer b = element<fb::Buffer>(batch.metadata->buffers(), index);
        if (b.offset() < 0 || b.length() < 0 || uint64_t(b.offset()) > batch.bodyLength || uint64_t(b.length()) > batch.bodyLength - uint64_t(b.offset())) {
            throw Problem{"is corrupt: " + where + ": a buffer lies outside the batch's body"};
        }
        const uint8_t *data = batch.body + b.offset();
        size_t length = size_t(b.length());
        const fb::BodyCompression *compression = batch.metadata->compression();
        if (compression == nullptr || length == 0) return {data, length};
        if (length < 8) throw Problem{"is corrupt: " + where + ": a compressed buffer is shorter than its 8-byte length"};
        int64_t decoded = readInt64(data);
        if (decoded == -1) return {data + 8, length - 8};  // stored uncompressed
        if (decoded < 0 || decoded > kMaxRows * 8) {
            throw Problem{"is corrupt: " + where + ": a compressed buffer says it holds " + std::to_string(decoded) + " bytes"};
        }
        if (compression->codec() == fb::CompressionType_ZSTD) {
            inflateZstd(data + 8, length - 8, size_t(decoded), scratch, where);
        } else {
            inflateLZ4(data + 8, length - 8, size_t(decoded), scratch, where);
        }
        return {scratch.data(), scratch.size()};
    }

    /// Makes room in `scratch` past `out` bytes when it is full, doubling up to `total`: memory
    /// grows with what a buffer really decompresses to, not with the length it claims.
    static void grow(std::vector<uint8_t> &scratch, size_t out, size_t total) {
        if (out == scratch.size() && out < total) scratch.resize(std::min(total, std::max(out * 2, size_t(1) << 16)));
    }

    /// Decompresses one LZ4 frame of `total` bytes into `scratch`.
    static void inflateLZ4(const uint8_t *input, size_t length, size_t total, std::vector<uint8_t> &scratch, const std::string &where) {
        LZ4F_dctx *context = nullptr;
        if (LZ4F_isError(LZ4F_createDecompressionContext(&context, LZ4F_VERSION))) throw std::bad_alloc();
        std::unique_ptr<LZ4F_dctx, LZ4F_errorCode_t (*)(LZ4F_dctx *)> owner(context, LZ4F_freeDecompressionContext);
        scratch.clear();
        size_t in = 0, out = 0;
        while (true) {
            grow(scratch, out, total);
            size_t source = length - in, target = scratch.size() - out;
            size_t hint = LZ4F_decompress(context, scratch.data() + out, &target, input + in, &source, nullptr);
            if (LZ4F_isError(hint)) throw Problem{"is corrupt: " + where + ": lz4 cannot decompress a buffer (" + LZ4F_getErrorName(hint) + ")"};
            in += source;
            out += target;
            if (hint == 0) break;  // the frame is complete
            if (source == 0 && target == 0) {
                throw Problem{"is corrupt: " + where + (in == length ? ": an lz4 buffer is cut short" : ": an lz4 buffer decompresses to more bytes than it says")};
            }
        }
        if (out != total) throw Problem{"is corrupt: " + where + ": an lz4 buffer decompresses to fewer bytes than it says"};
    }

    /// Decompresses one zstd frame of `total` bytes into `scratch`.
    static void inflateZstd(const uint8_t *input, size_t length, size_t total, std::vector<uint8_t> &scratch, const std::string &where) {
        std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx *)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
        if (context == nullptr) throw std::bad_alloc();
        scratch.clear();
        ZSTD_inBuffer in{input, length, 0};
        size_t out = 0;
        while (true) {
            grow(scratch, out, total);
            ZSTD_outBuffer target{scratch.data(), scratch.size(), out};
            size_t consumed = in.pos;
            size_t hint = ZSTD_decompressStream(context.get(), &target, &in);
            if (ZSTD_isError(hint)) throw Problem{"is corrupt: " + where + ": zstd cannot decompress a buffer (" + ZSTD_getErrorName(hint) + ")"};
            bool progress = in.pos != consumed || target.pos != out;
            out = target.pos;
            if (hint == 0) break;  // the frame is complete
            if (!progress) {
                throw Problem{"is corrupt: " + where + (in.pos == length ? ": a zstd buffer is cut short" : ": a zstd buffer decompresses to more bytes than it says")};
            }
        }
        if (out != total) throw Problem{"is corrupt: " + where + ": a zstd buffer decompresses to fewer bytes than it says"};
    }

    /// Walks every batch of `column`, handing `decode` each batch's value bytes, its length and
    /// where its rows start; marks nulls in `valid`. Room for a batch's rows is made only once its
    /// buffers are known to hold them, so a corrupt length cannot claim memory the file lacks.
    template <typename Decode> void read(size_t index, Decode decode) {
        const Column &column = columns.at(index);
        valid.clear();
        size_t row = 0;
        for (size_t b = 0; b < batches.size(); b++) {
            const Batch &batch = batches[b];
            std::string where = "column \"" + column.name + "\", record batch " + std::to_string(b + 1);
            const fb::FieldNode node = element<fb::FieldNode>(batch.metadata->nodes(), column.node);
            int64_t n = batch.metadata->length();
            if (node.length() != n) throw Problem{"is corrupt: " + where + " has " + std::to_string(node.length()) + " values for " + std::to_string(n) + " rows"};
            if (node.null_count() < 0 || node.null_count() > n) throw Problem{"is corrupt: " + where + " counts " + std::to_string(node.null_count()) + " nulls"};
            size_t first = column.buffer;
            if (column.viewsBefore > 0) {
                for (size_t v = 0; v < column.viewsBefore; v++) first += size_t(element<int64_t>(batch.metadata->variadic_buffer_counts(), v));
            }
            std::pair<const uint8_t *, size_t> bits{nullptr, 0};
            if (node.null_count() > 0) {
                bits = buffer(batch, first, bitScratch, where);
                if (bits.second < size_t((n + 7) / 8)) throw Problem{"is corrupt: " + where + ": its validity bitmap is too short"};
            }
            auto values = buffer(batch, first + 1, valueScratch, where);
            if (values.second / size_t(column.width) < size_t(n)) throw Problem{"is corrupt: " + where + ": its values buffer is too short"};
            valid.resize(row + size_t(n), 1);
            for (int64_t i = 0; bits.first != nullptr && i < n; i++) valid[row + size_t(i)] = (bits.first[i / 8] >> (i % 8)) & 1;
            decode(values.first, size_t(n), row, where);
            row += size_t(n);
        }
    }

    /// The value at `p` of an INTEGER, FLOAT or TIMESTAMP column as T.
    template <typename T> static T value(const Column &c, const uint8_t *p) {
        auto load = [p](auto v) {
            std::memcpy(&v, p, sizeof v);
            return T(v);
        };
        if (c.kind == ARROW_IPC_FLOAT) return c.width == 4 ? load(float()) : load(double());
        switch (c.width) {
        case 1: return c.isSigned ? load(int8_t()) : load(uint8_t());
        case 2: return c.isSigned ? load(int16_t()) : load(uint16_t());
        case 4: return c.isSigned ? load(int32_t()) : load(uint32_t());
        default: return c.isSigned ? load(int64_t()) : load(uint64_t());
        }
    }
};

namespace {

/// Runs `body`, turning a thrown problem (or exhausted memory) into the handle's error.
template <typename Body> bool guarded(ArrowIPCFile *file, Body body) {
    try {
        file->error.clear();
        body();
        return true;
    } catch (const Problem &problem) {
        file->error = problem.message;
    } catch (const std::bad_alloc &) {
        file->error = "cannot be read: out of memory";
    }
    return false;
}

}  // namespace

extern "C" {

ArrowIPCFile *arrow_ipc_open(const uint8_t *bytes, size_t size) {
    ArrowIPCFile *file = new (std::nothrow) ArrowIPCFile();
    if (file == nullptr) return nullptr;
    file->bytes = bytes;
    file->size = size;
    guarded(file, [&] { file->open(); });
    return file;
}

void arrow_ipc_close(ArrowIPCFile *file) { delete file; }

const char *arrow_ipc_error(const ArrowIPCFile *file) { return file->error.empty() ? nullptr : file->error.c_str(); }

size_t arrow_ipc_column_count(const ArrowIPCFile *file) { return file->columns.size(); }
const char *arrow_ipc_column_name(const ArrowIPCFile *file, size_t column) { return file->columns.at(column).name.c_str(); }
const char *arrow_ipc_column_type(const ArrowIPCFile *file, size_t column) { return file->columns.at(column).type.c_str(); }
ArrowIPCKind arrow_ipc_column_kind(const ArrowIPCFile *file, size_t column) { return file->columns.at(column).kind; }
int arrow_ipc_timestamp_unit(const ArrowIPCFile *file, size_t column) { return file->columns.at(column).unit; }
const char *arrow_ipc_timestamp_zone(const ArrowIPCFile *file, size_t column) { return file->columns.at(column).zone.c_str(); }
int64_t arrow_ipc_row_count(const ArrowIPCFile *file) { return file->rows; }
const char *arrow_ipc_compression(const ArrowIPCFile *file) { return file->compression.c_str(); }

bool arrow_ipc_read_float64(ArrowIPCFile *file, size_t column, const double **values, const uint8_t **valid) {
    bool ok = guarded(file, [&] {
        const Column &c = file->columns.at(column);
        if (c.kind != ARROW_IPC_FLOAT && c.kind != ARROW_IPC_INTEGER) throw Problem{"column \"" + c.name + "\" (" + c.type + ") is not numeric"};
        file->doubles.clear();
        file->read(column, [&](const uint8_t *p, size_t n, size_t row, const std::string &) {
            file->doubles.resize(row + n);
            for (size_t i = 0; i < n; i++) file->doubles[row + i] = ArrowIPCFile::value<double>(c, p + i * size_t(c.width));
        });
    });
    *values = file->doubles.data();
    *valid = file->valid.data();
    return ok;
}

bool arrow_ipc_read_int64(ArrowIPCFile *file, size_t column, const int64_t **values, const uint8_t **valid) {
    bool ok = guarded(file, [&] {
        const Column &c = file->columns.at(column);
        if (c.kind != ARROW_IPC_TIMESTAMP && c.kind != ARROW_IPC_INTEGER) throw Problem{"column \"" + c.name + "\" (" + c.type + ") does not hold integers"};
        file->integers.clear();
        file->read(column, [&](const uint8_t *p, size_t n, size_t row, const std::string &where) {
            file->integers.resize(row + n);
            for (size_t i = 0; i < n; i++) {
                const uint8_t *at = p + i * size_t(c.width);
                if (!c.isSigned && c.width == 8 && ArrowIPCFile::value<uint64_t>(c, at) > uint64_t(INT64_MAX) && file->valid[row + i]) {
                    throw Problem{where + ", row " + std::to_string(row + i + 1) + ": " + std::to_string(ArrowIPCFile::value<uint64_t>(c, at)) + " is too large"};
                }
                file->integers[row + i] = ArrowIPCFile::value<int64_t>(c, at);
            }
        });
    });
    *values = file->integers.data();
    *valid = file->valid.data();
    return ok;
}

}  // extern "C"

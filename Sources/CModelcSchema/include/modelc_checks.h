/* Hand-written beside the generated schema code: what swift-protobuf refuses and protobuf-c does
 * not check, so that both readers of the format refuse the same bytes. */
#ifndef MODELC_CHECKS_H
#define MODELC_CHECKS_H
#include <protobuf-c/protobuf-c.h>
#include <stdint.h>

/* Bytes before each block of the runtime's parse allocator (ParseBudget), holding its size. */
#define MODELC_BLOCK_HEADER 16

/* Whether every string field of `message`, and of every message it holds, is valid UTF-8 without
 * NUL bytes: proto3 requires UTF-8 and swift-protobuf enforces it (protobuf-c does not), and a
 * NUL would cut the string short in C, so the two readers would see different strings. The
 * message must have been unpacked with the ParseBudget allocator, whose block sizes show a string's
 * length. On failure stores the offending field's message and field names (static strings) and
 * returns 0. */
int modelc_strings_valid(const ProtobufCMessage *message, const char **message_name, const char **field);

/* Whether `data` is wire format swift-protobuf can read, in what protobuf-c lets through: every
 * tag a varint that fits 32 bits with a field number >= 1 (protobuf-c drops a long tag's high
 * bits and keeps field 0 as an unknown field) and is not padded (protobuf-c re-encodes an
 * unknown field's tag, swift-protobuf keeps it as stored), every varint at most 10 bytes, every
 * length within the data; the messages of known fields checked the same way. Returns 1 or 0. */
int modelc_wire_valid(const ProtobufCMessageDescriptor *descriptor, const uint8_t *data, size_t length);

#endif

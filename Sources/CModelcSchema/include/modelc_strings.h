/* Hand-written beside the generated schema code: the UTF-8 rule of proto3 strings. */
#ifndef MODELC_STRINGS_H
#define MODELC_STRINGS_H
#include <protobuf-c/protobuf-c.h>

/* Bytes before each block of the runtime's parse allocator (ParseBudget), holding its size. */
#define MODELC_BLOCK_HEADER 16

/* Whether every string field of `message`, and of every message it holds, is valid UTF-8 without
 * NUL bytes: proto3 requires UTF-8 and swift-protobuf enforces it (protobuf-c does not), and a
 * NUL would cut the string short in C, so the two readers would see different strings. The
 * message must have been unpacked with the ParseBudget allocator, whose block sizes show a string's
 * length. Also refuses field number 0, which protobuf-c keeps as an unknown field and
 * swift-protobuf refuses. Returns 1 when valid; 0 for a bad string, with the offending field's
 * message and field names (static strings) stored; -1 for a field number 0, with the message name
 * stored. */
int modelc_strings_valid(const ProtobufCMessage *message, const char **message_name, const char **field);

#endif

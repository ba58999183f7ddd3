/* Hand-written beside the generated schema code: what swift-protobuf refuses and protobuf-c does
 * not check, so that the runtime (protobuf-c) refuses it too. */
#include "include/modelc_checks.h"
#include <stdint.h>
#include <string.h>

/* Well-formed UTF-8 (Unicode 15, table 3-7): no overlong forms, no surrogates, at most U+10FFFF. */
static int utf8_valid(const unsigned char *s) {
    while (*s) {
        unsigned char c = s[0];
        if (c < 0x80) { s += 1; continue; }
        int n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) n = 1;
        else if (c == 0xE0) { n = 2; lo = 0xA0; }
        else if (c == 0xED) { n = 2; hi = 0x9F; }
        else if (c >= 0xE1 && c <= 0xEF) n = 2;
        else if (c == 0xF0) { n = 3; lo = 0x90; }
        else if (c == 0xF4) { n = 3; hi = 0x8F; }
        else if (c >= 0xF1 && c <= 0xF3) n = 3;
        else return 0;
        if (s[1] < lo || s[1] > hi) return 0;
        for (int i = 2; i <= n; i++) if (s[i] < 0x80 || s[i] > 0xBF) return 0;
        s += n + 1;
    }
    return 1;
}

int modelc_strings_valid(const ProtobufCMessage *message, const char **message_name, const char **field) {
    const ProtobufCMessageDescriptor *d = message->descriptor;

    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_MESSAGE) continue;
        const char *member = (const char *)message + f->offset;
        size_t count = 1;
        const void *const *items = (const void *const *)member;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            count = *(const size_t *)((const char *)message + f->quantifier_offset);
            items = *(const void *const *const *)member;
        } else if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
                   && *(const uint32_t *)((const char *)message + f->quantifier_offset) != f->id) {
            continue;  /* another member of the oneof is set */
        }
        for (size_t k = 0; k < count; k++) {
            const void *item = items[k];
            if (item == NULL) continue;
            if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
                if (!modelc_strings_valid(item, message_name, field)) return 0;
            } else if (!utf8_valid(item)
                       || (item != protobuf_c_empty_string && item != f->default_value
                           && strlen(item) + 1 != *(const size_t *)((const char *)item - MODELC_BLOCK_HEADER))) {
                *message_name = d->short_name;
                *field = f->name;
                return 0;
            }
        }
    }
    return 1;
}

/* One varint of at most 10 bytes; 0 when it runs past `end` or is longer. */
static int read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out) {
    uint64_t v = 0;
    for (unsigned i = 0; i < 10 && *p < end; i++) {
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) { *out = v; return 1; }
    }
    return 0;
}

int modelc_wire_valid(const ProtobufCMessageDescriptor *descriptor, const uint8_t *data, size_t length) {
    const uint8_t *p = data, *end = data + length;
    while (p < end) {
        uint64_t tag, n;
        const uint8_t *tag_start = p;
        if (!read_varint(&p, end, &tag) || tag > UINT32_MAX || (tag >> 3) == 0) return 0;
        /* A padded tag (several bytes, the last 0x00): swift-protobuf keeps an unknown field's bytes
         * as stored and protobuf-c re-encodes its tag, so they would re-encode a header differently
         * and disagree on what a signature covers (Spec.md §12.5). */
        if (p - tag_start > 1 && p[-1] == 0) return 0;
        switch (tag & 7) {
        case 0: if (!read_varint(&p, end, &n)) return 0; break;
        case 1: if (end - p < 8) return 0; p += 8; break;
        case 5: if (end - p < 4) return 0; p += 4; break;
        case 2: {
            if (!read_varint(&p, end, &n) || n > (uint64_t)(end - p)) return 0;
            const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(descriptor, (unsigned)(tag >> 3));
            if (f && f->type == PROTOBUF_C_TYPE_MESSAGE && !modelc_wire_valid(f->descriptor, p, (size_t)n)) return 0;
            p += n;
            break;
        }
        default: return 0;  /* groups and invalid wire types: protobuf-c refuses them too */
        }
    }
    return 1;
}

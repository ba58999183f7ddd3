/* Hand-written beside the generated schema code: the UTF-8 rule of proto3 strings, so that the
 * runtime (protobuf-c) refuses exactly the strings swift-protobuf refuses. */
#include "include/modelc_strings.h"
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
    for (unsigned i = 0; i < message->n_unknown_fields; i++) {
        if (message->unknown_fields[i].tag == 0) {  /* kept by protobuf-c, refused by swift-protobuf */
            *message_name = d->short_name;
            *field = NULL;
            return -1;
        }
    }
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
                int nested = modelc_strings_valid(item, message_name, field);
                if (nested != 1) return nested;
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

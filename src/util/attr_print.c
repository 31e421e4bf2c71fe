/*
 * attr_print - the encoding-independent half of sending an attribute list.
 *
 * attr_vprint_codec() walks a SEND_ATTR_* argument list and hands each name
 * and value, as text, to the wire encoding: integers in decimal, DATA as
 * base64 when the encoding carries text, a table as "{", its entries in key
 * order, "}". A custom callback prints its own nested sequence through the
 * same encoding, with ATTR_FLAG_MORE so that no terminator appears in the
 * middle of the list. Unless ATTR_FLAG_MORE is given, the list terminator
 * goes last. Output is buffered; the caller flushes (reading from the same
 * stream flushes too).
 *
 * The result is 0, or -1 when the stream has an error. A bad type code or a
 * negative DATA length is a caller bug and panics.
 * attr_skip_print_args() steps over a SEND_ATTR_* list without printing it,
 * for callers that take a send list and a receive list in one call.
 */

#include <stdio.h>
#include <string.h>

#include "attr_engine.h"
#include "msg.h"
#include "mymalloc.h"

/* attr_print_table - a table as "{", its entries in key order, "}" */
static void attr_print_table(const ATTR_CODEC *codec, VSTREAM *fp, HTABLE *table)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    const char *value;

    codec->put_marker(fp, ATTR_NAME_OPEN);
    list = htable_list_sorted(table);
    for (ht = list; *ht; ht++) {
        value = (*ht)->value ? (const char *)(*ht)->value : "";
        codec->put_attr(fp, (*ht)->key, value, strlen(value));
    }
    myfree(list);
    codec->put_marker(fp, ATTR_NAME_CLOSE);
}

/* attr_print_data - counted bytes, base64-coded when the encoding needs text */
static void attr_print_data(const ATTR_CODEC *codec, VSTREAM *fp, const char *name,
                            const char *data, ssize_t len)
{
    VSTRING *buf;

    if (len < 0)
        msg_panic("attr_print: bad length %ld for attribute %s", (long)len, name);
    if (!codec->data_as_base64) {
        codec->put_attr(fp, name, data, len);
        return;
    }
    buf = vstring_alloc(len + len / 2 + 4);
    attr_b64_encode(buf, data, len);
    codec->put_attr(fp, name, vstring_str(buf), VSTRING_LEN(buf));
    vstring_free(buf);
}

/* attr_vprint_codec - send one attribute list in the given encoding */
int attr_vprint_codec(const ATTR_CODEC *codec, VSTREAM *fp, int flags, va_list ap)
{
    char num[64];
    const char *name;
    const char *str;
    const void *ptr;
    ssize_t len;
    int type;
    ATTR_PRINT_CUSTOM_FN print_fn;

    if (flags & ~ATTR_FLAG_ALL)
        msg_panic("attr_print: bad flags 0x%x", (unsigned)flags);
    while ((type = va_arg(ap, int)) != ATTR_TYPE_END) {
        switch (type) {
        case ATTR_TYPE_INT:
            name = va_arg(ap, const char *);
            snprintf(num, sizeof(num), "%d", va_arg(ap, int));
            codec->put_attr(fp, name, num, strlen(num));
            break;
        case ATTR_TYPE_LONG:
            name = va_arg(ap, const char *);
            snprintf(num, sizeof(num), "%ld", va_arg(ap, long));
            codec->put_attr(fp, name, num, strlen(num));
            break;
        case ATTR_TYPE_STR:
            name = va_arg(ap, const char *);
            str = va_arg(ap, const char *);
            if (str == 0)
                msg_panic("attr_print: null value for attribute %s", name);
            codec->put_attr(fp, name, str, strlen(str));
            break;
        case ATTR_TYPE_DATA:
            name = va_arg(ap, const char *);
            len = va_arg(ap, ssize_t);
            ptr = va_arg(ap, const void *);
            attr_print_data(codec, fp, name, ptr, len);
            break;
        case ATTR_TYPE_HASH:
            attr_print_table(codec, fp, va_arg(ap, HTABLE *));
            break;
        case ATTR_TYPE_FUNC:
            print_fn = va_arg(ap, ATTR_PRINT_CUSTOM_FN);
            ptr = va_arg(ap, const void *);
            print_fn(codec->print_fn, fp, flags | ATTR_FLAG_MORE, ptr);
            break;
        default:
            msg_panic("attr_print: unknown type code %d", type);
        }
    }
    if ((flags & ATTR_FLAG_MORE) == 0)
        vstream_putc(codec->terminator, fp);
    return (vstream_ferror(fp) ? -1 : 0);
}

/* attr_skip_print_args - consume a SEND_ATTR_* list up to and including its end */
void attr_skip_print_args(va_list *app)
{
    int type;

    while ((type = va_arg(*app, int)) != ATTR_TYPE_END) {
        switch (type) {
        case ATTR_TYPE_INT:
            (void)va_arg(*app, const char *);
            (void)va_arg(*app, int);
            break;
        case ATTR_TYPE_LONG:
            (void)va_arg(*app, const char *);
            (void)va_arg(*app, long);
            break;
        case ATTR_TYPE_STR:
            (void)va_arg(*app, const char *);
            (void)va_arg(*app, const char *);
            break;
        case ATTR_TYPE_DATA:
            (void)va_arg(*app, const char *);
            (void)va_arg(*app, ssize_t);
            (void)va_arg(*app, const void *);
            break;
        case ATTR_TYPE_HASH:
            (void)va_arg(*app, HTABLE *);
            break;
        case ATTR_TYPE_FUNC:
            (void)va_arg(*app, ATTR_PRINT_CUSTOM_FN);
            (void)va_arg(*app, const void *);
            break;
        default:
            msg_panic("attr_skip_print_args: unknown type code %d", type);
        }
    }
}

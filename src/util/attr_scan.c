/*
 * attr_scan - the encoding-independent half of receiving an attribute list.
 *
 * attr_vscan_codec() walks a RECV_ATTR_* argument list and looks in the
 * input for each wanted attribute in turn. Attributes that the caller does
 * not ask for are skipped (with ATTR_FLAG_EXTRA they end the scan with a
 * warning instead); a list that ends before every wanted attribute arrived
 * is accepted (with ATTR_FLAG_MISSING, with a warning). Unless
 * ATTR_FLAG_MORE is given, the scan reads through the list terminator, so
 * the next scan starts at the next list.
 *
 * Every name and value is limited in length (attr_scan_set_limit(), default
 * ATTR_SCAN_LIMIT_DEFAULT bytes) and a received table in entries
 * (ATTR_HASH_LIMIT); numbers must be plain decimal; DATA must be valid
 * base64 where the encoding uses it; a STREQ value must match exactly.
 *
 * The result is the number of attributes received (a table or a custom
 * callback counts as one), which callers compare with the number they
 * asked for. -1 means end-of-file, a timeout or a protocol error; every
 * error except a clean end-of-file before the first byte is logged with a
 * warning that names the stream. Input is never trusted: garbage yields -1
 * and never a crash.
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "attr_engine.h"
#include "msg.h"
#include "mymalloc.h"

static size_t attr_limit = ATTR_SCAN_LIMIT_DEFAULT;

/* attr_scan_set_limit - set the per-name and per-value limit; returns the old one */
size_t attr_scan_set_limit(size_t limit)
{
    size_t old = attr_limit;

    if (limit < 64)
        msg_panic("attr_scan_set_limit: limit %lu is too small", (unsigned long)limit);
    attr_limit = limit;
    return (old);
}

/* attr_scan_limit - the current per-name and per-value limit */
size_t attr_scan_limit(void)
{
    return (attr_limit);
}

/* attr_read_until - read bytes up to delim (not stored) within limit */
int attr_read_until(ATTR_SCAN_STATE *state, VSTRING *buf, int delim, size_t limit,
                    const char *context)
{
    int ch;

    VSTRING_RESET(buf);
    for (;;) {
        if ((ch = vstream_getc(state->fp)) == VSTREAM_EOF) {
            if (state->started || VSTRING_LEN(buf) > 0 || vstream_ftimeout(state->fp))
                msg_warn("%s on %s while reading %s",
                         vstream_ftimeout(state->fp) ? "timeout" : "premature end-of-input",
                         vstream_path(state->fp), context);
            return (-1);
        }
        state->started = 1;
        if (ch == delim)
            return (0);
        if (VSTRING_LEN(buf) >= limit) {
            msg_warn("string length > %lu characters from %s while reading %s",
                     (unsigned long)limit, vstream_path(state->fp), context);
            return (-1);
        }
        VSTRING_ADDCH(buf, ch);
    }
}

/* attr_parse_number - strict decimal, optionally negative, within [min, umax] */
static int attr_parse_number(const char *str, long long min, unsigned long long umax,
                             unsigned long long *result)
{
    const char *cp = str;
    char *end;
    long long sval;
    unsigned long long uval;

    if (*cp == '-')
        cp++;
    if (*cp < '0' || *cp > '9')
        return (-1);
    errno = 0;
    if (*str == '-') {
        sval = strtoll(str, &end, 10);
        if (errno || *end || sval < min)
            return (-1);
        *result = (unsigned long long)sval;
    } else {
        uval = strtoull(str, &end, 10);
        if (errno || *end || uval > umax)
            return (-1);
        *result = uval;
    }
    return (0);
}

/* attr_scan_table - read "key value" pairs after "{" until "}" */
static int attr_scan_table(const ATTR_CODEC *codec, ATTR_SCAN_STATE *state, HTABLE *table,
                           VSTRING *value)
{
    HTABLE_INFO *ht;
    int count = 0;
    int got;

    for (;;) {
        if ((got = codec->get_name(state)) == ATTR_GOT_ERROR)
            return (-1);
        if (got == ATTR_GOT_MARKER && strcmp(vstring_str(state->name), ATTR_NAME_CLOSE) == 0)
            return (0);
        if (got != ATTR_GOT_NAME) {
            msg_warn("malformed table in input from %s", vstream_path(state->fp));
            return (-1);
        }
        if (codec->get_value(state, value) < 0)
            return (-1);
        if (++count > ATTR_HASH_LIMIT) {
            msg_warn("table with more than %d entries in input from %s", ATTR_HASH_LIMIT,
                     vstream_path(state->fp));
            return (-1);
        }
        if ((ht = htable_locate(table, vstring_str(state->name))) != 0) {
            myfree(ht->value);
            ht->value = mystrdup(vstring_str(value));
        } else {
            htable_enter(table, vstring_str(state->name), mystrdup(vstring_str(value)));
        }
    }
}

/* attr_skip - step over an attribute the caller did not ask for */
static int attr_skip(const ATTR_CODEC *codec, ATTR_SCAN_STATE *state, int got, VSTRING *junk)
{
    int depth = 0;

    do {
        if (got == ATTR_GOT_NAME && codec->get_value(state, junk) < 0)
            return (-1);
        if (got == ATTR_GOT_MARKER)
            depth += strcmp(vstring_str(state->name), ATTR_NAME_OPEN) == 0 ? 1 : -1;
        if (depth < 0 || got == ATTR_GOT_END) {
            msg_warn("malformed table in input from %s", vstream_path(state->fp));
            return (-1);
        }
    } while (depth > 0 && (got = codec->get_name(state)) != ATTR_GOT_ERROR);
    return (got == ATTR_GOT_ERROR ? -1 : 0);
}

/* attr_convert - store one received value as the caller's type; 0 or -1 */
static int attr_convert(const ATTR_CODEC *codec, ATTR_SCAN_STATE *state, int type, const char *name,
                        va_list *app, VSTRING *value)
{
    unsigned long long num;
    const char *expect;
    VSTRING *out;

    switch (type) {
    case ATTR_TYPE_INT:
    case ATTR_TYPE_LONG:
        if (codec->get_value(state, value) < 0)
            return (-1);
        if (attr_parse_number(vstring_str(value), type == ATTR_TYPE_INT ? INT_MIN : LONG_MIN,
                              type == ATTR_TYPE_INT ? UINT_MAX : ULONG_MAX, &num) < 0) {
            msg_warn("malformed numerical data %.100s for attribute %s from %s", vstring_str(value),
                     name, vstream_path(state->fp));
            return (-1);
        }
        if (type == ATTR_TYPE_INT)
            *va_arg(*app, int *) = (int)(unsigned int)num;
        else
            *va_arg(*app, long *) = (long)(unsigned long)num;
        return (0);
    case ATTR_TYPE_STR:
        return (codec->get_value(state, va_arg(*app, VSTRING *)));
    case ATTR_TYPE_DATA:
        out = va_arg(*app, VSTRING *);
        if (!codec->data_as_base64)
            return (codec->get_value(state, out));
        if (codec->get_value(state, value) < 0)
            return (-1);
        if (attr_b64_decode(out, vstring_str(value), VSTRING_LEN(value)) < 0) {
            msg_warn("malformed base64 data for attribute %s from %s: %.100s", name,
                     vstream_path(state->fp), vstring_str(value));
            return (-1);
        }
        return (0);
    case ATTR_TYPE_STREQ:
        expect = va_arg(*app, const char *);
        if (codec->get_value(state, value) < 0)
            return (-1);
        if (strcmp(vstring_str(value), expect) != 0 || VSTRING_LEN(value) != strlen(expect)) {
            msg_warn("unexpected %s %.100s from %s (expected: %s)", name, vstring_str(value),
                     vstream_path(state->fp), expect);
            return (-1);
        }
        return (0);
    case ATTR_TYPE_HASH:
        return (attr_scan_table(codec, state, va_arg(*app, HTABLE *), value));
    default:
        msg_panic("attr_scan: unknown type code %d", type);
    }
}

/* attr_locate - find the wanted attribute; 1 found, 0 list ended, -1 error or extra */
static int attr_locate(const ATTR_CODEC *codec, ATTR_SCAN_STATE *state, int flags, int type,
                       const char *wanted, VSTRING *junk)
{
    int got;

    for (;;) {
        if ((got = codec->get_name(state)) == ATTR_GOT_ERROR)
            return (-1);
        if (got == ATTR_GOT_END) {
            if (type != ATTR_TYPE_END && (flags & ATTR_FLAG_MISSING))
                msg_warn("missing attribute %s in input from %s", wanted, vstream_path(state->fp));
            return (0);
        }
        if (type == ATTR_TYPE_HASH
                ? got == ATTR_GOT_MARKER && strcmp(vstring_str(state->name), ATTR_NAME_OPEN) == 0
                : type != ATTR_TYPE_END && got == ATTR_GOT_NAME &&
                      strcmp(vstring_str(state->name), wanted) == 0)
            return (1);
        if (flags & ATTR_FLAG_EXTRA) {
            msg_warn("unexpected attribute %.100s from %s (expecting: %s)",
                     vstring_str(state->name), vstream_path(state->fp), wanted);
            return (-2);
        }
        if (attr_skip(codec, state, got, junk) < 0)
            return (-1);
    }
}

/* attr_vscan_list - the scan proper, with buffers owned by the caller */
static int attr_vscan_list(const ATTR_CODEC *codec, ATTR_SCAN_STATE *state, int flags, va_list *app,
                           VSTRING *value)
{
    int conversions = 0;
    int type;
    const char *wanted;
    ATTR_SCAN_CUSTOM_FN scan_fn;
    void *ptr;
    int found;

    for (;;) {
        type = va_arg(*app, int);
        if (type == ATTR_TYPE_END && (flags & ATTR_FLAG_MORE))
            return (conversions);
        if (type == ATTR_TYPE_FUNC) {
            scan_fn = va_arg(*app, ATTR_SCAN_CUSTOM_FN);
            ptr = va_arg(*app, void *);
            if (scan_fn(codec->scan_fn, state->fp, flags | ATTR_FLAG_MORE, ptr) < 0)
                return (-1);
            conversions++;
            continue;
        }
        wanted = type == ATTR_TYPE_END    ? "(list terminator)"
                 : type == ATTR_TYPE_HASH ? ATTR_NAME_OPEN
                                          : va_arg(*app, const char *);
        if ((found = attr_locate(codec, state, flags, type, wanted, value)) == -1)
            return (-1);
        if (found == -2 || found == 0)
            return (conversions);
        if (attr_convert(codec, state, type, wanted, app, value) < 0)
            return (-1);
        conversions++;
    }
}

/* attr_vscan_codec - receive one attribute list in the given encoding */
int attr_vscan_codec(const ATTR_CODEC *codec, VSTREAM *fp, int flags, va_list ap)
{
    ATTR_SCAN_STATE state;
    VSTRING *value = vstring_alloc(100);
    va_list copy;
    int ret;

    if (flags & ~ATTR_FLAG_ALL)
        msg_panic("attr_scan: bad flags 0x%x", (unsigned)flags);
    state.fp = fp;
    state.name = vstring_alloc(100);
    state.stash = vstring_alloc(100);
    state.started = 0;
    va_copy(copy, ap);
    ret = attr_vscan_list(codec, &state, flags, &copy, value);
    va_end(copy);
    vstring_free(state.name);
    vstring_free(state.stash);
    vstring_free(value);
    return (ret);
}

/* attr_scan_more_codec - 1: another attribute follows, 0: list end (consumed), -1: EOF */
int attr_scan_more_codec(const ATTR_CODEC *codec, VSTREAM *fp)
{
    int ch;

    if ((ch = vstream_getc(fp)) == VSTREAM_EOF)
        return (-1);
    if (ch == codec->terminator)
        return (0);
    vstream_ungetc(fp, ch);
    return (1);
}

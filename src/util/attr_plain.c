/*
 * attr_plain - the line-oriented attribute encoding used for policy servers
 * and other external peers: "name=value\n" per attribute, an empty line
 * after the list, and a table as "{\n" then its "key=value\n" lines then
 * "}\n". A received line is split at its first "=", so values may contain
 * "=" but names may not; a line without "=" is a name with an empty value,
 * except "{" and "}", which frame a table. DATA values are sent as base64.
 *
 * The framing cannot carry a newline inside a name or value, nor "=" inside
 * a name. Rather than let such text break the framing (and let a crafted
 * value smuggle extra attributes to the peer), the sender replaces those
 * bytes with a space ('=' in a name with '_') and logs a warning.
 */

#include <string.h>

#include "attr_engine.h"
#include "msg.h"

/* attr_plain_put_text - write text, replacing the bytes that would break framing */
static void attr_plain_put_text(VSTREAM *fp, const char *text, size_t len, const char *bad,
                                int replacement, const char *what)
{
    const char *cp;
    const char *end = text + len;
    int warned = 0;

    for (cp = text; cp < end; cp++) {
        if (*cp == 0 || strchr(bad, *cp) != 0) {
            if (!warned++)
                msg_warn("%s: replacing unsafe character in attribute %s", vstream_path(fp), what);
            vstream_putc(replacement, fp);
        } else {
            vstream_putc(*cp, fp);
        }
    }
}

/* attr_plain_put_attr - name=value\n */
static void attr_plain_put_attr(VSTREAM *fp, const char *name, const char *value, size_t len)
{
    attr_plain_put_text(fp, name, strlen(name), "=\n", '_', "name");
    vstream_putc('=', fp);
    if (memchr(value, '\n', len) == 0 && memchr(value, 0, len) == 0)
        vstream_fwrite(fp, value, len);
    else
        attr_plain_put_text(fp, value, len, "\n", ' ', name);
    vstream_putc('\n', fp);
}

/* attr_plain_put_marker - {\n or }\n */
static void attr_plain_put_marker(VSTREAM *fp, const char *marker)
{
    vstream_fputs(marker, fp);
    vstream_putc('\n', fp);
}

/* attr_plain_get_name - read a line, split it into name and stashed value */
static int attr_plain_get_name(ATTR_SCAN_STATE *state)
{
    size_t limit = attr_scan_limit();
    char *line;
    char *eq;
    size_t vlen;

    /* The line holds a name, "=" and a value; each part is checked below. */
    if (attr_read_until(state, state->stash, '\n', 2 * limit + 1, "input attribute") < 0)
        return (ATTR_GOT_ERROR);
    line = vstring_str(state->stash);
    if (*line == 0)
        return (ATTR_GOT_END);
    if ((eq = strchr(line, '=')) == 0) {
        vstring_strcpy(state->name, line);
        VSTRING_RESET(state->stash);
        if (strcmp(vstring_str(state->name), ATTR_NAME_OPEN) == 0 ||
            strcmp(vstring_str(state->name), ATTR_NAME_CLOSE) == 0)
            return (ATTR_GOT_MARKER);
    } else {
        vstring_strncpy(state->name, line, eq - line);
        /* Keep only the value in the stash. */
        vlen = vstring_end(state->stash) - (eq + 1);
        memmove(line, eq + 1, vlen);
        vstring_truncate(state->stash, vlen);
    }
    if (VSTRING_LEN(state->name) > limit || VSTRING_LEN(state->stash) > limit) {
        msg_warn("string length > %lu characters from %s while reading input attribute",
                 (unsigned long)limit, vstream_path(state->fp));
        return (ATTR_GOT_ERROR);
    }
    return (ATTR_GOT_NAME);
}

/* attr_plain_get_value - hand out the value that came with the name */
static int attr_plain_get_value(ATTR_SCAN_STATE *state, VSTRING *value)
{
    vstring_memcpy(value, vstring_str(state->stash), VSTRING_LEN(state->stash));
    return (0);
}

static const ATTR_CODEC attr_plain_codec = {
    "attr_plain",
    1,
    '\n',
    attr_plain_put_attr,
    attr_plain_put_marker,
    attr_plain_get_name,
    attr_plain_get_value,
    attr_print_plain,
    attr_scan_plain,
};

/* attr_vprint_plain - send an attribute list */
int attr_vprint_plain(VSTREAM *fp, int flags, va_list ap)
{
    return (attr_vprint_codec(&attr_plain_codec, fp, flags, ap));
}

/* attr_print_plain - send an attribute list */
int attr_print_plain(VSTREAM *fp, int flags, ...)
{
    va_list ap;
    int ret;

    va_start(ap, flags);
    ret = attr_vprint_codec(&attr_plain_codec, fp, flags, ap);
    va_end(ap);
    return (ret);
}

/* attr_vscan_plain - receive an attribute list */
int attr_vscan_plain(VSTREAM *fp, int flags, va_list ap)
{
    return (attr_vscan_codec(&attr_plain_codec, fp, flags, ap));
}

/* attr_scan_plain - receive an attribute list */
int attr_scan_plain(VSTREAM *fp, int flags, ...)
{
    va_list ap;
    int ret;

    va_start(ap, flags);
    ret = attr_vscan_codec(&attr_plain_codec, fp, flags, ap);
    va_end(ap);
    return (ret);
}

/* attr_scan_more_plain - is there another attribute in this list? */
int attr_scan_more_plain(VSTREAM *fp)
{
    return (attr_scan_more_codec(&attr_plain_codec, fp));
}

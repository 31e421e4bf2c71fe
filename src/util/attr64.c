/*
 * attr64 - the base64 attribute encoding: "base64(name):base64(value)\n"
 * per attribute, an empty line after the list, and a table as base64("{")
 * on a line of its own, then its pairs, then base64("}"). Any byte can
 * travel in a name or value, so DATA values are sent as they are (coded
 * once, like everything else).
 *
 * The print and scan functions behave as described in attr_print.c and
 * attr_scan.c; this file only knows the framing. Bad base64 is a protocol
 * error.
 */

#include <string.h>

#include "attr_engine.h"
#include "msg.h"

/* attr64_put_coded - write base64 text for len bytes */
static void attr64_put_coded(VSTREAM *fp, const char *text, size_t len)
{
    VSTRING *buf = vstring_alloc(len + len / 2 + 4);

    attr_b64_encode(buf, text, len);
    vstream_fwrite(fp, vstring_str(buf), VSTRING_LEN(buf));
    vstring_free(buf);
}

/* attr64_put_attr - base64(name):base64(value)\n */
static void attr64_put_attr(VSTREAM *fp, const char *name, const char *value, size_t len)
{
    attr64_put_coded(fp, name, strlen(name));
    vstream_putc(':', fp);
    attr64_put_coded(fp, value, len);
    vstream_putc('\n', fp);
}

/* attr64_put_marker - base64({)\n or base64(})\n */
static void attr64_put_marker(VSTREAM *fp, const char *marker)
{
    attr64_put_coded(fp, marker, strlen(marker));
    vstream_putc('\n', fp);
}

/* attr64_decode - decode one field; warn about garbage */
static int attr64_decode(ATTR_SCAN_STATE *state, VSTRING *out, const char *in, size_t len)
{
    if (attr_b64_decode(out, in, len) < 0) {
        msg_warn("malformed base64 data from %s: %.100s", vstream_path(state->fp), in);
        return (-1);
    }
    if (VSTRING_LEN(out) > attr_scan_limit()) {
        msg_warn("string length > %lu characters from %s while reading input attribute",
                 (unsigned long)attr_scan_limit(), vstream_path(state->fp));
        return (-1);
    }
    return (0);
}

/* attr64_get_name - read a line, decode name and stash the decoded value */
static int attr64_get_name(ATTR_SCAN_STATE *state)
{
    size_t coded_limit = (attr_scan_limit() + 2) / 3 * 4;
    VSTRING *line = vstring_alloc(100);
    char *colon;
    int ret = ATTR_GOT_NAME;

    if (attr_read_until(state, line, '\n', 2 * coded_limit + 1, "input attribute") < 0) {
        ret = ATTR_GOT_ERROR;
    } else if (VSTRING_LEN(line) == 0) {
        ret = ATTR_GOT_END;
    } else if ((colon = strchr(vstring_str(line), ':')) == 0) {
        if (attr64_decode(state, state->name, vstring_str(line), VSTRING_LEN(line)) < 0)
            ret = ATTR_GOT_ERROR;
        else if (strcmp(vstring_str(state->name), ATTR_NAME_OPEN) == 0 ||
                 strcmp(vstring_str(state->name), ATTR_NAME_CLOSE) == 0)
            ret = ATTR_GOT_MARKER;
        else
            VSTRING_RESET(state->stash);
    } else if (attr64_decode(state, state->name, vstring_str(line), colon - vstring_str(line)) <
                   0 ||
               attr64_decode(state, state->stash, colon + 1, vstring_end(line) - colon - 1) < 0) {
        ret = ATTR_GOT_ERROR;
    }
    vstring_free(line);
    return (ret);
}

/* attr64_get_value - hand out the value that came with the name */
static int attr64_get_value(ATTR_SCAN_STATE *state, VSTRING *value)
{
    vstring_memcpy(value, vstring_str(state->stash), VSTRING_LEN(state->stash));
    return (0);
}

static const ATTR_CODEC attr64_codec = {
    "attr64",
    0,
    '\n',
    attr64_put_attr,
    attr64_put_marker,
    attr64_get_name,
    attr64_get_value,
    attr_print64,
    attr_scan64,
};

/* attr_vprint64 - send an attribute list */
int attr_vprint64(VSTREAM *fp, int flags, va_list ap)
{
    return (attr_vprint_codec(&attr64_codec, fp, flags, ap));
}

/* attr_print64 - send an attribute list */
int attr_print64(VSTREAM *fp, int flags, ...)
{
    va_list ap;
    int ret;

    va_start(ap, flags);
    ret = attr_vprint_codec(&attr64_codec, fp, flags, ap);
    va_end(ap);
    return (ret);
}

/* attr_vscan64 - receive an attribute list */
int attr_vscan64(VSTREAM *fp, int flags, va_list ap)
{
    return (attr_vscan_codec(&attr64_codec, fp, flags, ap));
}

/* attr_scan64 - receive an attribute list */
int attr_scan64(VSTREAM *fp, int flags, ...)
{
    va_list ap;
    int ret;

    va_start(ap, flags);
    ret = attr_vscan_codec(&attr64_codec, fp, flags, ap);
    va_end(ap);
    return (ret);
}

/* attr_scan_more64 - is there another attribute in this list? */
int attr_scan_more64(VSTREAM *fp)
{
    return (attr_scan_more_codec(&attr64_codec, fp));
}

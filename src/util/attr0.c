/*
 * attr0 - the null-terminated attribute encoding, the default between
 * daemons: "name\0value\0" per attribute, an extra "\0" after the list, and
 * a table as "{\0" then its "key\0value\0" pairs then "}\0". Names and
 * string values cannot contain a null byte by construction; DATA values are
 * sent as base64 text.
 *
 * The print and scan functions behave as described in attr_print.c and
 * attr_scan.c; this file only knows the framing.
 */

#include <string.h>

#include "attr_engine.h"

static const ATTR_CODEC attr0_codec;

/* attr0_put_attr - name\0value\0 */
static void attr0_put_attr(VSTREAM *fp, const char *name, const char *value, size_t len)
{
    vstream_fwrite(fp, name, strlen(name) + 1);
    vstream_fwrite(fp, value, len);
    vstream_putc(0, fp);
}

/* attr0_put_marker - {\0 or }\0 */
static void attr0_put_marker(VSTREAM *fp, const char *marker)
{
    vstream_fwrite(fp, marker, strlen(marker) + 1);
}

/* attr0_get_name - read a name; classify it */
static int attr0_get_name(ATTR_SCAN_STATE *state)
{
    const char *name;

    if (attr_read_until(state, state->name, 0, attr_scan_limit(), "input attribute name") < 0)
        return (ATTR_GOT_ERROR);
    name = vstring_str(state->name);
    if (*name == 0)
        return (ATTR_GOT_END);
    if (strcmp(name, ATTR_NAME_OPEN) == 0 || strcmp(name, ATTR_NAME_CLOSE) == 0)
        return (ATTR_GOT_MARKER);
    return (ATTR_GOT_NAME);
}

/* attr0_get_value - read the value after a name */
static int attr0_get_value(ATTR_SCAN_STATE *state, VSTRING *value)
{
    return (attr_read_until(state, value, 0, attr_scan_limit(), "input attribute value"));
}

static const ATTR_CODEC attr0_codec = {
    "attr0",         1,           0,          attr0_put_attr, attr0_put_marker, attr0_get_name,
    attr0_get_value, attr_print0, attr_scan0,
};

/* attr_vprint0 - send an attribute list */
int attr_vprint0(VSTREAM *fp, int flags, va_list ap)
{
    return (attr_vprint_codec(&attr0_codec, fp, flags, ap));
}

/* attr_print0 - send an attribute list */
int attr_print0(VSTREAM *fp, int flags, ...)
{
    va_list ap;
    int ret;

    va_start(ap, flags);
    ret = attr_vprint_codec(&attr0_codec, fp, flags, ap);
    va_end(ap);
    return (ret);
}

/* attr_vscan0 - receive an attribute list */
int attr_vscan0(VSTREAM *fp, int flags, va_list ap)
{
    return (attr_vscan_codec(&attr0_codec, fp, flags, ap));
}

/* attr_scan0 - receive an attribute list */
int attr_scan0(VSTREAM *fp, int flags, ...)
{
    va_list ap;
    int ret;

    va_start(ap, flags);
    ret = attr_vscan_codec(&attr0_codec, fp, flags, ap);
    va_end(ap);
    return (ret);
}

/* attr_scan_more0 - is there another attribute in this list? */
int attr_scan_more0(VSTREAM *fp)
{
    return (attr_scan_more_codec(&attr0_codec, fp));
}

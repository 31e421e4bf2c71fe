/*
 * dsn_mask - RFC 3461 NOTIFY= and RET= keywords and their bit masks.
 *
 * Exports dsn_notify_mask()/dsn_notify_str() and dsn_ret_code()/
 * dsn_ret_str(). Parsers return 0 for anything they do not accept (the
 * SMTP server turns that into a 501 reply); the printers panic on a value
 * that no parser produces.
 */

#include <string.h>
#include <strings.h>

#include "dsn_mask.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

static const struct {
    const char *name;
    int mask;
} dsn_notify_names[] = {
    {"NEVER", DSN_NOTIFY_NEVER},
    {"SUCCESS", DSN_NOTIFY_SUCCESS},
    {"FAILURE", DSN_NOTIFY_FAILURE},
    {"DELAY", DSN_NOTIFY_DELAY},
};

#define DSN_NOTIFY_NAMES (sizeof(dsn_notify_names) / sizeof(dsn_notify_names[0]))

/* dsn_notify_mask - parse a NOTIFY= list; 0 when bad */
int dsn_notify_mask(const char *str)
{
    char *save = mystrdup(str);
    char *bp = save;
    char *word;
    int mask = 0;
    size_t i;

    if (*str == 0 || strlen(str) > 100) {
        myfree(save);
        return (0);
    }
    while ((word = mystrtok(&bp, ",")) != 0) {
        for (i = 0; i < DSN_NOTIFY_NAMES; i++)
            if (strcasecmp(word, dsn_notify_names[i].name) == 0)
                break;
        if (i == DSN_NOTIFY_NAMES) {
            mask = 0;
            break;
        }
        mask |= dsn_notify_names[i].mask;
    }
    myfree(save);
    /* Empty items ("SUCCESS,,DELAY") and NEVER with others are errors. */
    if (strstr(str, ",,") || str[0] == ',' || str[strlen(str) - 1] == ',')
        return (0);
    if ((mask & DSN_NOTIFY_NEVER) && mask != DSN_NOTIFY_NEVER)
        return (0);
    return (mask);
}

/* dsn_notify_str - a mask back to its keyword list */
const char *dsn_notify_str(int mask)
{
    static VSTRING *buf;
    size_t i;

    if (mask == 0 || !DSN_NOTIFY_OK(mask))
        msg_panic("dsn_notify_str: bad notify mask 0x%x", (unsigned)mask);
    if (buf == 0)
        buf = vstring_alloc(30);
    VSTRING_RESET(buf);
    for (i = 0; i < DSN_NOTIFY_NAMES; i++) {
        if (mask & dsn_notify_names[i].mask) {
            if (VSTRING_LEN(buf) > 0)
                VSTRING_ADDCH(buf, ',');
            vstring_strcat(buf, dsn_notify_names[i].name);
        }
    }
    return (vstring_str(buf));
}

/* dsn_ret_code - RET= keyword to code; 0 when bad */
int dsn_ret_code(const char *str)
{
    if (strcasecmp(str, "FULL") == 0)
        return (DSN_RET_FULL);
    if (strcasecmp(str, "HDRS") == 0)
        return (DSN_RET_HDRS);
    return (0);
}

/* dsn_ret_str - code to RET= keyword */
const char *dsn_ret_str(int code)
{
    switch (code) {
    case DSN_RET_FULL:
        return ("FULL");
    case DSN_RET_HDRS:
        return ("HDRS");
    default:
        msg_panic("dsn_ret_str: bad RET code %d", code);
    }
}

/*
 * name_mask - translate a list of names ("bounce, resource software") into
 * a bit mask through a table of {name, mask} pairs, and a mask back into
 * names. Parameters such as notify_classes, smtpd_discard_ehlo_keywords and
 * the debug/trace option lists are parsed with it.
 *
 * name_mask_opt() splits at commas and white space. An unknown name is
 * handled as the flags say: NAME_MASK_FATAL terminates with the message
 * Postfix gives ("unknown notify_classes value "foo" in "bounce, foo""),
 * NAME_MASK_RETURN logs the same as a warning and returns 0,
 * NAME_MASK_WARN logs it and goes on, NAME_MASK_IGNORE just goes on.
 *
 * str_name_mask_opt() writes the names of the set bits in table order,
 * separated by a space (or ',' or '|'); bits that no table entry covers are
 * shown in hex with NAME_MASK_NUMBER, or handled like unknown names. With a
 * null buffer the result lives in a static buffer.
 */

#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "name_mask.h"
#include "stringops.h"

#define UNKNOWN_FLAGS (NAME_MASK_FATAL | NAME_MASK_RETURN | NAME_MASK_WARN | NAME_MASK_IGNORE)

/* check_flags - exactly how to handle unknown input must be specified */
static void check_flags(const char *myname, int flags)
{
    if ((flags & UNKNOWN_FLAGS) == 0)
        msg_panic("%s: missing NAME_MASK_FATAL/RETURN/WARN/IGNORE flag", myname);
}

/* name_mask_opt - a list of names to a bit mask */
int name_mask_opt(const char *context, const NAME_MASK *table, const char *names, int flags)
{
    char *saved = mystrdup(names);
    char *bp = saved;
    char *name;
    const NAME_MASK *np;
    int result = 0;

    check_flags("name_mask", flags);
    while ((name = mystrtok(&bp, NAME_MASK_DELIMITERS)) != 0) {
        for (np = table; np->name; np++) {
            if ((flags & NAME_MASK_ANY_CASE) ? strcasecmp(name, np->name) == 0
                                             : strcmp(name, np->name) == 0)
                break;
        }
        if (np->name) {
            result |= np->mask;
        } else if (flags & NAME_MASK_FATAL) {
            msg_fatal("unknown %s value \"%s\" in \"%s\"", context, name, names);
        } else if (flags & NAME_MASK_RETURN) {
            msg_warn("unknown %s value \"%s\" in \"%s\"", context, name, names);
            myfree(saved);
            return (0);
        } else if (flags & NAME_MASK_WARN) {
            msg_warn("unknown %s value \"%s\" in \"%s\"", context, name, names);
        }
    }
    myfree(saved);
    return (result);
}

/* str_name_mask_opt - a bit mask to a list of names */
const char *str_name_mask_opt(VSTRING *buf, const char *context, const NAME_MASK *table, int mask,
                              int flags)
{
    static const char myname[] = "name_mask";
    static VSTRING *my_buf;
    const NAME_MASK *np;
    int delim = (flags & NAME_MASK_COMMA) ? ',' : (flags & NAME_MASK_PIPE) ? '|' : ' ';

    if ((flags & NAME_MASK_NUMBER) == 0)
        check_flags(myname, flags);
    if (buf == 0) {
        if (my_buf == 0)
            my_buf = vstring_alloc(100);
        buf = my_buf;
    }
    VSTRING_RESET(buf);
    for (np = table; mask != 0 && np->name; np++) {
        if (mask & np->mask) {
            mask &= ~np->mask;
            vstring_sprintf_append(buf, "%s%c", np->name, delim);
        }
    }
    if (mask != 0) {
        if (flags & NAME_MASK_NUMBER) {
            vstring_sprintf_append(buf, "0x%x%c", (unsigned)mask, delim);
        } else if (flags & NAME_MASK_FATAL) {
            msg_fatal("%s: unknown %s bit in mask: 0x%x", myname, context, (unsigned)mask);
        } else if (flags & NAME_MASK_RETURN) {
            msg_warn("%s: unknown %s bit in mask: 0x%x", myname, context, (unsigned)mask);
            return (0);
        } else if (flags & NAME_MASK_WARN) {
            msg_warn("%s: unknown %s bit in mask: 0x%x", myname, context, (unsigned)mask);
        }
    }
    if (VSTRING_LEN(buf) > 0)
        vstring_truncate(buf, VSTRING_LEN(buf) - 1);
    return (vstring_str(buf));
}

/*
 * delivered_hdr - collect the Delivered-To: headers of a queued message.
 *
 * Exports delivered_hdr_init(), delivered_hdr_find(), delivered_hdr_free().
 * The primary header block is read record by record (N ends a line, L
 * continues it; a header may be folded over several lines) up to the first
 * line that is neither a header nor a continuation. Each Delivered-To:
 * value is trimmed, folded to lower case and kept in a table. The lookup
 * quotes the address the way the header is written (quote_822_local) so
 * that unusual local parts match too. At most DELIVERED_HDR_LIMIT headers
 * and line_length_limit bytes per header are looked at.
 *
 * Failure: a damaged queue file just ends the scan; the delivery that
 * follows will notice and report it.
 */

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "delivered_hdr.h"
#include "htable.h"
#include "is_header.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "quote_822_local.h"
#include "rec_type.h"
#include "record.h"
#include "stringops.h"
#include "vstring.h"

#define DELIVERED_HDR_LIMIT 1000 /* headers looked at, at most */
#define DELIVERED_HDR_NAME "Delivered-To"

struct DELIVERED_HDR_INFO {
    HTABLE *table; /* lower-case addresses */
};

/* delivered_hdr_take - remember the value if line is a Delivered-To: header */
static void delivered_hdr_take(DELIVERED_HDR_INFO *info, VSTRING *line)
{
    char *cp = vstring_str(line);
    ssize_t len = is_header(cp);
    char *value;

    if (len != (ssize_t)strlen(DELIVERED_HDR_NAME) || strncasecmp(cp, DELIVERED_HDR_NAME, len) != 0)
        return;
    value = cp + len;
    while (*value == ' ' || *value == '\t')
        value++;
    if (*value++ != ':')
        return;
    /* Folding turns into white space; the address itself has none. */
    for (cp = value; *cp; cp++)
        if (*cp == '\n')
            *cp = ' ';
    value = skipblanks(value);
    trimblanks(value, 0)[0] = 0;
    if (*value && htable_locate(info->table, lowercase(value)) == 0)
        htable_enter(info->table, value, (void *)0);
}

/* delivered_hdr_init - scan the headers */
DELIVERED_HDR_INFO *delivered_hdr_init(VSTREAM *fp, off_t offset)
{
    DELIVERED_HDR_INFO *info = (DELIVERED_HDR_INFO *)mymalloc(sizeof(*info));
    VSTRING *rec = vstring_alloc(200);
    VSTRING *hdr = vstring_alloc(200);
    ssize_t limit = var_line_length_limit > 0 ? var_line_length_limit : 2048;
    int prev = REC_TYPE_NORM;
    int count = 0;
    int type;

    info->table = htable_create(10);
    if (vstream_fseek(fp, offset, SEEK_SET) < 0) {
        msg_warn("seek %s: %m", vstream_path(fp));
    } else {
        while ((type = rec_get(fp, rec, 0)) == REC_TYPE_NORM || type == REC_TYPE_CONT) {
            const char *cp = vstring_str(rec);
            int starts_line = (prev == REC_TYPE_NORM);

            prev = type;
            if (starts_line && (*cp == ' ' || *cp == '\t') && VSTRING_LEN(hdr) > 0) {
                /* Folded continuation of the header being collected. */
                if ((ssize_t)VSTRING_LEN(hdr) < limit)
                    vstring_strcat(vstring_strcat(hdr, "\n"), cp);
                continue;
            }
            if (!starts_line) {
                if ((ssize_t)VSTRING_LEN(hdr) < limit)
                    vstring_strcat(hdr, cp);
                continue;
            }
            if (VSTRING_LEN(hdr) > 0)
                delivered_hdr_take(info, hdr);
            VSTRING_RESET(hdr);
            VSTRING_TERMINATE(hdr);
            if (is_header(cp) == 0 || ++count > DELIVERED_HDR_LIMIT)
                break;
            vstring_strcpy(hdr, cp);
        }
        if (VSTRING_LEN(hdr) > 0)
            delivered_hdr_take(info, hdr);
    }
    vstring_free(rec);
    vstring_free(hdr);
    return (info);
}

/* delivered_hdr_find - was the message delivered to address before? */
int delivered_hdr_find(DELIVERED_HDR_INFO *info, const char *address)
{
    VSTRING *buf = vstring_alloc(100);
    int found;

    quote_822_local(buf, address);
    found = htable_locate(info->table, lowercase(vstring_str(buf))) != 0;
    vstring_free(buf);
    return (found);
}

/* delivered_hdr_free - release the table */
void delivered_hdr_free(DELIVERED_HDR_INFO *info)
{
    htable_free(info->table, (void (*)(void *))0);
    myfree(info);
}

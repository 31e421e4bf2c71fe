/*
 * queue_id - names of queue files.
 *
 * A queue id combines the time at which the file got its name with its inode
 * number, which the file system keeps unique while the file exists.
 *
 * Short ids (the default): the microseconds as exactly five upper-case hex
 * digits, then the inode number in upper-case hex. They repeat over time.
 *
 * Long ids (enable_long_queue_ids): an alphabet of 52 symbols (digits, then
 * upper- and lower-case consonants: no vowels, so no words), the seconds in
 * base 52 (at least six symbols), the microseconds in base 52 (exactly four),
 * the separator 'z', and the inode number in base 51 (the alphabet without
 * 'z'). The time part may itself contain 'z'; the inode part cannot, so the
 * last 'z' is the separator. They do not repeat, and sort by time.
 *
 * Queues listed in hash_queue_names spread files over hash_queue_depth levels
 * of one-character directories named after the first hex digits of the
 * microseconds; for a long id those are computed from its base-52 part, so
 * both forms land in the same sixteen-way forest.
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "queue_id.h"

static const char alphabet[] = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";

#define LONG_BASE 52
#define INODE_BASE 51
#define LONG_SEP 'z'
#define USEC_LONG_LEN 4
#define SEC_LONG_MIN 6

/* append_radix - append value in the given base, most significant first */
static void append_radix(VSTRING *buf, unsigned long value, int base, int min_len)
{
    char digits[64];
    int n = 0;

    do {
        digits[n++] = alphabet[value % base];
        value /= base;
    } while (value);
    while (n < min_len)
        digits[n++] = alphabet[0];
    while (n > 0)
        VSTRING_ADDCH(buf, digits[--n]);
}

/* symbol_value - the value of one symbol of the long alphabet, or -1 */
static int symbol_value(int ch)
{
    const char *cp;

    if (ch == 0 || (cp = strchr(alphabet, ch)) == 0)
        return (-1);
    return (cp - alphabet);
}

/* queue_id_short - the short id for this time and inode */
const char *queue_id_short(VSTRING *buf, const struct timeval *tv, ino_t inode)
{
    vstring_sprintf(buf, "%05lX%lX", (unsigned long) tv->tv_usec & 0xfffff,
                    (unsigned long) inode);
    return (vstring_str(buf));
}

/* queue_id_long - the long id for this time and inode */
const char *queue_id_long(VSTRING *buf, const struct timeval *tv, ino_t inode)
{
    VSTRING_RESET(buf);
    append_radix(buf, (unsigned long) tv->tv_sec, LONG_BASE, SEC_LONG_MIN);
    append_radix(buf, (unsigned long) tv->tv_usec, LONG_BASE, USEC_LONG_LEN);
    VSTRING_ADDCH(buf, LONG_SEP);
    append_radix(buf, (unsigned long) inode, INODE_BASE, 1);
    return (vstring_str(buf));
}

/* queue_id_is_long - does the id have the long form */
int queue_id_is_long(const char *id)
{
    return (strchr(id, LONG_SEP) != 0);
}

/* queue_id_ok - is this a syntactically valid queue id (safe as a file name) */
int queue_id_ok(const char *id)
{
    const char *cp;
    const char *sep;
    size_t len = strlen(id);

    if (len == 0 || len > QUEUE_ID_MAXLEN)
        return (0);
    if ((sep = strrchr(id, LONG_SEP)) == 0) {
        if (len < 6)
            return (0);
        for (cp = id; *cp; cp++)
            if (!isxdigit((unsigned char) *cp) || islower((unsigned char) *cp))
                return (0);
        return (1);
    }
    if (sep - id < SEC_LONG_MIN + USEC_LONG_LEN || sep[1] == 0 || strchr(sep + 1, LONG_SEP))
        return (0);
    for (cp = id; *cp; cp++)
        if (cp != sep && symbol_value(*cp) < 0)
            return (0);
    return (1);
}

/* queue_id_hash_dir - "A/B/" for the first depth hex digits of the id's microseconds */
const char *queue_id_hash_dir(VSTRING *buf, const char *id, int depth)
{
    char hex[8];
    const char *sep;
    unsigned long usec = 0;
    int i;

    if (depth < 0 || depth > 5)
        msg_panic("queue_id_hash_dir: bad depth %d", depth);
    if ((sep = strrchr(id, LONG_SEP)) != 0) {
        if (sep - id < USEC_LONG_LEN)
            msg_panic("queue_id_hash_dir: bad queue id \"%s\"", id);
        for (i = USEC_LONG_LEN; i > 0; i--)
            usec = usec * LONG_BASE + symbol_value(sep[-i]);
        snprintf(hex, sizeof(hex), "%05lX", usec & 0xfffff);
    } else {
        snprintf(hex, sizeof(hex), "%.5s", id);
    }
    VSTRING_RESET(buf);
    for (i = 0; i < depth; i++) {
        VSTRING_ADDCH(buf, hex[i]);
        VSTRING_ADDCH(buf, '/');
    }
    return (vstring_str(buf));
}

/* queue_id_inode - the inode number encoded in the id; 0 ok, -1 malformed */
int queue_id_inode(const char *id, unsigned long *inode)
{
    const char *sep = strrchr(id, LONG_SEP);
    const char *cp;
    unsigned long value = 0;
    int digit;

    if (!queue_id_ok(id))
        return (-1);
    if (sep == 0) {
        for (cp = id + 5; *cp; cp++) {
            digit = isdigit((unsigned char) *cp) ? *cp - '0' : *cp - 'A' + 10;
            value = value * 16 + digit;
        }
    } else {
        for (cp = sep + 1; *cp; cp++)
            value = value * INODE_BASE + symbol_value(*cp);
    }
    *inode = value;
    return (0);
}

/* queue_id_reinode - same time part, actual inode */
const char *queue_id_reinode(VSTRING *buf, const char *id, ino_t inode, int want_long)
{
    const char *sep = strrchr(id, LONG_SEP);
    VSTRING *hash;
    const char *cp;

    if (!queue_id_ok(id))
        msg_panic("queue_id_reinode: bad queue id \"%s\"", id);
    if (sep == 0) {
        vstring_sprintf(buf, "%.5s%lX", id, (unsigned long) inode);
    } else if (want_long) {
        vstring_strncpy(buf, id, sep - id + 1);
        append_radix(buf, (unsigned long) inode, INODE_BASE, 1);
        VSTRING_TERMINATE(buf);
    } else {
        /* The five hash digits are exactly the short form's time part. */
        hash = vstring_alloc(16);
        queue_id_hash_dir(hash, id, 5);
        VSTRING_RESET(buf);
        for (cp = vstring_str(hash); *cp; cp++)
            if (*cp != '/')
                VSTRING_ADDCH(buf, *cp);
        vstring_sprintf_append(buf, "%lX", (unsigned long) inode);
        vstring_free(hash);
    }
    return (vstring_str(buf));
}

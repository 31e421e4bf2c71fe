/*
 * cidr_match - network/mask patterns as written in cidr tables, mynetworks
 * and the other address lists.
 *
 * A pattern is an IPv4 or IPv6 address, optionally followed by "/length";
 * the whole pattern, or only its address part, may be written in brackets
 * ("[2001:db8::]/32", "[10.0.0.0/8]"). A bare address means a full-length
 * mask. The family follows from the text: a ':' means IPv6.
 *
 * cidr_match_parse() fills a CIDR_MATCH, or returns -1 and leaves in `why'
 * the same explanation that Postfix gives (users grep their logs for it),
 * for example: non-null host address bits in "10.0.0.1/8", perhaps you
 * should use "10.0.0.0/8" instead. Callers decide whether that is a warning
 * (cidr tables skip the rule) or fatal (address lists).
 *
 * cidr_match_execute() parses an address string and tests it. An address
 * only matches patterns of its own family: "::ffff:192.0.2.1" is an IPv6
 * address and matches "[::ffff:0:0]/96", not "192.0.2.0/24". That is what
 * Postfix cidr tables do; the SMTP server turns IPv4-mapped client addresses
 * into plain IPv4 before it looks anything up. Unparsable addresses, and
 * addresses in brackets, match nothing.
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "cidr_match.h"
#include "msg.h"
#include "mymalloc.h"

/* family_size - address bytes for this family */
static int family_size(int family)
{
    return (family == AF_INET6 ? 16 : 4);
}

/* parse_addr - text to bytes; the family follows from the presence of ':' */
static int parse_addr(const char *text, int *family, unsigned char *bytes)
{
    *family = strchr(text, ':') ? AF_INET6 : AF_INET;
    return (inet_pton(*family, text, bytes) == 1 ? 0 : -1);
}

/* parse_mask - decimal mask length; -1 if not digits, -2 if too large */
static int parse_mask(const char *text, int max_bits)
{
    int val = 0;
    const char *cp;

    if (*text == 0)
        return (-1);
    for (cp = text; *cp; cp++) {
        if (*cp < '0' || *cp > '9')
            return (-1);
        if (val <= max_bits)
            val = val * 10 + (*cp - '0');
    }
    return (val > max_bits ? -2 : val);
}

/* host_bits_set - are any bits beyond the mask length non-zero? */
static int host_bits_set(const unsigned char *bytes, int size, int mask_len)
{
    int i;

    for (i = 0; i < size; i++) {
        int keep = mask_len - 8 * i;
        unsigned char mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));

        if (bytes[i] & ~mask)
            return (1);
    }
    return (0);
}

/* clear_host_bits - zero the bits beyond the mask length */
static void clear_host_bits(unsigned char *bytes, int size, int mask_len)
{
    int i;

    for (i = 0; i < size; i++) {
        int keep = mask_len - 8 * i;

        if (keep <= 0)
            bytes[i] = 0;
        else if (keep < 8)
            bytes[i] &= (unsigned char)(0xff << (8 - keep));
    }
}

/* strip_brackets - "[addr]/len", "[addr/len]" -> "addr/len"; -1 with why on error */
static int strip_brackets(const char *pattern, VSTRING *text, VSTRING *why)
{
    const char *close;

    if (*pattern != '[') {
        vstring_strcpy(text, pattern);
        return (0);
    }
    if ((close = strchr(pattern, ']')) == 0) {
        vstring_sprintf(why, "missing ']' character after \"%s\"", pattern);
        return (-1);
    }
    if (close[1] != 0 && close[1] != '/') {
        vstring_sprintf(why, "garbage after \"%.*s\"", (int)(close - pattern + 1), pattern);
        return (-1);
    }
    vstring_strncpy(text, pattern + 1, close - pattern - 1);
    vstring_strcat(text, close + 1);
    return (0);
}

/* cidr_match_parse - parse a pattern; 0 on success, -1 with the reason in why */
int cidr_match_parse(CIDR_MATCH *cm, const char *pattern, VSTRING *why)
{
    VSTRING *text = vstring_alloc(100);
    char *str, *mask;
    int ret = -1;
    int bits;

    if (strip_brackets(pattern, text, why) < 0)
        goto done;
    str = vstring_str(text);
    memset(cm->net, 0, sizeof(cm->net));
    if ((mask = strchr(str, '/')) == 0) {
        if (parse_addr(str, &cm->family, cm->net) < 0) {
            vstring_sprintf(why, "bad address pattern: \"%s\"", str);
            goto done;
        }
        cm->mask_len = 8 * family_size(cm->family);
        ret = 0;
        goto done;
    }
    *mask = 0;
    if (parse_addr(str, &cm->family, cm->net) < 0) {
        vstring_sprintf(why, "bad network value in \"%s/%s\"", str, mask + 1);
        goto done;
    }
    bits = parse_mask(mask + 1, 8 * family_size(cm->family));
    if (bits == -1) {
        vstring_sprintf(why, "bad mask value in \"%s/%s\"", str, mask + 1);
        goto done;
    }
    if (bits == -2) {
        vstring_sprintf(why, "bad mask length in \"%s/%s\"", str, mask + 1);
        goto done;
    }
    cm->mask_len = bits;
    if (host_bits_set(cm->net, family_size(cm->family), bits)) {
        VSTRING *hint = vstring_alloc(60);

        clear_host_bits(cm->net, family_size(cm->family), bits);
        vstring_sprintf(why,
                        "non-null host address bits in \"%s/%s\", "
                        "perhaps you should use \"%s\" instead",
                        str, mask + 1, cidr_match_format(cm, hint));
        vstring_free(hint);
        goto done;
    }
    ret = 0;
done:
    vstring_free(text);
    return (ret);
}

/* cidr_match_bytes - does this binary address fall within the pattern? */
int cidr_match_bytes(const CIDR_MATCH *cm, int family, const unsigned char *addr)
{
    int full = cm->mask_len / 8;
    int rest = cm->mask_len % 8;

    if (family != cm->family)
        return (0);
    if (memcmp(addr, cm->net, full) != 0)
        return (0);
    if (rest && ((addr[full] ^ cm->net[full]) & (unsigned char)(0xff << (8 - rest))))
        return (0);
    return (1);
}

/* cidr_match_execute - does this address string fall within the pattern? */
int cidr_match_execute(const CIDR_MATCH *cm, const char *addr)
{
    unsigned char bytes[16];
    int family;

    if (parse_addr(addr, &family, bytes) < 0)
        return (0);
    return (cidr_match_bytes(cm, family, bytes));
}

/* cidr_match_format - the canonical "net/len" text of a pattern */
const char *cidr_match_format(const CIDR_MATCH *cm, VSTRING *buf)
{
    char text[INET6_ADDRSTRLEN];

    if (inet_ntop(cm->family, cm->net, text, sizeof(text)) == 0)
        msg_panic("cidr_match_format: bad address family %d", cm->family);
    vstring_sprintf(buf, "%s/%d", text, cm->mask_len);
    return (vstring_str(buf));
}

/*
 * valid_hostname - syntax checks for host names and for IPv4 and IPv6
 * addresses in text form.
 *
 * These decide what the SMTP server accepts in HELO and what the
 * configuration accepts for myhostname and friends, so they follow Postfix
 * rule for rule: labels of letters, digits, '_' and inner '-', at most 63
 * bytes each and 255 in all, no empty labels (so no leading or trailing
 * dot), and a name of only digits and dots is an address, not a name
 * ("1.2.3.4" and "123" are refused; "example.123" is accepted, as Postfix
 * does).
 * IPv4 addresses are four decimal octets; IPv6 addresses are checked for
 * field and colon structure, with an optional IPv4 tail.
 *
 * Each function returns 1 for valid, 0 for invalid. With DO_GRIPE the reason
 * is logged as a warning, in the wording Postfix uses, e.g.
 * "valid_hostname: misplaced hyphen: -a.example". Nothing is logged without
 * it, because most callers just test input from the network.
 */

#include <ctype.h>
#include <string.h>

#include "msg.h"
#include "valid_hostname.h"

#define IS_ASCII_ALNUM(c) (isascii(c) && isalnum(c))
#define IS_ASCII_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define IS_ASCII_XDIGIT(c) (isascii(c) && isxdigit(c))

/* valid_hostname - is this a syntactically valid host name? */
int valid_hostname(const char *name, int flags)
{
    static const char myname[] = "valid_hostname";
    const char *cp;
    int label_len = 0;
    int non_numeric = 0;
    int ch;

    if (*name == 0) {
        if (flags & DO_GRIPE)
            msg_warn("%s: empty hostname", myname);
        return (0);
    }
    for (cp = name; (ch = *(const unsigned char *)cp) != 0; cp++) {
        if (IS_ASCII_ALNUM(ch) || ch == '_') {
            if (++label_len > VALID_LABEL_LEN) {
                if (flags & DO_GRIPE)
                    msg_warn("%s: hostname label too long: %.100s", myname, name);
                return (0);
            }
            if (!IS_ASCII_DIGIT(ch))
                non_numeric = 1;
        } else if (ch == '*' && (flags & DO_WILDCARD)) {
            if (cp != name || (cp[1] != 0 && cp[1] != '.')) {
                if (flags & DO_GRIPE)
                    msg_warn("%s: '*' can be the first label only: %.100s", myname, name);
                return (0);
            }
            label_len++;
            non_numeric = 1;
        } else if (ch == '.') {
            if (label_len == 0 || cp[1] == 0) {
                if (flags & DO_GRIPE)
                    msg_warn("%s: misplaced delimiter: %.100s", myname, name);
                return (0);
            }
            label_len = 0;
        } else if (ch == '-') {
            label_len++;
            non_numeric = 1;
            if (label_len == 1 || cp[1] == 0 || cp[1] == '.') {
                if (flags & DO_GRIPE)
                    msg_warn("%s: misplaced hyphen: %.100s", myname, name);
                return (0);
            }
        } else {
            if (flags & DO_GRIPE)
                msg_warn("%s: invalid character %d(decimal): %.100s", myname, ch, name);
            return (0);
        }
    }
    if (cp - name > VALID_HOSTNAME_LEN) {
        if (flags & DO_GRIPE)
            msg_warn("%s: bad length %d for %.100s...", myname, (int)(cp - name), name);
        return (0);
    }
    if (!non_numeric) {
        if (flags & DO_GRIPE)
            msg_warn("%s: numeric hostname: %.100s", myname, name);
        return (0);
    }
    return (1);
}

/* valid_ipv4_hostaddr - is this a dotted-quad IPv4 address? */
int valid_ipv4_hostaddr(const char *addr, int flags)
{
    static const char myname[] = "valid_ipv4_hostaddr";
    const char *cp;
    int in_octet = 0;
    int octet_count = 0;
    int octet_val = 0;
    int ch;

    for (cp = addr; (ch = *(const unsigned char *)cp) != 0; cp++) {
        if (IS_ASCII_DIGIT(ch)) {
            if (!in_octet) {
                in_octet = 1;
                octet_val = 0;
                octet_count++;
            }
            octet_val = octet_val * 10 + ch - '0';
            if (octet_val > 255) {
                if (flags & DO_GRIPE)
                    msg_warn("%s: invalid octet value: %.100s", myname, addr);
                return (0);
            }
        } else if (ch == '.') {
            if (!in_octet || cp[1] == 0) {
                if (flags & DO_GRIPE)
                    msg_warn("%s: misplaced dot: %.100s", myname, addr);
                return (0);
            }
            /* 0.0.0.0 is the wildcard address; 0.x.y.z is not a host. */
            if (octet_count == 1 && octet_val == 0 && addr[strspn(addr, "0.")] != 0) {
                if (flags & DO_GRIPE)
                    msg_warn("%s: bad initial octet value: %.100s", myname, addr);
                return (0);
            }
            in_octet = 0;
        } else {
            if (flags & DO_GRIPE)
                msg_warn("%s: invalid character %d(decimal): %.100s", myname, ch, addr);
            return (0);
        }
    }
    if (octet_count != 4) {
        if (flags & DO_GRIPE)
            msg_warn("%s: invalid octet count: %.100s", myname, addr);
        return (0);
    }
    return (1);
}

/* valid_ipv6_hostaddr - is this an IPv6 address in text form? */
int valid_ipv6_hostaddr(const char *addr, int flags)
{
    static const char myname[] = "valid_ipv6_hostaddr";
    const char *cp;
    int colons = 0;
    int digits = 0;         /* hex digits in the current field */
    int saw_null_field = 0; /* "::" seen */
    int ch;

    for (cp = addr; /* void */; cp++) {
        ch = *(const unsigned char *)cp;
        /* A leading ':' must be half of a "::". */
        if (cp == addr + 1 && addr[0] == ':' && ch != ':' && ch != '.' && ch != 0) {
            if (flags & DO_GRIPE)
                msg_warn("%s: bad null first field in IPv6 address: %.100s", myname, addr);
            return (0);
        }
        if (ch == ':') {
            if (digits == 0) {
                if (cp > addr && cp[-1] == ':') {
                    if (saw_null_field) {
                        if (flags & DO_GRIPE)
                            msg_warn("%s: too many `::' in IPv6 address: %.100s", myname, addr);
                        return (0);
                    }
                    saw_null_field = 1;
                }
            }
            if (++colons > 7) {
                if (flags & DO_GRIPE)
                    msg_warn("%s: too many `:' in IPv6 address: %.100s", myname, addr);
                return (0);
            }
            digits = 0;
        } else if (ch == 0) {
            if (colons < 2) {
                if (flags & DO_GRIPE)
                    msg_warn("%s: too few `:' in IPv6 address: %.100s", myname, addr);
                return (0);
            }
            if (digits == 0 && cp[-2] != ':') {
                if (flags & DO_GRIPE)
                    msg_warn("%s: bad null last field in IPv6 address: %.100s", myname, addr);
                return (0);
            }
            return (1);
        } else if (ch == '.') {
            /* An IPv4 tail follows at least "::" and takes the room of two fields. */
            if (colons < 2 || colons > 6) {
                if (flags & DO_GRIPE)
                    msg_warn("%s: malformed IPv4-in-IPv6 address: %.100s", myname, addr);
                return (0);
            }
            return (valid_ipv4_hostaddr(cp - digits, flags));
        } else if (IS_ASCII_XDIGIT(ch)) {
            if (++digits > 4) {
                if (flags & DO_GRIPE)
                    msg_warn("%s: malformed IPv6 address: %.100s", myname, addr);
                return (0);
            }
        } else {
            if (flags & DO_GRIPE)
                msg_warn("%s: invalid character %d(decimal) in IPv6 address: %.100s", myname, ch,
                         addr);
            return (0);
        }
    }
}

/* valid_hostaddr - is this an IPv4 or IPv6 address in text form? */
int valid_hostaddr(const char *addr, int flags)
{
    if (*addr == 0) {
        if (flags & DO_GRIPE)
            msg_warn("valid_hostaddr: empty address");
        return (0);
    }
    if (strchr(addr, ':') != 0)
        return (valid_ipv6_hostaddr(addr, flags));
    return (valid_ipv4_hostaddr(addr, flags));
}

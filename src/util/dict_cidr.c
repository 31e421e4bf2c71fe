/*
 * dict_cidr - cidr: tables, IPv4 and IPv6 network/prefix patterns.
 *
 * Each logical line is "pattern result", "!pattern result", "if pattern",
 * "if !pattern" or "endif"; a pattern is an address ("192.0.2.1",
 * "2001:db8::1") or network/prefix ("192.0.2.0/24"), optionally inside
 * "[]". Keys are compared as binary addresses; the first rule that applies
 * gives the result, which is returned as written. A key that is not an
 * address is simply not found.
 *
 * Exports: dict_cidr_open() (also "cidr:{ {rule}, {rule} }").
 *
 * Failure: a bad rule is warned about in Postfix's words ("cidr map F,
 * line N: ...: skipping this rule") and left out. A table that cannot be
 * opened becomes a surrogate.
 *
 * The network parser and matcher (cidr_net_*) are private to this file on
 * purpose: they stand in for the shared src/util/cidr_match module and are
 * shaped so that switching to it touches only those functions.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "argv.h"
#include "dict.h"
#include "dict_cidr.h"
#include "dict_pattern.h"
#include "msg.h"
#include "mymalloc.h"
#include "readlline.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

/* One network: address family, network bytes and mask bytes. */
typedef struct CIDR_NET {
    int family;                 /* AF_INET or AF_INET6 */
    int bytes;                  /* 4 or 16 */
    unsigned char net[16];
    unsigned char mask[16];
} CIDR_NET;

#define CIDR_OP_MATCH 1
#define CIDR_OP_IF 2
#define CIDR_OP_ENDIF 3

typedef struct CIDR_RULE {
    int op;
    int negate;
    int lineno;
    CIDR_NET net;
    char *value;                /* CIDR_OP_MATCH: the result */
    struct CIDR_RULE *next;
    struct CIDR_RULE *endif;    /* CIDR_OP_IF: its ENDIF, null when unclosed */
} CIDR_RULE;

typedef struct DICT_CIDR {
    DICT dict;
    CIDR_RULE *head;
    CIDR_RULE *tail;
    CIDR_RULE **open_ifs;       /* while loading: IFs without ENDIF yet */
    int open_count;
    int open_size;
} DICT_CIDR;

/* cidr_net_parse - parse [addr]/len, [addr/len], addr/len or addr, in place */
static const char *cidr_net_parse(char *pattern, CIDR_NET *net, VSTRING *why)
{
    char *mask_search;
    char *mask;
    int shift;
    int bits;
    int i;
    char buf[INET6_ADDRSTRLEN];

    if (*pattern == '[') {
        pattern++;
        if ((mask_search = split_at(pattern, ']')) == 0) {
            vstring_sprintf(why, "missing ']' character after \"[%s\"", pattern);
            return (vstring_str(why));
        } else if (*mask_search != '/') {
            if (*mask_search != 0) {
                vstring_sprintf(why, "garbage after \"[%s]\"", pattern);
                return (vstring_str(why));
            }
            mask_search = pattern;
        }
    } else {
        mask_search = pattern;
    }
    net->family = strchr(pattern, ':') ? AF_INET6 : AF_INET;
    net->bytes = (net->family == AF_INET6) ? 16 : 4;
    bits = net->bytes * 8;
    memset(net->net, 0, sizeof(net->net));
    memset(net->mask, 0, sizeof(net->mask));

    if ((mask = split_at(mask_search, '/')) != 0) {
        if (*mask == 0 || !alldig(mask)) {
            vstring_sprintf(why, "bad mask value in \"%s/%s\"", pattern, mask);
            return (vstring_str(why));
        }
        /* Through int like atoi(), so absurd lengths behave as in Postfix. */
        shift = (int) strtol(mask, (char **) 0, 10);
        if (shift < 0 || shift > bits) {
            vstring_sprintf(why, "bad mask length in \"%s/%s\"", pattern, mask);
            return (vstring_str(why));
        }
        if (inet_pton(net->family, pattern, net->net) != 1) {
            vstring_sprintf(why, "bad network value in \"%s/%s\"", pattern, mask);
            return (vstring_str(why));
        }
        for (i = 0; i < net->bytes; i++) {
            int left = shift - 8 * i;

            net->mask[i] = left >= 8 ? 0xff : left <= 0 ? 0 : (unsigned char) (0xff << (8 - left));
        }
        for (i = 0; i < net->bytes; i++) {
            if ((net->net[i] & net->mask[i]) != net->net[i]) {
                unsigned char fixed[16];
                int j;

                for (j = 0; j < net->bytes; j++)
                    fixed[j] = net->net[j] & net->mask[j];
                inet_ntop(net->family, fixed, buf, sizeof(buf));
                vstring_sprintf(why, "non-null host address bits in \"%s/%s\", "
                                "perhaps you should use \"%s/%d\" instead",
                                pattern, mask, buf, shift);
                return (vstring_str(why));
            }
        }
    } else {
        if (inet_pton(net->family, pattern, net->net) != 1) {
            vstring_sprintf(why, "bad address pattern: \"%s\"", pattern);
            return (vstring_str(why));
        }
        memset(net->mask, 0xff, net->bytes);
    }
    return (0);
}

/* cidr_net_match - does a binary address of this family lie in net? */
static int cidr_net_match(const CIDR_NET *net, int family, const unsigned char *addr)
{
    int i;

    if (family != net->family)
        return (0);
    for (i = 0; i < net->bytes; i++)
        if ((addr[i] & net->mask[i]) != net->net[i])
            return (0);
    return (1);
}

/* cidr_rule_append - link a new rule at the end */
static CIDR_RULE *cidr_rule_append(DICT_CIDR *dc, int op, int lineno)
{
    CIDR_RULE *rule = mycalloc(1, sizeof(*rule));

    rule->op = op;
    rule->lineno = lineno;
    if (dc->tail)
        dc->tail->next = rule;
    else
        dc->head = rule;
    dc->tail = rule;
    return (rule);
}

/* cidr_keyword - does p start with the word kw (case-insensitive)? */
static int cidr_keyword(const char *p, const char *kw)
{
    size_t len = strlen(kw);

    return (strncasecmp(p, kw, len) == 0 && (p[len] == 0 || ISSPACE(p[len])));
}

/* cidr_parse_pattern - "[!]pattern": negation and the pattern text */
static char *cidr_parse_pattern(char *p, int *negate)
{
    for (*negate = 0; *p == '!' || ISSPACE(*p); p++)
        if (*p == '!')
            *negate = !*negate;
    return (p);
}

/* cidr_parse_endif - "endif" */
static void cidr_parse_endif(DICT_CIDR *dc, int lineno, char *p)
{
    CIDR_RULE *rule;

    p = skipblanks(p + 5);
    if (*p) {
        msg_warn("cidr map %s, line %d: garbage after ENDIF: skipping this rule", dc->dict.name,
                 lineno);
        return;
    }
    if (dc->open_count == 0) {
        msg_warn("cidr map %s, line %d: ENDIF without IF: skipping this rule", dc->dict.name,
                 lineno);
        return;
    }
    rule = cidr_rule_append(dc, CIDR_OP_ENDIF, lineno);
    dc->open_ifs[--dc->open_count]->endif = rule;
}

/* cidr_parse_line - one logical line */
static void cidr_parse_line(DICT_CIDR *dc, int lineno, const char *line, VSTRING *why)
{
    char *copy = mystrdup(line);
    char *p = copy;
    char *value = 0;
    CIDR_RULE *rule;
    CIDR_NET net;
    int op = CIDR_OP_MATCH;
    int negate;

    if (cidr_keyword(p, "endif")) {
        cidr_parse_endif(dc, lineno, p);
        myfree(copy);
        return;
    }
    if (cidr_keyword(p, "if")) {
        op = CIDR_OP_IF;
        p += 2;
    }
    p = cidr_parse_pattern(p, &negate);
    if (*p == 0) {
        msg_warn("cidr map %s, line %d: no address pattern: skipping this rule", dc->dict.name,
                 lineno);
        myfree(copy);
        return;
    }
    if (op == CIDR_OP_MATCH) {
        /* The pattern ends at white space; the rest is the result. */
        for (value = p; *value && !ISSPACE(*value); value++)
             /* void */ ;
        if (*value)
            *value++ = 0;
        value = skipblanks(value);
    }
    if (cidr_net_parse(p, &net, why) != 0) {
        msg_warn("cidr map %s, line %d: %s: skipping this rule", dc->dict.name, lineno,
                 vstring_str(why));
        myfree(copy);
        return;
    }
    if (op == CIDR_OP_MATCH && *value == 0) {
        msg_warn("cidr map %s, line %d: no lookup result: skipping this rule", dc->dict.name,
                 lineno);
        myfree(copy);
        return;
    }
    rule = cidr_rule_append(dc, op, lineno);
    rule->negate = negate;
    rule->net = net;
    if (op == CIDR_OP_MATCH) {
        rule->value = mystrdup(value);
    } else {
        if (dc->open_count >= dc->open_size) {
            dc->open_size = dc->open_size * 2 + 4;
            dc->open_ifs = myrealloc(dc->open_ifs, dc->open_size * sizeof(*dc->open_ifs));
        }
        dc->open_ifs[dc->open_count++] = rule;
    }
    myfree(copy);
}

/* dict_cidr_lookup - the first rule that applies to an address key */
static const char *dict_cidr_lookup(DICT *dict, const char *key)
{
    DICT_CIDR *dc = (DICT_CIDR *) dict;
    unsigned char addr[16];
    int family;
    int matched;
    CIDR_RULE *rule;

    dict->error = DICT_ERR_NONE;
    if (strlen(key) >= INET6_ADDRSTRLEN)
        return (0);
    family = strchr(key, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(family, key, addr) != 1)
        return (0);
    for (rule = dc->head; rule != 0; /* see below */ ) {
        if (rule->op == CIDR_OP_ENDIF) {
            rule = rule->next;
            continue;
        }
        /* A rule for the other address family never applies, negated or not. */
        if (rule->net.family != family)
            matched = -1;
        else
            matched = cidr_net_match(&rule->net, family, addr) != rule->negate;
        if (rule->op == CIDR_OP_IF) {
            if (matched > 0)
                rule = rule->next;
            else
                rule = rule->endif ? rule->endif->next : 0;
            continue;
        }
        if (matched > 0)
            return (rule->value);
        rule = rule->next;
    }
    return (0);
}

/* dict_cidr_close - release the rules */
static void dict_cidr_close(DICT *dict)
{
    DICT_CIDR *dc = (DICT_CIDR *) dict;
    CIDR_RULE *rule;
    CIDR_RULE *next;

    for (rule = dc->head; rule; rule = next) {
        next = rule->next;
        if (rule->value)
            myfree(rule->value);
        myfree(rule);
    }
    if (dc->open_ifs)
        myfree(dc->open_ifs);
    dict_free(dict);
}

/* cidr_finish - report IFs that were never closed */
static void cidr_finish(DICT_CIDR *dc)
{
    while (dc->open_count > 0)
        msg_warn("cidr map %s, line %d: IF has no matching ENDIF", dc->dict.name,
                 dc->open_ifs[--dc->open_count]->lineno);
}

/* dict_cidr_open - read a cidr: table from a file or inline text */
DICT *dict_cidr_open(const char *name, int open_flags, int dict_flags)
{
    DICT_CIDR *dc;
    VSTRING *why = vstring_alloc(100);
    VSTRING *line;
    VSTREAM *fp = 0;
    ARGV *rules = 0;
    struct stat st;
    int last_line = 0;
    int lineno = 0;
    int i;

    if ((open_flags & O_ACCMODE) != O_RDONLY) {
        vstring_free(why);
        return (dict_surrogate(DICT_TYPE_CIDR, name, open_flags, dict_flags,
                               "%s:%s map requires O_RDONLY access mode", DICT_TYPE_CIDR, name));
    }
    if (*name == '{') {
        if ((rules = dict_pattern_split_inline(name, why)) == 0) {
            DICT *surrogate = dict_surrogate(DICT_TYPE_CIDR, name, open_flags, dict_flags,
                                             "%s map: %s", DICT_TYPE_CIDR, vstring_str(why));

            vstring_free(why);
            return (surrogate);
        }
    } else if ((fp = vstream_fopen(name, O_RDONLY, 0)) == 0) {
        vstring_free(why);
        return (dict_surrogate(DICT_TYPE_CIDR, name, open_flags, dict_flags, "open %s: %m",
                               name));
    }
    dc = (DICT_CIDR *) dict_alloc(DICT_TYPE_CIDR, name, sizeof(*dc));
    dc->dict.lookup = dict_cidr_lookup;
    dc->dict.close = dict_cidr_close;
    dc->dict.flags = (dict_flags | DICT_FLAG_PATTERN) & ~DICT_FLAG_FIXED;
    if (rules) {
        for (i = 0; i < rules->argc; i++)
            cidr_parse_line(dc, i + 1, rules->argv[i], why);
        argv_free(rules);
        dc->dict.owner.status = DICT_OWNER_TRUSTED;
        dc->dict.owner.uid = 0;
    } else {
        if (fstat(vstream_fileno(fp), &st) < 0)
            msg_fatal("fstat %s: %m", name);
        dict_set_owner(&dc->dict, &st);
        line = vstring_alloc(100);
        while (readllines(line, fp, &last_line, &lineno) != 0) {
            if (ISSPACE(*vstring_str(line))) {
                msg_warn("%s: logical line must not start with whitespace: \"%s\"", name,
                         vstring_str(line));
                continue;
            }
            cidr_parse_line(dc, lineno, vstring_str(line), why);
        }
        vstring_free(line);
        vstream_fclose(fp);
    }
    cidr_finish(dc);
    vstring_free(why);
    return (&dc->dict);
}

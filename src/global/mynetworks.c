/*
 * mynetworks - the computed default of the mynetworks parameter.
 *
 * The networks this host is attached to, as "addr/len" (IPv4) and
 * "[addr]/len" (IPv6) separated by spaces, IPv4 first, each listed once. Which
 * interface addresses count follows inet_interfaces ("all", or the listed
 * addresses and names) and inet_protocols; how much of each address is kept
 * follows mynetworks_style: "host" (the address alone), "subnet" (the
 * interface's netmask) or "class" (the old class A/B/C network; IPv6 as
 * subnet).
 *
 * Failure: a host without interface information yields only what could be
 * found; an unknown mynetworks_style is fatal as in Postfix.
 */

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "argv.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

#include "mail_conf.h"
#include "mail_params.h"

#define STYLE_HOST 1
#define STYLE_SUBNET 2
#define STYLE_CLASS 3

/* prefix_len - number of leading one bits in a netmask */
static int prefix_len(const unsigned char *mask, int len)
{
    int bits = 0, i, b;

    for (i = 0; i < len; i++)
        for (b = 7; b >= 0; b--)
            if (mask[i] & (1 << b))
                bits++;
    return (bits);
}

/* apply_len - clear the host part of an address */
static void apply_len(unsigned char *addr, int len, int bits)
{
    int i;

    for (i = 0; i < len; i++) {
        if (bits >= 8)
            bits -= 8;
        else {
            addr[i] &= (unsigned char)(0xff << (8 - bits));
            bits = 0;
        }
    }
}

/* wanted_address - does inet_interfaces select this interface address */
static int wanted_address(ARGV *wanted, const struct sockaddr *sa)
{
    char buf[INET6_ADDRSTRLEN];
    struct addrinfo hints, *res, *ai;
    int i, found = 0;
    const void *a = sa->sa_family == AF_INET
                        ? (const void *)&((struct sockaddr_in *)sa)->sin_addr
                        : (const void *)&((struct sockaddr_in6 *)sa)->sin6_addr;
    size_t alen = sa->sa_family == AF_INET ? 4 : 16;

    if (wanted == 0)
        return (1);
    inet_ntop(sa->sa_family, a, buf, sizeof(buf));
    for (i = 0; i < wanted->argc && !found; i++) {
        const char *w = wanted->argv[i];

        if (strcasecmp(w, "loopback-only") == 0) {
            found = strcmp(buf, "127.0.0.1") == 0 || strcmp(buf, "::1") == 0;
            continue;
        }
        memset(&hints, 0, sizeof(hints));
        hints.ai_family = sa->sa_family;
        hints.ai_socktype = SOCK_STREAM;
        if (getaddrinfo(w, 0, &hints, &res) != 0)
            continue;
        for (ai = res; ai && !found; ai = ai->ai_next) {
            const void *b = ai->ai_family == AF_INET
                                ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
                                : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;

            found = ai->ai_family == sa->sa_family && memcmp(a, b, alen) == 0;
        }
        freeaddrinfo(res);
    }
    return (found);
}

/* add_network - append one network unless it is already listed */
static void add_network(ARGV *list, int family, unsigned char *addr, int bits)
{
    char buf[INET6_ADDRSTRLEN];
    char net[INET6_ADDRSTRLEN + 16];
    int i;

    inet_ntop(family, addr, buf, sizeof(buf));
    snprintf(net, sizeof(net), family == AF_INET ? "%s/%d" : "[%s]/%d", buf, bits);
    for (i = 0; i < list->argc; i++)
        if (strcmp(list->argv[i], net) == 0)
            return;
    argv_add(list, net, (char *)0);
}

/* mail_param_mynetworks - computed default of mynetworks */
const char *mail_param_mynetworks(void)
{
    static char *result;
    const char *style_name = mail_conf_lookup_eval("mynetworks_style");
    const char *ifaces = mail_conf_lookup_eval("inet_interfaces");
    const char *protos = mail_conf_lookup_eval("inet_protocols");
    int style, want4, want6, pass, bits;
    struct ifaddrs *ifa_list = 0, *ifa;
    ARGV *v4 = argv_alloc(10), *v6 = argv_alloc(10);
    ARGV *wanted = 0;
    unsigned char addr[16];

    if (strcasecmp(style_name, "host") == 0)
        style = STYLE_HOST;
    else if (strcasecmp(style_name, "subnet") == 0)
        style = STYLE_SUBNET;
    else if (strcasecmp(style_name, "class") == 0)
        style = STYLE_CLASS;
    else
        msg_fatal("unknown mynetworks_style parameter value: %s", style_name);
    want4 = strstr(protos, "all") || strstr(protos, "ipv4");
    want6 = strstr(protos, "all") || strstr(protos, "ipv6");
    if (strcasecmp(ifaces, "all") != 0)
        wanted = argv_split(ifaces, ", \t\r\n");
    if (getifaddrs(&ifa_list) < 0)
        msg_warn("getifaddrs: %m");
    for (pass = 0; pass < 2; pass++) {
        for (ifa = ifa_list; ifa; ifa = ifa->ifa_next) {
            if (ifa->ifa_addr == 0 || ifa->ifa_netmask == 0)
                continue;
            if (pass == 0 && want4 && ifa->ifa_addr->sa_family == AF_INET) {
                if (!wanted_address(wanted, ifa->ifa_addr))
                    continue;
                memcpy(addr, &((struct sockaddr_in *)ifa->ifa_addr)->sin_addr, 4);
                bits = prefix_len(
                    (unsigned char *)&((struct sockaddr_in *)ifa->ifa_netmask)->sin_addr, 4);
                if (style == STYLE_HOST)
                    bits = 32;
                else if (style == STYLE_CLASS)
                    bits = addr[0] < 128 ? 8 : addr[0] < 192 ? 16 : addr[0] < 224 ? 24 : 32;
                apply_len(addr, 4, bits);
                add_network(v4, AF_INET, addr, bits);
            } else if (pass == 1 && want6 && ifa->ifa_addr->sa_family == AF_INET6) {
                if (!wanted_address(wanted, ifa->ifa_addr))
                    continue;
                memcpy(addr, &((struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr, 16);
                bits = prefix_len(
                    (unsigned char *)&((struct sockaddr_in6 *)ifa->ifa_netmask)->sin6_addr, 16);
                if (style == STYLE_HOST)
                    bits = 128;
                apply_len(addr, 16, bits);
                add_network(v6, AF_INET6, addr, bits);
            }
        }
    }
    if (ifa_list)
        freeifaddrs(ifa_list);
    if (wanted)
        argv_free(wanted);
    if (result)
        myfree(result);
    {
        char *s4 = argv_join(v4, " "), *s6 = argv_join(v6, " ");

        result = concatenate(s4, *s4 && *s6 ? " " : "", s6, (char *)0);
        myfree(s4);
        myfree(s6);
    }
    argv_free(v4);
    argv_free(v6);
    return (result);
}

/*
 * own_inet_addr - recognize the addresses this mail system receives mail on.
 *
 * inet_interfaces is "all" (every address of every interface), "loopback-only"
 * (127.0.0.1 and ::1), or a list of host names and addresses; proxy_interfaces
 * is a list of host names and addresses of NAT or proxy devices in front of
 * this system. Mail to user@[address] is local when the address is in either
 * list. Addresses of a protocol that inet_protocols disables are left out.
 * The lists are built on first use and kept for the life of the process.
 *
 * Exports own_inet_addr() and proxy_inet_addr(): 1 for a match, 0 otherwise.
 * Failure: a name in either parameter that does not resolve, or failure to
 * list the interfaces, is fatal: the process cannot tell local mail apart.
 */

#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>

#include "mail_params.h"
#include "msg.h"
#include "myaddrinfo.h"
#include "mymalloc.h"
#include "own_inet_addr.h"
#include "stringops.h"

typedef struct ADDR_LIST {
    struct sockaddr_storage *addrs;
    int used;
    int size;
    int ready;
} ADDR_LIST;

static ADDR_LIST own_list;
static ADDR_LIST proxy_list;

/* addr_list_want - does inet_protocols enable this address family? */
static int addr_list_want(int family)
{
    const char *protos = var_inet_protocols ? var_inet_protocols : "all";

    if (strstr(protos, "all") != 0)
        return (family == AF_INET || family == AF_INET6);
    if (family == AF_INET)
        return (strstr(protos, "ipv4") != 0);
    if (family == AF_INET6)
        return (strstr(protos, "ipv6") != 0);
    return (0);
}

/* addr_list_add - remember one address */
static void addr_list_add(ADDR_LIST *list, const struct sockaddr *sa)
{
    size_t len =
        sa->sa_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);

    if (!addr_list_want(sa->sa_family))
        return;
    if (list->used == list->size) {
        list->size = list->size ? 2 * list->size : 8;
        list->addrs = myrealloc(list->addrs, list->size * sizeof(*list->addrs));
    }
    memset(list->addrs + list->used, 0, sizeof(*list->addrs));
    memcpy(list->addrs + list->used, sa, len);
    list->used++;
}

/* addr_list_interfaces - every address of every interface */
static void addr_list_interfaces(ADDR_LIST *list)
{
    struct ifaddrs *ifa0;
    struct ifaddrs *ifa;

    if (getifaddrs(&ifa0) < 0)
        msg_fatal("getifaddrs: %m");
    for (ifa = ifa0; ifa; ifa = ifa->ifa_next)
        if (ifa->ifa_addr &&
            (ifa->ifa_addr->sa_family == AF_INET || ifa->ifa_addr->sa_family == AF_INET6))
            addr_list_add(list, ifa->ifa_addr);
    freeifaddrs(ifa0);
}

/* addr_list_host - the addresses of one host name or numeric address */
static void addr_list_host(ADDR_LIST *list, const char *param, const char *host)
{
    struct addrinfo *res0;
    struct addrinfo *res;
    int err;

    if ((err = hostname_to_sockaddr(host, (char *)0, 0, &res0)) != 0)
        msg_fatal("config variable %s: host not found: %s", param, host);
    for (res = res0; res; res = res->ai_next)
        if (res->ai_family == AF_INET || res->ai_family == AF_INET6)
            addr_list_add(list, res->ai_addr);
    freeaddrinfo(res0);
}

/* addr_list_build - fill a list from a parameter value */
static void addr_list_build(ADDR_LIST *list, const char *param, const char *value)
{
    char *saved = mystrdup(value ? value : "");
    char *bp = saved;
    char *host;
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;

    list->ready = 1;
    while ((host = mystrtok(&bp, ", \t\r\n")) != 0) {
        if (strcasecmp(host, "all") == 0) {
            addr_list_interfaces(list);
        } else if (strcasecmp(host, "loopback-only") == 0) {
            memset(&sin, 0, sizeof(sin));
            sin.sin_family = AF_INET;
            sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            addr_list_add(list, (struct sockaddr *)&sin);
            memset(&sin6, 0, sizeof(sin6));
            sin6.sin6_family = AF_INET6;
            sin6.sin6_addr = in6addr_loopback;
            addr_list_add(list, (struct sockaddr *)&sin6);
        } else {
            addr_list_host(list, param, host);
        }
    }
    myfree(saved);
}

/* addr_list_match - is sa in the list? */
static int addr_list_match(const ADDR_LIST *list, const struct sockaddr *sa)
{
    const struct sockaddr *el;
    int i;

    for (i = 0; i < list->used; i++) {
        el = (const struct sockaddr *)(list->addrs + i);
        if (el->sa_family != sa->sa_family)
            continue;
        if (sa->sa_family == AF_INET &&
            memcmp(&((const struct sockaddr_in *)el)->sin_addr,
                   &((const struct sockaddr_in *)sa)->sin_addr, sizeof(struct in_addr)) == 0)
            return (1);
        if (sa->sa_family == AF_INET6 &&
            memcmp(&((const struct sockaddr_in6 *)el)->sin6_addr,
                   &((const struct sockaddr_in6 *)sa)->sin6_addr, sizeof(struct in6_addr)) == 0)
            return (1);
    }
    return (0);
}

/* own_inet_addr - is sa an inet_interfaces address? */
int own_inet_addr(const struct sockaddr *sa)
{
    if (!own_list.ready)
        addr_list_build(&own_list, "inet_interfaces", var_inet_interfaces);
    return (addr_list_match(&own_list, sa));
}

/* proxy_inet_addr - is sa a proxy_interfaces address? */
int proxy_inet_addr(const struct sockaddr *sa)
{
    if (!proxy_list.ready)
        addr_list_build(&proxy_list, "proxy_interfaces", var_proxy_interfaces);
    return (addr_list_match(&proxy_list, sa));
}

/* inet_listen_test - TCP listen, connect and trigger over IPv4 and IPv6 */

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connect.h"
#include "listen.h"
#include "myaddrinfo.h"
#include "sane_accept.h"
#include "testing.h"
#include "trigger.h"

/* bound_port - the port the kernel gave a socket bound to port 0 */
static int bound_port(int sock, VSTRING *addr)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    VSTRING *port = vstring_alloc(10);
    int result;

    if (getsockname(sock, (struct sockaddr *)&ss, &len) < 0 ||
        sockaddr_to_hostaddr((struct sockaddr *)&ss, len, addr, port) != 0)
        return (-1);
    result = atoi(vstring_str(port));
    vstring_free(port);
    return (result);
}

/* have_ipv6 - can this host bind an IPv6 loopback socket? */
static int have_ipv6(void)
{
    struct sockaddr_in6 sin6;
    int sock = socket(AF_INET6, SOCK_STREAM, 0);
    int ok;

    if (sock < 0)
        return (0);
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_addr = in6addr_loopback;
    ok = bind(sock, (struct sockaddr *)&sin6, sizeof(sin6)) == 0;
    close(sock);
    return (ok);
}

/* exchange - connect to addr, accept on lsock, pass a few bytes */
static void exchange(int lsock, const char *addr)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int csock;
    int ssock;
    int on = 0;
    socklen_t olen = sizeof(on);
    char buf[10];

    csock = inet_connect(addr, BLOCKING, 2);
    CHECK(csock >= 0);
    ssock = sane_accept(lsock, (struct sockaddr *)&ss, &len);
    CHECK(ssock >= 0);
    CHECK(getsockopt(ssock, SOL_SOCKET, SO_KEEPALIVE, &on, &olen) == 0 && on);
    CHECK(write(csock, "EHLO", 4) == 4);
    CHECK_INT(timed_read(ssock, buf, sizeof(buf), 1, 0), 4);
    close(csock);
    close(ssock);
}

TEST(ipv4_loopback)
{
    VSTRING *addr = vstring_alloc(10);
    char spec[100];
    int lsock = inet_listen("127.0.0.1:0", 10, BLOCKING);
    int port = bound_port(lsock, addr);
    int on = 0;
    socklen_t olen = sizeof(on);

    CHECK(port > 0);
    CHECK_STR(vstring_str(addr), "127.0.0.1");
    CHECK(getsockopt(lsock, SOL_SOCKET, SO_REUSEADDR, &on, &olen) == 0 && on);
    snprintf(spec, sizeof(spec), "127.0.0.1:%d", port);
    exchange(lsock, spec);
    snprintf(spec, sizeof(spec), "[127.0.0.1]:%d", port);
    exchange(lsock, spec);
    close(lsock);
    vstring_free(addr);
}

TEST(empty_host_means_ipv4_wildcard)
{
    VSTRING *addr = vstring_alloc(10);
    char spec[100];
    int lsock = inet_listen(":0", 10, BLOCKING);
    int port = bound_port(lsock, addr);

    CHECK_STR(vstring_str(addr), "0.0.0.0");
    snprintf(spec, sizeof(spec), "127.0.0.1:%d", port);
    exchange(lsock, spec);
    close(lsock);
    lsock = inet_listen("0", 10, NON_BLOCKING);
    CHECK(bound_port(lsock, addr) > 0);
    CHECK_STR(vstring_str(addr), "0.0.0.0");
    close(lsock);
    vstring_free(addr);
}

TEST(ipv6_loopback_is_v6_only)
{
    VSTRING *addr = vstring_alloc(10);
    char spec[100];
    int lsock;
    int port;
    int on = 0;
    socklen_t olen = sizeof(on);

    if (!have_ipv6()) {
        printf("  (no IPv6 on this host; nothing to test)\n");
        vstring_free(addr);
        return;
    }
    lsock = inet_listen("[::1]:0", 10, BLOCKING);
    port = bound_port(lsock, addr);
    CHECK_STR(vstring_str(addr), "::1");
    CHECK(getsockopt(lsock, IPPROTO_IPV6, IPV6_V6ONLY, &on, &olen) == 0 && on);
    snprintf(spec, sizeof(spec), "[::1]:%d", port);
    exchange(lsock, spec);
    close(lsock);
    vstring_free(addr);
}

TEST(refused_and_unknown_destinations)
{
    VSTRING *addr = vstring_alloc(10);
    char spec[100];
    int lsock = inet_listen("127.0.0.1:0", 10, BLOCKING);
    int port = bound_port(lsock, addr);

    close(lsock);
    snprintf(spec, sizeof(spec), "127.0.0.1:%d", port);
    errno = 0;
    CHECK_INT(inet_connect(spec, BLOCKING, 1), -1);
    CHECK_INT(errno, ECONNREFUSED);
    CHECK_INT(inet_trigger(spec, "W", 1, 1), -1);
    CHECK_INT(inet_connect("127.0.0.1:no-such-service-xyz", BLOCKING, 1), -1);
    CHECK_INT(errno, EADDRNOTAVAIL);
    CHECK_INT(inet_connect("bad host:25", BLOCKING, 1), -1);
    CHECK_INT(errno, EINVAL);
    vstring_free(addr);
}

TEST(trigger_over_tcp)
{
    VSTRING *addr = vstring_alloc(10);
    char spec[100];
    char buf[10];
    int lsock = inet_listen("127.0.0.1:0", 10, BLOCKING);
    int port = bound_port(lsock, addr);
    int ssock;

    snprintf(spec, sizeof(spec), "127.0.0.1:%d", port);
    CHECK_INT(inet_trigger(spec, "I", 1, 2), 0);
    ssock = sane_accept(lsock, 0, 0);
    CHECK(ssock >= 0);
    CHECK_INT(timed_read(ssock, buf, sizeof(buf), 1, 0), 1);
    CHECK(buf[0] == 'I');
    close(ssock);
    close(lsock);
    vstring_free(addr);
}

TEST(bad_listen_address_is_fatal)
{
    pid_t pid;
    int status;

    if ((pid = fork()) == 0) {
        close(2);
        (void)inet_listen("[::1:25", 10, BLOCKING);
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

int main(void)
{
    RUN(ipv4_loopback);
    RUN(empty_host_means_ipv4_wildcard);
    RUN(ipv6_loopback_is_v6_only);
    RUN(refused_and_unknown_destinations);
    RUN(trigger_over_tcp);
    RUN(bad_listen_address_is_fatal);
    return (TESTS_DONE());
}

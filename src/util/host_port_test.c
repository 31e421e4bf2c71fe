/* host_port_test - module tests for host_port and myaddrinfo */

#include <netdb.h>
#include <netinet/in.h>

#include "host_port.h"
#include "myaddrinfo.h"
#include "testing.h"

struct hp_case {
    const char *input;
    char *def_host;
    char *def_port;
    const char *host; /* expected, or null when an error is expected */
    const char *port;
};

static const struct hp_case hp_cases[] = {
    {"example.com:25", 0, 0, "example.com", "25"},
    {"[::1]:10025", 0, 0, "::1", "10025"},
    {"[192.0.2.1]", 0, "smtp", "192.0.2.1", "smtp"},
    {"[192.0.2.1]:", 0, "smtp", "192.0.2.1", "smtp"},
    {":25", "", 0, "", "25"},
    {":25", "localhost", 0, "localhost", "25"},
    {"25", "localhost", 0, "localhost", "25"},
    {"submission", "localhost", 0, "localhost", "submission"},
    {"mail.example", 0, "25", "mail.example", "25"},
    {"587", "h", "25", "h", "587"},
    {"relay", "h", "25", "relay", "25"},
    {"host:", 0, "25", "host", "25"},
    {"::1:25", 0, 0, "::1", "25"},
    {"host", 0, 0, 0, 0},
    {":25", 0, 0, 0, 0},
    {"[::1", 0, "25", 0, 0},
    {"[]:25", 0, 0, 0, 0},
    {"[::1]x", 0, "25", 0, 0},
    {"bad host:25", 0, 0, 0, 0},
    {"host:65536", 0, 0, 0, 0},
    {"host:2 5", 0, 0, 0, 0},
    {"host:-x", 0, 0, 0, 0},
    {"host:65535", 0, 0, "host", "65535"},
};

TEST(host_port_forms_and_errors)
{
    const struct hp_case *hp;
    char buf[200];
    char *host;
    char *port;
    const char *err;

    for (hp = hp_cases; hp < hp_cases + sizeof(hp_cases) / sizeof(hp_cases[0]); hp++) {
        snprintf(buf, sizeof(buf), "%s", hp->input);
        err = host_port(buf, &host, hp->def_host, &port, hp->def_port);
        if (hp->host == 0) {
            if (err == 0)
                printf("  input \"%s\": expected an error, got host=%s port=%s\n", hp->input, host,
                       port);
            CHECK(err != 0);
        } else {
            if (err != 0)
                printf("  input \"%s\": unexpected error: %s\n", hp->input, err);
            CHECK(err == 0);
            if (err == 0) {
                CHECK_STR(host, hp->host);
                CHECK_STR(port, hp->port);
            }
        }
    }
}

TEST(host_port_error_texts)
{
    char buf[100];
    char *host;
    char *port;

    snprintf(buf, sizeof(buf), "[::1");
    CHECK_STR(host_port(buf, &host, 0, &port, "25"), "missing \"]\" after host address");
    snprintf(buf, sizeof(buf), ":25");
    CHECK_STR(host_port(buf, &host, 0, &port, 0), "missing host information");
    snprintf(buf, sizeof(buf), "host:");
    CHECK_STR(host_port(buf, &host, 0, &port, 0), "missing port or service information");
}

TEST(numeric_addresses_round_trip)
{
    struct addrinfo *res;
    VSTRING *addr = vstring_alloc(10);
    VSTRING *port = vstring_alloc(10);

    CHECK_INT(hostaddr_to_sockaddr("192.0.2.7", "2525", SOCK_STREAM, &res), 0);
    CHECK_INT(sockaddr_to_hostaddr(res->ai_addr, res->ai_addrlen, addr, port), 0);
    CHECK_STR(vstring_str(addr), "192.0.2.7");
    CHECK_STR(vstring_str(port), "2525");
    freeaddrinfo(res);
    CHECK_INT(hostaddr_to_sockaddr("2001:db8::1", "25", SOCK_STREAM, &res), 0);
    CHECK_INT(sockaddr_to_hostaddr(res->ai_addr, res->ai_addrlen, addr, port), 0);
    CHECK_STR(vstring_str(addr), "2001:db8::1");
    CHECK_STR(vstring_str(port), "25");
    freeaddrinfo(res);
    vstring_free(addr);
    vstring_free(port);
}

TEST(numeric_lookup_refuses_names_and_unknown_families)
{
    struct addrinfo *res;
    struct sockaddr sa = {.sa_family = AF_UNIX};
    VSTRING *addr = vstring_alloc(10);
    int err;

    err = hostaddr_to_sockaddr("localhost", "25", SOCK_STREAM, &res);
    CHECK(err != 0);
    CHECK(myaddrinfo_strerror(err)[0] != 0);
    CHECK_INT(sockaddr_to_hostaddr(&sa, sizeof(sa), addr, 0), EAI_FAMILY);
    vstring_free(addr);
}

TEST(wildcard_lookup_for_listening)
{
    struct addrinfo *res;

    CHECK_INT(hostname_to_sockaddr(0, "25", SOCK_STREAM, &res), 0);
    CHECK(res != 0);
    freeaddrinfo(res);
}

int main(void)
{
    RUN(host_port_forms_and_errors);
    RUN(host_port_error_texts);
    RUN(numeric_addresses_round_trip);
    RUN(numeric_lookup_refuses_names_and_unknown_families);
    RUN(wildcard_lookup_for_listening);
    return (TESTS_DONE());
}

/* valid_hostname_test - module tests for host name and address syntax checks */

#include <stdlib.h>

#include "msg.h"
#include "mymalloc.h"
#include "testing.h"
#include "valid_hostname.h"

static char warning[1000];
static int warnings;

/* capture - remember the last warning */
static void capture(int level, const char *text)
{
    if (level == MSG_WARN) {
        snprintf(warning, sizeof(warning), "%s", text);
        warnings++;
    }
}

/* gripe - the verdict and the warning it produced ("" when valid) */
static const char *gripe(int (*fn)(const char *, int), const char *text, int flags)
{
    warning[0] = 0;
    if (fn(text, flags | DO_GRIPE))
        return ("valid");
    return (warning);
}

TEST(good_hostnames)
{
    CHECK_INT(valid_hostname("example.com", DONT_GRIPE), 1);
    CHECK_INT(valid_hostname("a", DONT_GRIPE), 1);
    CHECK_INT(valid_hostname("A-B.c_d.Example", DONT_GRIPE), 1);
    CHECK_INT(valid_hostname("_dmarc.example.com", DONT_GRIPE), 1);
    CHECK_INT(valid_hostname("a--b.com", DONT_GRIPE), 1);
    CHECK_INT(valid_hostname("123.foo", DONT_GRIPE), 1);
    /* Only an all-numeric name is an address. */
    CHECK_INT(valid_hostname("foo.123", DONT_GRIPE), 1);
    CHECK_INT(valid_hostname("0x10.com", DONT_GRIPE), 1);
}

TEST(bad_hostnames_and_their_warnings)
{
    CHECK_STR(gripe(valid_hostname, "", 0), "valid_hostname: empty hostname");
    CHECK_STR(gripe(valid_hostname, "1.2.3.4", 0), "valid_hostname: numeric hostname: 1.2.3.4");
    CHECK_STR(gripe(valid_hostname, "123", 0), "valid_hostname: numeric hostname: 123");
    CHECK_STR(gripe(valid_hostname, ".foo", 0), "valid_hostname: misplaced delimiter: .foo");
    CHECK_STR(gripe(valid_hostname, "a..b", 0), "valid_hostname: misplaced delimiter: a..b");
    CHECK_STR(gripe(valid_hostname, "foo.com.", 0),
              "valid_hostname: misplaced delimiter: foo.com.");
    CHECK_STR(gripe(valid_hostname, "-a.com", 0), "valid_hostname: misplaced hyphen: -a.com");
    CHECK_STR(gripe(valid_hostname, "a-.com", 0), "valid_hostname: misplaced hyphen: a-.com");
    CHECK_STR(gripe(valid_hostname, "a-", 0), "valid_hostname: misplaced hyphen: a-");
    CHECK_STR(gripe(valid_hostname, "f*o.com", 0),
              "valid_hostname: invalid character 42(decimal): f*o.com");
    CHECK_STR(gripe(valid_hostname, "a b", 0),
              "valid_hostname: invalid character 32(decimal): a b");
    CHECK_STR(gripe(valid_hostname, "f\xc3\xbc.com", 0),
              "valid_hostname: invalid character 195(decimal): f\xc3\xbc.com");
}

TEST(length_limits)
{
    char label[70], name[300];
    int i;

    memset(label, 'a', 63);
    label[63] = 0;
    snprintf(name, sizeof(name), "%s.com", label);
    CHECK_INT(valid_hostname(name, DONT_GRIPE), 1);
    snprintf(name, sizeof(name), "%sa.com", label);
    CHECK_STR(gripe(valid_hostname, name, 0),
              "valid_hostname: hostname label too long: "
              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com");
    /* Four labels of 50 and one of 51: 255 bytes are fine, 256 are not. */
    name[0] = 0;
    for (i = 0; i < 4; i++) {
        memset(label, 'a', 50);
        label[50] = '.';
        label[51] = 0;
        strcat(name, label);
    }
    memset(label, 'x', 51);
    label[51] = 0;
    strcat(name, label);
    CHECK_INT(strlen(name), 255);
    CHECK_INT(valid_hostname(name, DONT_GRIPE), 1);
    strcat(name, "x");
    CHECK(strncmp(gripe(valid_hostname, name, 0), "valid_hostname: bad length 256 for aaaa", 39) ==
          0);
    CHECK(strcmp(warning + strlen(warning) - 3, "...") == 0);
}

TEST(wildcard_only_with_the_flag)
{
    CHECK_INT(valid_hostname("*.example.com", DONT_GRIPE), 0);
    CHECK_INT(valid_hostname("*.example.com", DO_WILDCARD), 1);
    CHECK_INT(valid_hostname("*", DO_WILDCARD), 1);
    CHECK_STR(gripe(valid_hostname, "a.*.com", DO_WILDCARD),
              "valid_hostname: '*' can be the first label only: a.*.com");
    CHECK_STR(gripe(valid_hostname, "*foo.com", DO_WILDCARD),
              "valid_hostname: '*' can be the first label only: *foo.com");
}

TEST(no_warning_without_gripe)
{
    warnings = 0;
    CHECK_INT(valid_hostname("-bad-", DONT_GRIPE), 0);
    CHECK_INT(valid_hostaddr("1.2.3", DONT_GRIPE), 0);
    CHECK_INT(valid_ipv6_hostaddr("1::2::3", DONT_GRIPE), 0);
    CHECK_INT(valid_hostaddr("", DONT_GRIPE), 0);
    CHECK_INT(warnings, 0);
}

TEST(ipv4_addresses)
{
    CHECK_INT(valid_ipv4_hostaddr("192.0.2.1", DONT_GRIPE), 1);
    CHECK_INT(valid_ipv4_hostaddr("0.0.0.0", DONT_GRIPE), 1);
    CHECK_INT(valid_ipv4_hostaddr("255.255.255.255", DONT_GRIPE), 1);
    CHECK_INT(valid_ipv4_hostaddr("01.2.3.4", DONT_GRIPE), 1);
    CHECK_STR(gripe(valid_ipv4_hostaddr, "0.1.2.3", 0),
              "valid_ipv4_hostaddr: bad initial octet value: 0.1.2.3");
    CHECK_STR(gripe(valid_ipv4_hostaddr, "0.0.0.1", 0),
              "valid_ipv4_hostaddr: bad initial octet value: 0.0.0.1");
    CHECK_STR(gripe(valid_ipv4_hostaddr, "1.2.3", 0),
              "valid_ipv4_hostaddr: invalid octet count: 1.2.3");
    CHECK_STR(gripe(valid_ipv4_hostaddr, "1.2.3.4.5", 0),
              "valid_ipv4_hostaddr: invalid octet count: 1.2.3.4.5");
    CHECK_STR(gripe(valid_ipv4_hostaddr, "", 0), "valid_ipv4_hostaddr: invalid octet count: ");
    CHECK_STR(gripe(valid_ipv4_hostaddr, "1..2.3", 0),
              "valid_ipv4_hostaddr: misplaced dot: 1..2.3");
    CHECK_STR(gripe(valid_ipv4_hostaddr, "1.2.3.", 0),
              "valid_ipv4_hostaddr: misplaced dot: 1.2.3.");
    CHECK_STR(gripe(valid_ipv4_hostaddr, "256.1.1.1", 0),
              "valid_ipv4_hostaddr: invalid octet value: 256.1.1.1");
    CHECK_STR(gripe(valid_ipv4_hostaddr, "1.2.3.a", 0),
              "valid_ipv4_hostaddr: invalid character 97(decimal): 1.2.3.a");
}

TEST(ipv6_addresses)
{
    CHECK_INT(valid_ipv6_hostaddr("::1", DONT_GRIPE), 1);
    CHECK_INT(valid_ipv6_hostaddr("::", DONT_GRIPE), 1);
    CHECK_INT(valid_ipv6_hostaddr("1::", DONT_GRIPE), 1);
    CHECK_INT(valid_ipv6_hostaddr("2001:DB8:0:0:0:0:0:1", DONT_GRIPE), 1);
    CHECK_INT(valid_ipv6_hostaddr("::ffff:192.0.2.1", DONT_GRIPE), 1);
    CHECK_INT(valid_ipv6_hostaddr("1:2:3:4:5:6:1.2.3.4", DONT_GRIPE), 1);
    CHECK_STR(gripe(valid_ipv6_hostaddr, "1:2:3:4:5:6:7:8:9", 0),
              "valid_ipv6_hostaddr: too many `:' in IPv6 address: 1:2:3:4:5:6:7:8:9");
    CHECK_STR(gripe(valid_ipv6_hostaddr, "::2:3:4:5:6:7:8", 0),
              "valid_ipv6_hostaddr: too many `:' in IPv6 address: ::2:3:4:5:6:7:8");
    CHECK_STR(gripe(valid_ipv6_hostaddr, "1::2::3", 0),
              "valid_ipv6_hostaddr: too many `::' in IPv6 address: 1::2::3");
    CHECK_STR(gripe(valid_ipv6_hostaddr, ":::", 0),
              "valid_ipv6_hostaddr: too many `::' in IPv6 address: :::");
    CHECK_STR(gripe(valid_ipv6_hostaddr, ":1:2:3:4:5:6:7", 0),
              "valid_ipv6_hostaddr: bad null first field in IPv6 address: :1:2:3:4:5:6:7");
    CHECK_STR(gripe(valid_ipv6_hostaddr, "1:2:3:4:5:6:7:", 0),
              "valid_ipv6_hostaddr: bad null last field in IPv6 address: 1:2:3:4:5:6:7:");
    CHECK_STR(gripe(valid_ipv6_hostaddr, "", 0),
              "valid_ipv6_hostaddr: too few `:' in IPv6 address: ");
    CHECK_STR(gripe(valid_ipv6_hostaddr, ":", 0),
              "valid_ipv6_hostaddr: too few `:' in IPv6 address: :");
    CHECK_STR(gripe(valid_ipv6_hostaddr, "12345::1", 0),
              "valid_ipv6_hostaddr: malformed IPv6 address: 12345::1");
    CHECK_STR(gripe(valid_ipv6_hostaddr, "fe80::1%eth0", 0),
              "valid_ipv6_hostaddr: invalid character 37(decimal) in IPv6 address: fe80::1%eth0");
    CHECK_STR(gripe(valid_ipv6_hostaddr, "1:2:3:4:5:6:7:1.2.3.4", 0),
              "valid_ipv6_hostaddr: malformed IPv4-in-IPv6 address: 1:2:3:4:5:6:7:1.2.3.4");
    CHECK_STR(gripe(valid_ipv6_hostaddr, "::1.2.3", 0),
              "valid_ipv4_hostaddr: invalid octet count: 1.2.3");
}

TEST(hostaddr_picks_the_family)
{
    CHECK_INT(valid_hostaddr("192.0.2.1", DONT_GRIPE), 1);
    CHECK_INT(valid_hostaddr("2001:db8::1", DONT_GRIPE), 1);
    CHECK_STR(gripe(valid_hostaddr, "", 0), "valid_hostaddr: empty address");
    CHECK_STR(gripe(valid_hostaddr, "[1.2.3.4]", 0),
              "valid_ipv4_hostaddr: invalid character 91(decimal): [1.2.3.4]");
    CHECK_STR(gripe(valid_hostaddr, "foo", 0),
              "valid_ipv4_hostaddr: invalid character 102(decimal): foo");
}

int main(void)
{
    msg_output(capture);
    RUN(good_hostnames);
    RUN(bad_hostnames_and_their_warnings);
    RUN(length_limits);
    RUN(wildcard_only_with_the_flag);
    RUN(no_warning_without_gripe);
    RUN(ipv4_addresses);
    RUN(ipv6_addresses);
    RUN(hostaddr_picks_the_family);
    return (TESTS_DONE());
}

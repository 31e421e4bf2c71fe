/* cidr_match_test - module tests for net/mask patterns */

#include "cidr_match.h"
#include "testing.h"

/* parse_error - the reason a pattern is refused, or "ok" */
static const char *parse_error(const char *pattern)
{
    static VSTRING *why;
    CIDR_MATCH cm;

    if (why == 0)
        why = vstring_alloc(100);
    if (cidr_match_parse(&cm, pattern, why) == 0)
        return ("ok");
    return (vstring_str(why));
}

/* matches - parse the pattern and test one address */
static int matches(const char *pattern, const char *addr)
{
    VSTRING *why = vstring_alloc(100);
    CIDR_MATCH cm;
    int ret;

    ret = cidr_match_parse(&cm, pattern, why) == 0 ? cidr_match_execute(&cm, addr) : -1;
    vstring_free(why);
    return (ret);
}

TEST(ipv4_networks)
{
    CHECK_INT(matches("192.0.2.0/24", "192.0.2.9"), 1);
    CHECK_INT(matches("192.0.2.0/24", "192.0.3.9"), 0);
    CHECK_INT(matches("192.0.2.128/25", "192.0.2.129"), 1);
    CHECK_INT(matches("192.0.2.128/25", "192.0.2.127"), 0);
    CHECK_INT(matches("0.0.0.0/0", "203.0.113.1"), 1);
    CHECK_INT(matches("10.0.0.0/08", "10.200.0.1"), 1);
    CHECK_INT(matches("[10.1.0.0/16]", "10.1.2.3"), 1);
    CHECK_INT(matches("[192.0.2.0]/24", "192.0.2.1"), 1);
}

TEST(bare_address_is_a_full_mask)
{
    CHECK_INT(matches("192.0.2.5", "192.0.2.5"), 1);
    CHECK_INT(matches("192.0.2.5", "192.0.2.6"), 0);
    CHECK_INT(matches("[::1]", "0:0::1"), 1);
    CHECK_INT(matches("::1", "::2"), 0);
}

TEST(ipv6_networks)
{
    CHECK_INT(matches("2001:db8::/32", "2001:db8:ffff::1"), 1);
    CHECK_INT(matches("[2001:db8::]/32", "2001:DB8::5"), 1);
    CHECK_INT(matches("[2001:db8::/32]", "2001:db9::5"), 0);
    CHECK_INT(matches("2001:DB8:1::/48", "2001:db8:1:2::1"), 1);
    CHECK_INT(matches("2001:db8::/31", "2001:db9::1"), 1);
    CHECK_INT(matches("::/0", "fe80::1"), 1);
}

TEST(families_do_not_mix)
{
    CHECK_INT(matches("::/0", "192.0.2.1"), 0);
    CHECK_INT(matches("0.0.0.0/0", "::1"), 0);
    /* IPv4-mapped addresses are IPv6, as in Postfix cidr tables. */
    CHECK_INT(matches("192.0.2.0/24", "::ffff:192.0.2.1"), 0);
    CHECK_INT(matches("::ffff:0:0/96", "::FFFF:10.1.1.1"), 1);
    CHECK_INT(matches("[::ffff:1.2.3.0]/120", "::ffff:1.2.3.4"), 1);
}

TEST(unparsable_addresses_match_nothing)
{
    CHECK_INT(matches("0.0.0.0/0", "[1.1.1.1]"), 0);
    CHECK_INT(matches("0.0.0.0/0", "1.1.1"), 0);
    CHECK_INT(matches("0.0.0.0/0", "host.example"), 0);
    CHECK_INT(matches("0.0.0.0/0", ""), 0);
    CHECK_INT(matches("::/0", "fe80::1%eth0"), 0);
}

TEST(errors_use_postfix_wording)
{
    CHECK_STR(parse_error("192.0.2.1/24"), "non-null host address bits in \"192.0.2.1/24\", "
                                           "perhaps you should use \"192.0.2.0/24\" instead");
    CHECK_STR(parse_error("2001:db8::1/32"), "non-null host address bits in \"2001:db8::1/32\", "
                                             "perhaps you should use \"2001:db8::/32\" instead");
    CHECK_STR(parse_error("[2001:db8::1]/32"), "non-null host address bits in \"2001:db8::1/32\", "
                                               "perhaps you should use \"2001:db8::/32\" instead");
    CHECK_STR(parse_error("10.2.0.0/0"), "non-null host address bits in \"10.2.0.0/0\", perhaps "
                                         "you should use \"0.0.0.0/0\" instead");
    CHECK_STR(parse_error("[10.0.0.1/8]"), "non-null host address bits in \"10.0.0.1/8\", perhaps "
                                           "you should use \"10.0.0.0/8\" instead");
    CHECK_STR(parse_error("10.0.0.0/33"), "bad mask length in \"10.0.0.0/33\"");
    CHECK_STR(parse_error("[10.0.0.0/33]"), "bad mask length in \"10.0.0.0/33\"");
    CHECK_STR(parse_error("2001:db8::/129"), "bad mask length in \"2001:db8::/129\"");
    CHECK_STR(parse_error("10.0.0.0/99999999999999999999"),
              "bad mask length in \"10.0.0.0/99999999999999999999\"");
    CHECK_STR(parse_error("1.2.3/24"), "bad network value in \"1.2.3/24\"");
    CHECK_STR(parse_error("foo/24"), "bad network value in \"foo/24\"");
    CHECK_STR(parse_error("/24"), "bad network value in \"/24\"");
    CHECK_STR(parse_error("192.0.2.0/abc"), "bad mask value in \"192.0.2.0/abc\"");
    CHECK_STR(parse_error("192.0.2.0/"), "bad mask value in \"192.0.2.0/\"");
    CHECK_STR(parse_error("192.0.2.0/-1"), "bad mask value in \"192.0.2.0/-1\"");
    CHECK_STR(parse_error("10.0.0.0/8/8"), "bad mask value in \"10.0.0.0/8/8\"");
    CHECK_STR(parse_error("256.1.1.1"), "bad address pattern: \"256.1.1.1\"");
    CHECK_STR(parse_error("1.2.3.4.5"), "bad address pattern: \"1.2.3.4.5\"");
    CHECK_STR(parse_error("2001:db8::1%eth0"), "bad address pattern: \"2001:db8::1%eth0\"");
    CHECK_STR(parse_error("1.2.3.4]"), "bad address pattern: \"1.2.3.4]\"");
    CHECK_STR(parse_error("[]"), "bad address pattern: \"\"");
    CHECK_STR(parse_error("[192.0.2.0"), "missing ']' character after \"[192.0.2.0\"");
    CHECK_STR(parse_error("[192.0.2.0]x/24"), "garbage after \"[192.0.2.0]\"");
    CHECK_STR(parse_error("[1.2.3.4]]"), "garbage after \"[1.2.3.4]\"");
}

TEST(binary_match_and_format)
{
    CIDR_MATCH cm;
    VSTRING *buf = vstring_alloc(10);
    unsigned char in[4] = {198, 51, 100, 77};
    unsigned char out[4] = {198, 51, 101, 77};

    CHECK_INT(cidr_match_parse(&cm, "198.51.100.0/23", buf), 0);
    CHECK_INT(cm.family, AF_INET);
    CHECK_INT(cm.mask_len, 23);
    CHECK_INT(cidr_match_bytes(&cm, AF_INET, in), 1);
    CHECK_INT(cidr_match_bytes(&cm, AF_INET, out), 1);
    out[2] = 102;
    CHECK_INT(cidr_match_bytes(&cm, AF_INET, out), 0);
    CHECK_STR(cidr_match_format(&cm, buf), "198.51.100.0/23");
    CHECK_INT(cidr_match_parse(&cm, "[2001:DB8:0:0::]/64", buf), 0);
    CHECK_STR(cidr_match_format(&cm, buf), "2001:db8::/64");
    vstring_free(buf);
}

int main(void)
{
    RUN(ipv4_networks);
    RUN(bare_address_is_a_full_mask);
    RUN(ipv6_networks);
    RUN(families_do_not_mix);
    RUN(unparsable_addresses_match_nothing);
    RUN(errors_use_postfix_wording);
    RUN(binary_match_and_format);
    return (TESTS_DONE());
}

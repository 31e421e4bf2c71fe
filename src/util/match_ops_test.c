/* match_ops_test - module tests for host name and address pattern primitives */

#include "match_ops.h"
#include "testing.h"

TEST(hostname_exact_and_case_insensitive)
{
    CHECK_INT(match_hostname("example.com", "example.com", 0), 1);
    CHECK_INT(match_hostname("Example.COM", "example.com", 0), 1);
    CHECK_INT(match_hostname("example.com", "xexample.com", 0), 0);
    CHECK_INT(match_hostname("example.com.", "example.com", 0), 0);
    CHECK_INT(match_hostname("a.example.com", "example.com", 0), 0);
}

TEST(hostname_dot_domain_matches_subdomains_only)
{
    CHECK_INT(match_hostname(".example.com", "a.example.com", 0), 1);
    CHECK_INT(match_hostname(".example.com", "a.b.Example.com", 0), 1);
    CHECK_INT(match_hostname(".example.com", "example.com", 0), 0);
    CHECK_INT(match_hostname(".example.com", "badexample.com", 0), 0);
    CHECK_INT(match_hostname(".example.com", "a.example.com", MATCH_OPS_PARENT), 1);
}

TEST(hostname_parent_flag)
{
    CHECK_INT(match_hostname("example.com", "a.example.com", 0), 0);
    CHECK_INT(match_hostname("example.com", "a.example.com", MATCH_OPS_PARENT), 1);
    CHECK_INT(match_hostname("example.com", "a.b.example.com", MATCH_OPS_PARENT), 1);
    CHECK_INT(match_hostname("example.com", "badexample.com", MATCH_OPS_PARENT), 0);
    CHECK_INT(match_hostname("example.com", "example.com.evil", MATCH_OPS_PARENT), 0);
}

TEST(hostaddr_exact)
{
    CHECK_INT(match_hostaddr("192.0.2.1", "192.0.2.1"), 1);
    CHECK_INT(match_hostaddr("[192.0.2.1]", "192.0.2.1"), 1);
    CHECK_INT(match_hostaddr("192.0.2.1", "192.0.2.10"), 0);
    /* Different spellings of an IPv4 address are not the same pattern. */
    CHECK_INT(match_hostaddr("192.0.2.01", "192.0.2.1"), 0);
    CHECK_INT(match_hostaddr("192.0.2.1", "192.0.2.1x"), 0);
    CHECK_INT(match_hostaddr("[192.0.2.1]", "[192.0.2.1]"), 0);
    CHECK_INT(match_hostaddr("", ""), 0);
}

TEST(hostaddr_ipv6_spellings)
{
    CHECK_INT(match_hostaddr("[::1]", "::1"), 1);
    CHECK_INT(match_hostaddr("[::1]", "0:0::1"), 1);
    CHECK_INT(match_hostaddr("[2001:DB8::1]", "2001:db8::1"), 1);
    CHECK_INT(match_hostaddr("[::1]", "::2"), 0);
}

TEST(hostaddr_net_mask)
{
    CHECK_INT(match_hostaddr("192.0.2.0/24", "192.0.2.9"), 1);
    CHECK_INT(match_hostaddr("[192.0.2.0/24]", "192.0.2.9"), 1);
    CHECK_INT(match_hostaddr("[192.0.2.0]/24", "192.0.2.9"), 1);
    CHECK_INT(match_hostaddr("192.0.2.0/24", "192.0.3.9"), 0);
    CHECK_INT(match_hostaddr("[2001:db8::]/32", "2001:DB8::5"), 1);
    CHECK_INT(match_hostaddr("[2001:db8::]/32", "2001:db9::5"), 0);
    CHECK_INT(match_hostaddr("192.0.2.0/24", "192.0.2.4/24"), 0);
}

TEST(hostaddr_families_do_not_mix)
{
    CHECK_INT(match_hostaddr("192.0.2.0/24", "::ffff:192.0.2.1"), 0);
    CHECK_INT(match_hostaddr("[::ffff:192.0.2.1]", "192.0.2.1"), 0);
    CHECK_INT(match_hostaddr("[::ffff:192.0.2.0]/120", "::ffff:192.0.2.1"), 1);
}

TEST(hostaddr_non_address_patterns_never_match)
{
    CHECK_INT(match_hostaddr("foo/24", "192.0.2.1"), 0);
    CHECK_INT(match_hostaddr("192.0.2.0/2x", "192.0.2.1"), 0);
    CHECK_INT(match_hostaddr("example.com", "192.0.2.1"), 0);
}

TEST(hostaddr_malformed_patterns_are_errors)
{
    VSTRING *why = vstring_alloc(100);

    CHECK_INT(match_hostaddr("192.0.2.1/24", "192.0.2.1"), MATCH_OPS_ERROR);
    CHECK_INT(match_hostaddr_check("192.0.2.1/24", why), -1);
    CHECK_STR(vstring_str(why), "non-null host address bits in \"192.0.2.1/24\", perhaps you "
                                "should use \"192.0.2.0/24\" instead");
    CHECK_INT(match_hostaddr("192.0.2.0/33", "192.0.2.1"), MATCH_OPS_ERROR);
    CHECK_INT(match_hostaddr_check("192.0.2.0/33", why), -1);
    CHECK_STR(vstring_str(why), "bad mask length in \"192.0.2.0/33\"");
    CHECK_INT(match_hostaddr("[192.0.2.0/24", "192.0.2.1"), MATCH_OPS_ERROR);
    CHECK_INT(match_hostaddr_check("[192.0.2.0/24", why), -1);
    CHECK_STR(vstring_str(why), "missing ']' character after \"[192.0.2.0/24\"");
    CHECK_INT(match_hostaddr("[::1]/", "::1"), MATCH_OPS_ERROR);
    CHECK_INT(match_hostaddr_check("[::1]/", why), -1);
    CHECK_STR(vstring_str(why), "bad mask value in \"::1/\"");
    CHECK_INT(match_hostaddr_check("192.0.2.0/24", why), 0);
    CHECK_INT(match_hostaddr_check("192.0.2.1", why), 0);
    CHECK_INT(match_hostaddr_check("example.com", why), 0);
    vstring_free(why);
}

int main(void)
{
    RUN(hostname_exact_and_case_insensitive);
    RUN(hostname_dot_domain_matches_subdomains_only);
    RUN(hostname_parent_flag);
    RUN(hostaddr_exact);
    RUN(hostaddr_ipv6_spellings);
    RUN(hostaddr_net_mask);
    RUN(hostaddr_families_do_not_mix);
    RUN(hostaddr_non_address_patterns_never_match);
    RUN(hostaddr_malformed_patterns_are_errors);
    return (TESTS_DONE());
}

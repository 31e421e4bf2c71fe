/*
 * match_list_test - pattern lists: host names, addresses, negation (first
 * match decides), /file entries, table entries and their errors.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict.h"
#include "match_list.h"
#include "msg.h"
#include "testing.h"
#include "vstring.h"

static VSTRING *warnings;

/* capture - collect warnings */
static void capture(int level, const char *text)
{
    vstring_sprintf_append(warnings, "%s%s\n", msg_level_prefix(level), text);
}

TEST(domains_and_negation)
{
    MATCH_LIST *list = domain_list_init("relay_domains", 0,
                                        "!bad.example.com, example.com .example.org,other.test");

    CHECK_INT(domain_list_match(list, "example.com"), 1);
    CHECK_INT(domain_list_match(list, "EXAMPLE.COM"), 1);
    CHECK_INT(domain_list_match(list, "sub.example.com"), 0);  /* no parent style */
    CHECK_INT(domain_list_match(list, "a.example.org"), 1);
    CHECK_INT(domain_list_match(list, "example.org"), 0);
    CHECK_INT(domain_list_match(list, "bad.example.com"), 0);
    CHECK_INT(list->error, DICT_ERR_NONE);
    match_list_free(list);

    list = domain_list_init("relay_domains", MATCH_FLAG_PARENT, "!bad.example.com example.com");
    CHECK_INT(domain_list_match(list, "sub.example.com"), 1);
    CHECK_INT(domain_list_match(list, "bad.example.com"), 0);
    match_list_free(list);
}

TEST(names_and_addresses)
{
    MATCH_LIST *list = namadr_list_init("mynetworks", MATCH_FLAG_RETURN,
                                        "127.0.0.0/8 [::1]/128, !192.0.2.66 192.0.2.0/24 "
                                        "mail.example.com");

    CHECK_INT(namadr_list_match(list, "unknown", "127.0.0.1"), 1);
    CHECK_INT(namadr_list_match(list, "unknown", "::1"), 1);
    CHECK_INT(namadr_list_match(list, "unknown", "192.0.2.66"), 0);
    CHECK_INT(namadr_list_match(list, "unknown", "192.0.2.67"), 1);
    CHECK_INT(namadr_list_match(list, "MAIL.example.com", "198.51.100.1"), 1);
    CHECK_INT(namadr_list_match(list, "other.example.com", "198.51.100.1"), 0);
    match_list_free(list);
}

TEST(files)
{
    char path[] = "/tmp/match_list_test.XXXXXX";
    int fd = mkstemp(path);
    const char *text = "# domains\nexample.com other.test\n  more.test\n";
    VSTRING *spec = vstring_alloc(100);
    MATCH_LIST *list;

    CHECK(write(fd, text, strlen(text)) == (ssize_t) strlen(text));
    close(fd);
    vstring_sprintf(spec, "first.test, %s", path);
    list = domain_list_init("relay_domains", 0, vstring_str(spec));
    CHECK_INT(domain_list_match(list, "more.test"), 1);
    CHECK_INT(domain_list_match(list, "first.test"), 1);
    CHECK_INT(domain_list_match(list, "nope.test"), 0);
    match_list_free(list);

    vstring_sprintf(spec, "!%s, static:all", path);
    list = domain_list_init("relay_domains", 0, vstring_str(spec));
    CHECK_INT(domain_list_match(list, "other.test"), 0);
    CHECK_INT(domain_list_match(list, "anything.test"), 1);
    match_list_free(list);
    unlink(path);
    vstring_free(spec);
}

TEST(tables)
{
    MATCH_LIST *list = domain_list_init("relay_domains", 0,
                                        "inline:{example.com=x, .sub.test=y}, "
                                        "regexp:{ {/^re\\./ z} }");

    CHECK_INT(domain_list_match(list, "example.com"), 1);
    CHECK_INT(domain_list_match(list, "a.b.sub.test"), 1);     /* ".parent" keys */
    CHECK_INT(domain_list_match(list, "sub.test"), 0);
    CHECK_INT(domain_list_match(list, "re.example.net"), 1);
    CHECK_INT(domain_list_match(list, "x.re.example.net"), 0); /* full name only */
    match_list_free(list);

    list = addr_match_list_init("mynetworks", 0, "cidr:{ {10.0.0.0/8 ok} }");
    CHECK_INT(addr_match_list_match(list, "10.1.2.3"), 1);
    CHECK_INT(addr_match_list_match(list, "11.1.2.3"), 0);
    match_list_free(list);
}

TEST(table_error)
{
    MATCH_LIST *list = domain_list_init("relay_domains", 0, "fail:down, example.com");

    VSTRING_RESET(warnings);
    /* example.com is in the list, but the table before it failed. */
    CHECK_INT(domain_list_match(list, "example.com"), 0);
    CHECK_INT(list->error, DICT_ERR_RETRY);
    CHECK_STR(vstring_str(warnings), "warning: relay_domains: fail:down: table lookup problem\n");
    match_list_free(list);

    list = addr_match_list_init("mynetworks", MATCH_FLAG_RETURN, "10.0.0.1/33");
    CHECK_INT(addr_match_list_match(list, "10.0.0.1"), 0);
    CHECK_INT(list->error, DICT_ERR_CONFIG);
    match_list_free(list);
}

int main(void)
{
    warnings = vstring_alloc(100);
    msg_output_reset();
    msg_output(capture);
    RUN(domains_and_negation);
    RUN(names_and_addresses);
    RUN(files);
    RUN(tables);
    RUN(table_error);
    return (TESTS_DONE());
}

/* mail_addr_test - module tests for address splitting helpers */

#include <stdlib.h>
#include <string.h>

#include "mail_addr.h"
#include "mymalloc.h"
#include "testing.h"
#include "vstring.h"

TEST(split_at_last_unquoted_at)
{
    static const struct {
        const char *addr;
        const char *local;
        const char *domain;
        int has_domain;
    } cases[] = {
        {"user@example.com", "user", "example.com", 1},
        {"\"a@b\"@c", "\"a@b\"", "c", 1},
        {"\"a@b\"", "\"a@b\"", "", 0},
        {"a@b@c", "a@b", "c", 1},
        {"\"a\\\"@\"@d", "\"a\\\"@\"", "d", 1},
        {"a\"b@c", "a\"b", "c", 1},
        {"user", "user", "", 0},
        {"", "", "", 0},
        {"@d", "", "d", 1},
        {"u@", "u", "", 1},
    };
    VSTRING *local = vstring_alloc(10);
    VSTRING *domain = vstring_alloc(10);
    const char *at;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        at = mail_addr_split(cases[i].addr, local, domain);
        CHECK_INT(at != 0, cases[i].has_domain);
        if (at)
            CHECK_INT(at - cases[i].addr, strlen(cases[i].local));
        CHECK_STR(vstring_str(local), cases[i].local);
        CHECK_STR(vstring_str(domain), cases[i].domain);
    }
    CHECK(mail_addr_split("x@y", (VSTRING *)0, (VSTRING *)0) != 0);
    vstring_free(local);
    vstring_free(domain);
}

/* split_one - run split_addr on a copy; "local|ext|delim" or "local" */
static const char *split_one(VSTRING *out, const char *local, const char *delims)
{
    char *copy = mystrdup(local);
    int delim = 0;
    char *ext = split_addr(copy, delims, (char *)0, &delim);

    if (ext)
        vstring_sprintf(out, "%s|%s|%c", copy, ext, delim);
    else
        vstring_strcpy(out, copy);
    myfree(copy);
    return (vstring_str(out));
}

TEST(split_addr_honours_delimiters_and_reserved_names)
{
    VSTRING *out = vstring_alloc(10);
    char buf[] = "user+foo";

    CHECK_STR(split_one(out, "user+foo", "+"), "user|foo|+");
    CHECK_STR(split_one(out, "user-foo+bar", "+-"), "user|foo+bar|-");
    CHECK_STR(split_one(out, "user+foo", ""), "user+foo");
    CHECK_STR(split_one(out, "user+foo", (char *)0), "user+foo");
    CHECK_STR(split_one(out, "+foo", "+"), "+foo");
    CHECK_STR(split_one(out, "user+", "+"), "user||+");
    CHECK_STR(split_one(out, "owner-list", "-"), "owner-list");
    CHECK_STR(split_one(out, "list-request", "-"), "list-request");
    CHECK_STR(split_one(out, "owner+list", "+"), "owner|list|+");
    CHECK_STR(split_one(out, "Postmaster", "+"), "Postmaster");
    CHECK_STR(split_one(out, "MAILER-DAEMON", "-"), "MAILER-DAEMON");
    CHECK_STR(split_one(out, "double-bounce", "-"), "double-bounce");
    CHECK(split_addr(buf, "+", (char *)0, (int *)0) == buf + 5 && strcmp(buf, "user") == 0);
    strcpy(buf, "bounce+x");
    CHECK(split_addr(buf, "+", "bounce+x", (int *)0) == 0);
    vstring_free(out);
}

TEST(strip_addr_keeps_domain)
{
    char *ext;
    char *res;

    res = strip_addr("user+foo@example.com", &ext, "+", (char *)0);
    CHECK_STR(res, "user@example.com");
    CHECK_STR(ext, "+foo");
    myfree(res);
    myfree(ext);
    res = strip_addr("a+b+c", &ext, "+", (char *)0);
    CHECK_STR(res, "a");
    CHECK_STR(ext, "+b+c");
    myfree(res);
    myfree(ext);
    res = strip_addr("user@example.com", &ext, "+", (char *)0);
    CHECK(res == 0 && ext == 0);
    res = strip_addr("a+b@c+d", (char **)0, "+", (char *)0);
    CHECK_STR(res, "a@c+d");
    myfree(res);
    /* Only the whole reserved name is protected, not its extensions. */
    CHECK(strip_addr("postmaster@y", &ext, "+", (char *)0) == 0);
    res = strip_addr("postmaster+x@y", &ext, "+", (char *)0);
    CHECK_STR(res, "postmaster@y");
    myfree(res);
    myfree(ext);
}

int main(void)
{
    RUN(split_at_last_unquoted_at);
    RUN(split_addr_honours_delimiters_and_reserved_names);
    RUN(strip_addr_keeps_domain);
    return (TESTS_DONE());
}

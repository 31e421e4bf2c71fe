/*
 * dict_cidr_test - cidr: tables: IPv4/IPv6 matching, first match wins,
 * negation, if/endif, and the warnings for bad entries.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict.h"
#include "dict_cidr.h"
#include "msg.h"
#include "testing.h"
#include "vstring.h"

static VSTRING *warnings;
static char path[] = "/tmp/dict_cidr_test.XXXXXX";

/* capture - collect warnings, one per line, with the file name as F */
static void capture(int level, const char *text)
{
    const char *hit = strstr(text, path);

    vstring_strcat(warnings, msg_level_prefix(level));
    if (hit) {
        vstring_strncat(warnings, text, hit - text);
        vstring_strcat(warnings, "F");
        text = hit + strlen(path);
    }
    vstring_sprintf_append(warnings, "%s\n", text);
}

/* open_text - write a table file and open it */
static DICT *open_text(const char *text)
{
    FILE *fp = fopen(path, "w");

    fputs(text, fp);
    fclose(fp);
    VSTRING_RESET(warnings);
    return (dict_cidr_open(path, O_RDONLY, 0));
}

/* lookup - one key, result or "(none)" */
static const char *lookup(DICT *dict, const char *key)
{
    const char *r = dict_get(dict, key);

    return (r ? r : "(none)");
}

TEST(first_match_wins)
{
    DICT *d = open_text("192.168.1.1 OK\n192.168.0.0/16 REJECT spaced  text\n"
                        "2001:db8::1 OK6\n[2001:db8::]/32 REJECT6\n0.0.0.0/0 any4\n");

    CHECK_STR(lookup(d, "192.168.1.1"), "OK");
    CHECK_STR(lookup(d, "192.168.7.7"), "REJECT spaced  text");
    CHECK_STR(lookup(d, "10.1.1.1"), "any4");
    CHECK_STR(lookup(d, "2001:DB8:0::1"), "OK6");
    CHECK_STR(lookup(d, "2001:db8:ffff::1"), "REJECT6");
    CHECK_STR(lookup(d, "2001:db9::1"), "(none)");
    CHECK_STR(lookup(d, "not-an-address"), "(none)");
    CHECK_STR(lookup(d, "[192.168.1.1]"), "(none)");
    CHECK_STR(lookup(d, "01.2.3.4"), "(none)");
    CHECK_INT(d->error, DICT_ERR_NONE);
    CHECK_STR(vstring_str(warnings), "");
    dict_close(d);
}

TEST(negation_and_if)
{
    DICT *d = open_text("if 10.0.0.0/8\nif !10.1.0.0/16\n10.2.3.4 inner\nendif\n"
                        "10.0.0.0/8 outer\nendif\n!192.0.2.1 not-that-one\n");

    CHECK_STR(lookup(d, "10.2.3.4"), "inner");
    CHECK_STR(lookup(d, "10.1.3.4"), "outer");
    CHECK_STR(lookup(d, "192.0.2.2"), "not-that-one");
    CHECK_STR(lookup(d, "192.0.2.1"), "(none)");
    /* A rule of the other family never applies, negated or not. */
    CHECK_STR(lookup(d, "::1"), "(none)");
    dict_close(d);
}

TEST(bad_entries)
{
    DICT *d = open_text("1.2.3.1/24 a\n1.2.3.0/33 a\n1.2.3/24 a\n1.2.3.0/x a\nfoo a\n"
                        "1.2.3.0/24\n[1.2.3.4 a\nendif\nendif x\nif\n2001:db8::1/32 a\n"
                        "if 1.2.3.0/24\n");

    CHECK_STR(vstring_str(warnings),
              "warning: cidr map F, line 1: non-null host address bits in \"1.2.3.1/24\", "
              "perhaps you should use \"1.2.3.0/24\" instead: skipping this rule\n"
              "warning: cidr map F, line 2: bad mask length in \"1.2.3.0/33\": skipping this rule\n"
              "warning: cidr map F, line 3: bad network value in \"1.2.3/24\": skipping this rule\n"
              "warning: cidr map F, line 4: bad mask value in \"1.2.3.0/x\": skipping this rule\n"
              "warning: cidr map F, line 5: bad address pattern: \"foo\": skipping this rule\n"
              "warning: cidr map F, line 6: no lookup result: skipping this rule\n"
              "warning: cidr map F, line 7: missing ']' character after \"[1.2.3.4\": skipping this rule\n"
              "warning: cidr map F, line 8: ENDIF without IF: skipping this rule\n"
              "warning: cidr map F, line 9: garbage after ENDIF: skipping this rule\n"
              "warning: cidr map F, line 10: no address pattern: skipping this rule\n"
              "warning: cidr map F, line 11: non-null host address bits in \"2001:db8::1/32\", "
              "perhaps you should use \"2001:db8::/32\" instead: skipping this rule\n"
              "warning: cidr map F, line 12: IF has no matching ENDIF\n");
    CHECK_STR(lookup(d, "1.2.3.4"), "(none)");
    dict_close(d);
}

TEST(leading_whitespace)
{
    DICT *d = open_text("  1.2.3.4 a\n");

    CHECK_STR(vstring_str(warnings),
              "warning: F: logical line must not start with whitespace: \"  1.2.3.4 a\"\n");
    CHECK_STR(lookup(d, "1.2.3.4"), "(none)");
    dict_close(d);
}

TEST(inline_spec)
{
    DICT *d = dict_cidr_open("{ {10.0.0.0/8 ten}, { ::1 loop } }", O_RDONLY, 0);

    CHECK_STR(lookup(d, "10.9.9.9"), "ten");
    CHECK_STR(lookup(d, "::1"), "loop");
    dict_close(d);
}

int main(void)
{
    int fd = mkstemp(path);

    if (fd < 0)
        return (2);
    close(fd);
    warnings = vstring_alloc(100);
    msg_output_reset();
    msg_output(capture);
    RUN(first_match_wins);
    RUN(negation_and_if);
    RUN(bad_entries);
    RUN(leading_whitespace);
    RUN(inline_spec);
    unlink(path);
    return (TESTS_DONE());
}

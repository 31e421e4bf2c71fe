/*
 * dict_regexp_test - regexp: and pcre: tables: substitution, if/endif,
 * flags, inline specs, and the warnings for bad rules (texts as Postfix's).
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict.h"
#include "dict_pcre.h"
#include "dict_regexp.h"
#include "msg.h"
#include "testing.h"
#include "vstring.h"

static VSTRING *warnings;
static char path[] = "/tmp/dict_regexp_test.XXXXXX";

/* capture - collect warnings, one per line */
static void capture(int level, const char *text)
{
    vstring_sprintf_append(warnings, "%s%s\n", msg_level_prefix(level), text);
}

/* open_text - write a table file and open it with the given type */
static DICT *open_text(const char *type, const char *text)
{
    FILE *fp = fopen(path, "w");

    fputs(text, fp);
    fclose(fp);
    VSTRING_RESET(warnings);
    if (strcmp(type, "regexp") == 0)
        return (dict_regexp_open(path, O_RDONLY, 0));
#ifdef HAS_PCRE
    return (dict_pcre_open(path, O_RDONLY, 0));
#else
    return (0);
#endif
}

/* lookup - one key, result or "(none)" */
static const char *lookup(DICT *dict, const char *key)
{
    const char *r = dict_get(dict, key);

    return (r ? r : "(none)");
}

/* expect_warning - the captured text, with the temp path as F */
static const char *warned(void)
{
    static VSTRING *buf;
    const char *cp = vstring_str(warnings);
    const char *hit;

    if (buf == 0)
        buf = vstring_alloc(100);
    VSTRING_RESET(buf);
    while ((hit = strstr(cp, path)) != 0) {
        vstring_strncat(buf, cp, hit - cp);
        vstring_strcat(buf, "F");
        cp = hit + strlen(path);
    }
    vstring_strcat(buf, cp);
    return (vstring_str(buf));
}

static const char *types[] = {"regexp",
#ifdef HAS_PCRE
    "pcre",
#endif
};
#define NTYPES (int) (sizeof(types) / sizeof(types[0]))

TEST(substitution)
{
    int i;
    DICT *d;

    for (i = 0; i < NTYPES; i++) {
        d = open_text(types[i], "/^(.*)-outgoing@(.*)$/ 550 Use ${1}@$2 instead $$ $(1)\n"
                                "/(a)|(b)/ [$1][$2]\n/^(x)(y)(z)(1)(2)(3)(4)(5)(6)(j)$/ $10$1\n");
        CHECK_STR(lookup(d, "list-outgoing@Example.com"),
                  "550 Use list@Example.com instead $ list");
        CHECK_STR(lookup(d, "b"), "[][b]");
        CHECK_STR(lookup(d, "xa"), "[a][]");
        CHECK_STR(lookup(d, "xyz123456j"), "jx");
        CHECK_STR(lookup(d, "nothing"), "(none)");
        CHECK_INT(d->error, DICT_ERR_NONE);
        CHECK_STR(warned(), "");
        dict_close(d);
    }
}

TEST(if_endif_and_negation)
{
    int i;
    DICT *d;

    for (i = 0; i < NTYPES; i++) {
        d = open_text(types[i], "if /a/\nif !/b/\n/c/ a-not-b-c\nendif\n/c/ a-c\nendif\n"
                                "!/z/ no-z\n");
        CHECK_STR(lookup(d, "ac"), "a-not-b-c");
        CHECK_STR(lookup(d, "abc"), "a-c");
        CHECK_STR(lookup(d, "bc"), "no-z");
        CHECK_STR(lookup(d, "z"), "(none)");
        dict_close(d);
    }
}

TEST(flags)
{
    DICT *d = open_text("regexp", "/a+/x literal\n/^b/m multi\n/CASE/i exact\n");

    CHECK_STR(lookup(d, "a+"), "literal");
    CHECK_STR(lookup(d, "x\nb"), "multi");
    CHECK_STR(lookup(d, "case"), "(none)");
    CHECK_STR(lookup(d, "CASE"), "exact");
    dict_close(d);
#ifdef HAS_PCRE
    d = open_text("pcre", "/a.b/s no-dotall\n/^b/A anchored\n/(a+)/U [$1]\n/c$/E endonly\n"
                          "/d/X x-flag\n");
    CHECK_STR(warned(), "warning: pcre map F, line 5: ignoring obsolete regexp option \"X\"\n");
    CHECK_STR(lookup(d, "a\nb"), "[a]");     /* not no-dotall */
    CHECK_STR(lookup(d, "axb"), "no-dotall");
    CHECK_STR(lookup(d, "cb"), "(none)");
    CHECK_STR(lookup(d, "bc"), "anchored");
    CHECK_STR(lookup(d, "xaa"), "[a]");
    CHECK_STR(lookup(d, "c\n"), "(none)");
    dict_close(d);
#endif
}

TEST(bad_rules_regexp)
{
    DICT *d = open_text("regexp", "foo bar\n/foo bar\n/q/z x\n/fo(o/ x\n/(a)/ $2\n/(a)/ $0\n"
                                  "!/(a)/ $1\n/(a)/ ${1\n/(a)/ $x\nendif\nif /a/ extra\n"
                                  "  /b/ c\n/e/\n");

    CHECK_STR(warned(),
              "warning: regexp map F, line 1: ignoring unrecognized request\n"
              "warning: regexp map F, line 2: no closing regexp delimiter \"/\": skipping this rule\n"
              "warning: regexp map F, line 3: unknown regexp option \"z\": skipping this rule\n"
              "warning: regexp map F, line 4: Unmatched ( or \\(\n"
              "warning: regexp map F, line 5: out of range replacement index \"2\": skipping this rule\n"
              "warning: regexp map F, line 6: out-of-range replacement index \"0\"\n"
              "warning: regexp map F, line 6: bad replacement syntax: skipping this rule\n"
              "warning: regexp map F, line 7: $number found in negative match replacement text: skipping this rule\n"
              "warning: truncated macro reference: \"${1\"\n"
              "warning: regexp map F, line 8: bad replacement syntax: skipping this rule\n"
              "warning: regexp map F, line 9: non-numeric replacement index \"x\"\n"
              "warning: regexp map F, line 9: bad replacement syntax: skipping this rule\n"
              "warning: regexp map F, line 10: ignoring ENDIF without matching IF\n"
              "warning: regexp map F, line 11: ignoring extra text after IF statement: \"extra  /b/ c\"\n"
              "warning: regexp map F, line 11: do not prepend whitespace to statements between IF and ENDIF\n"
              "warning: regexp map F, line 13: no replacement text: using empty string\n"
              "warning: regexp map F, line 11: IF has no matching ENDIF\n");
    CHECK_STR(lookup(d, "foo"), "(none)");
    dict_close(d);
}

#ifdef HAS_PCRE
TEST(bad_rules_pcre)
{
    DICT *d = open_text("pcre", "/foo bar\n/fo(o/ x\n/(a)/ $0\n/[/ x\n");

    CHECK_STR(warned(),
              "warning: pcre map F, line 1: no closing regexp delimiter \"/\": ignoring this rule\n"
              "warning: pcre map F, line 2: error in regex at offset 4: missing closing parenthesis\n"
              "warning: pcre map F, line 3: out of range replacement index \"0\"\n"
              "warning: pcre map F, line 3: bad replacement syntax: skipping this rule\n"
              "warning: pcre map F, line 4: error in regex at offset 1: missing terminating ] for character class\n");
    dict_close(d);
}
#endif

TEST(inline_spec)
{
    DICT *d;

    VSTRING_RESET(warnings);
    d = dict_regexp_open("{ {/(a)/ x$1 }, {if /b/}, {/c/ bc}, {endif} }", O_RDONLY, 0);
    CHECK_STR(lookup(d, "a"), "xa");
    CHECK_STR(lookup(d, "cb"), "bc");
    CHECK_STR(lookup(d, "c"), "(none)");
    dict_close(d);
    d = dict_regexp_open("{ {/a/ x}, {/b/q y} }", O_RDONLY, 0);
    CHECK_STR(vstring_str(warnings), "warning: regexp map { {/a/ x}, {/b/q y} }, line 2: "
              "unknown regexp option \"q\": skipping this rule\n");
    dict_close(d);
}

TEST(fold_and_no_regsub)
{
    FILE *fp = fopen(path, "w");
    DICT *d;

    fputs("/^ABC$/i upper\n/(x)/ $1\n", fp);
    fclose(fp);
    VSTRING_RESET(warnings);
    d = dict_regexp_open(path, O_RDONLY, DICT_FLAG_FOLD_MUL | DICT_FLAG_NO_REGSUB);
    CHECK_STR(lookup(d, "ABC"), "(none)");
    CHECK_STR(lookup(d, "x"), "(none)");
    CHECK_STR(warned(), "warning: regexp map F, line 2: regular expression substitution is "
              "not allowed: skipping this rule\n");
    CHECK(d->flags & DICT_FLAG_PATTERN);
    CHECK((d->flags & DICT_FLAG_FIXED) == 0);
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
    RUN(substitution);
    RUN(if_endif_and_negation);
    RUN(flags);
    RUN(bad_rules_regexp);
#ifdef HAS_PCRE
    RUN(bad_rules_pcre);
#endif
    RUN(inline_spec);
    RUN(fold_and_no_regsub);
    unlink(path);
    return (TESTS_DONE());
}

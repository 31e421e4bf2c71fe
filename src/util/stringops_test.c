/* stringops_test - module tests for the small string utilities */

#include <stdlib.h>

#include "mymalloc.h"
#include "stringops.h"
#include "testing.h"

TEST(mystrtok_skips_delimiter_runs)
{
    char buf[] = "  alpha,,beta \tgamma  ";
    char *bp = buf;

    CHECK_STR(mystrtok(&bp, ", \t"), "alpha");
    CHECK_STR(mystrtok(&bp, ", \t"), "beta");
    CHECK_STR(mystrtok(&bp, ", \t"), "gamma");
    CHECK(mystrtok(&bp, ", \t") == 0);
    CHECK(mystrtok(&bp, ", \t") == 0);
}

TEST(mystrtokq_keeps_groups)
{
    char buf[] = "a {b c} {d {e, f}} g{h i}j )k";
    char *bp = buf;

    CHECK_STR(mystrtokq(&bp, ", ", "{}"), "a");
    CHECK_STR(mystrtokq(&bp, ", ", "{}"), "{b c}");
    CHECK_STR(mystrtokq(&bp, ", ", "{}"), "{d {e, f}}");
    CHECK_STR(mystrtokq(&bp, ", ", "{}"), "g{h i}j");
    CHECK_STR(mystrtokq(&bp, ", ", "{}"), ")k");
    CHECK(mystrtokq(&bp, ", ", "{}") == 0);
}

TEST(mystrtokq_unbalanced_group_runs_to_the_end)
{
    char buf[] = "x {open ended, text";
    char *bp = buf;

    CHECK_STR(mystrtokq(&bp, ", ", "{}"), "x");
    CHECK_STR(mystrtokq(&bp, ", ", "{}"), "{open ended, text");
    CHECK(mystrtokq(&bp, ", ", "{}") == 0);
}

TEST(split_at_left_and_right)
{
    char a[] = "user@sub@example.com";
    char b[] = "user@sub@example.com";
    char c[] = "nodelim";

    CHECK_STR(split_at(a, '@'), "sub@example.com");
    CHECK_STR(a, "user");
    CHECK_STR(split_at_right(b, '@'), "example.com");
    CHECK_STR(b, "user@sub");
    CHECK(split_at(c, '@') == 0);
    CHECK(split_at_right(c, '@') == 0);
    CHECK_STR(c, "nodelim");
}

TEST(split_nameval_parses_and_reports_errors)
{
    char ok[] = "  myhostname =  host.example.com  ";
    char tight[] = "a=b=c";
    char empty[] = "name =";
    char noname[] = "   ";
    char noeq[] = "name value";
    char noeq2[] = "name";
    char *name = 0, *value = 0;

    CHECK(split_nameval(ok, &name, &value) == 0);
    CHECK_STR(name, "myhostname");
    CHECK_STR(value, "host.example.com");
    CHECK(split_nameval(tight, &name, &value) == 0);
    CHECK_STR(name, "a");
    CHECK_STR(value, "b=c");
    CHECK(split_nameval(empty, &name, &value) == 0);
    CHECK_STR(name, "name");
    CHECK_STR(value, "");
    CHECK_STR(split_nameval(noname, &name, &value), "missing attribute name");
    CHECK_STR(split_nameval(noeq, &name, &value), "missing '=' after attribute name");
    CHECK_STR(split_nameval(noeq2, &name, &value), "missing '=' after attribute name");
}

TEST(trimblanks_and_skipblanks)
{
    char buf[] = " \t text here \t\r\n";
    char *end;

    end = trimblanks(buf, 0);
    *end = 0;
    CHECK_STR(buf, " \t text here");
    CHECK_STR(skipblanks(buf), "text here");
    /* With a length, only that prefix is considered. */
    end = trimblanks(buf, 3);
    CHECK(end == buf);
    CHECK_STR(skipblanks(""), "");
    CHECK(trimblanks(buf + strlen(buf), 0) == buf + strlen(buf));
}

TEST(extpar_strips_one_level)
{
    char a[] = "{ inner {x} text }";
    char b[] = "{ inner }";
    char c[] = "no braces";
    char d[] = "{ unclosed";
    char e[] = "{ x } trailing";
    char *bp;

    bp = a;
    CHECK(extpar(&bp, "{}", EXTPAR_FLAG_NONE) == 0);
    CHECK_STR(bp, " inner {x} text ");
    bp = b;
    CHECK(extpar(&bp, "{}", EXTPAR_FLAG_STRIP) == 0);
    CHECK_STR(bp, "inner");
    bp = c;
    CHECK(extpar(&bp, "{}", 0) != 0);
    CHECK(bp == c);
    bp = d;
    CHECK(extpar(&bp, "{}", 0) != 0);
    bp = e;
    CHECK(extpar(&bp, "{}", 0) != 0);
}

TEST(printable_replaces_control_and_non_ascii)
{
    char buf[] = "ok\ttab\nnl\x01\x7f\xc3\xa9 end";

    CHECK_STR(printable(buf, '?'), "ok?tab?nl???? end");
}

TEST(character_class_predicates)
{
    CHECK(alldig("0123456789"));
    CHECK(!alldig(""));
    CHECK(!alldig("12a"));
    CHECK(!alldig("-1"));
    CHECK(allalnum("abc123XYZ"));
    CHECK(!allalnum(""));
    CHECK(!allalnum("a-b"));
    CHECK(allprint("Hello, world! ~"));
    CHECK(allprint(""));
    CHECK(!allprint("tab\there"));
    CHECK(!allprint("\xc3\xa9"));
}

TEST(case_folding_and_concatenate)
{
    char buf[] = "MiXeD 123 \xc3\x89";
    char *str;

    CHECK_STR(lowercase(buf), "mixed 123 \xc3\x89");
    CHECK_STR(uppercase(buf), "MIXED 123 \xc3\x89");
    str = concatenate("a", "", "bc", "/", "d", (char *)0);
    CHECK_STR(str, "abc/d");
    myfree(str);
    str = concatenate("", (char *)0);
    CHECK_STR(str, "");
    myfree(str);
}

TEST(basename_of_paths)
{
    CHECK_STR(basename_of("/usr/libexec/postfix/smtpd"), "smtpd");
    CHECK_STR(basename_of("smtpd"), "smtpd");
    CHECK_STR(basename_of("dir/"), "");
}

int main(void)
{
    RUN(mystrtok_skips_delimiter_runs);
    RUN(mystrtokq_keeps_groups);
    RUN(mystrtokq_unbalanced_group_runs_to_the_end);
    RUN(split_at_left_and_right);
    RUN(split_nameval_parses_and_reports_errors);
    RUN(trimblanks_and_skipblanks);
    RUN(extpar_strips_one_level);
    RUN(printable_replaces_control_and_non_ascii);
    RUN(character_class_predicates);
    RUN(case_folding_and_concatenate);
    RUN(basename_of_paths);
    return (TESTS_DONE());
}

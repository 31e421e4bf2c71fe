/* mac_expand_test - $name expansion, conditionals, comparisons, errors */

#include <stdio.h>
#include <string.h>

#include "htable.h"
#include "mac_expand.h"
#include "msg.h"
#include "testing.h"
#include "vstring.h"

static HTABLE *table;
static VSTRING *warnings;

static const char *lookup(const char *name, int mode, void *context)
{
    return (htable_find(table, name));
}

static void capture(int level, const char *text)
{
    vstring_sprintf_append(warnings, "%s%s\n", msg_level_prefix(level), text);
}

/* expand - result text, and the status through *status */
static const char *expand(const char *pattern, int flags, int *status)
{
    static VSTRING *buf;

    if (buf == 0)
        buf = vstring_alloc(100);
    VSTRING_RESET(warnings);
    *status = mac_expand(buf, pattern, flags, 0, lookup, 0);
    return (vstring_str(buf));
}

TEST(test_plain_names)
{
    int st;

    /* On an error the result holds what was expanded before it. */
    CHECK_STR(expand("$a ${a} $(a) $$a x$", MAC_EXP_FLAG_NONE, &st), "A A A $a x");
    CHECK_INT(st, MAC_PARSE_ERROR);
    CHECK_STR(vstring_str(warnings), "warning: empty macro name: \"$a ${a} $(a) $$a x$\"\n");
    CHECK_STR(expand("$a ${a} $(a) $$a", MAC_EXP_FLAG_NONE, &st), "A A A $a");
    CHECK_INT(st, MAC_PARSE_OK);
    CHECK_STR(expand("$nosuch-x", MAC_EXP_FLAG_NONE, &st), "-x");
    CHECK_INT(st, MAC_PARSE_UNDEF);
    CHECK_STR(expand("${ a }.$b", MAC_EXP_FLAG_NONE, &st), "A.$a");
    CHECK_STR(expand("${ a }.$b", MAC_EXP_FLAG_RECURSE, &st), "A.A");
}

TEST(test_conditionals)
{
    int st;

    CHECK_STR(expand("${a?yes}${a:no}${empty?yes}${empty:no}", 0, &st), "yesno");
    CHECK_STR(expand("${a?{t}:{f}}/${empty?{t}:{f}}/${nosuch?{t} : {f}}", 0, &st), "t/f/f");
    /* Testing an undefined name is fine; only a plain reference is undefined. */
    CHECK_INT(st, MAC_PARSE_OK);
    CHECK_STR(expand("x${nosuch?-$a}", 0, &st), "x");
    CHECK_INT(st, MAC_PARSE_OK);
    CHECK_STR(expand("${a?{$b}:{x}}", MAC_EXP_FLAG_RECURSE, &st), "A");
    CHECK_STR(expand("${a?{t}:f}", 0, &st), "t");
    CHECK_STR(expand("${a?{t}x}", 0, &st), "");
    CHECK_STR(vstring_str(warnings), "warning: \":\" expected at: \"...t}>>>x\"\n");
    CHECK_STR(expand("${a?{t}:{f}x}", 0, &st), "");
    CHECK_STR(vstring_str(warnings), "warning: unexpected input at: \"...f}>>>x\"\n");
}

TEST(test_comparisons)
{
    int st;

    CHECK_STR(expand("${{$a} == {A} ? {eq} : {ne}}", MAC_EXP_FLAG_RECURSE, &st), "eq");
    CHECK_STR(expand("${{10} < {9} ? {y} : {n}}", 0, &st), "n");
    CHECK_STR(expand("${{a} < {b} ? {y} : {n}}", 0, &st), "y");
    CHECK_STR(expand("${{01} == {1}}", 0, &st), "true");
    CHECK_STR(expand("${{a} == {b}}", 0, &st), "");
    CHECK_STR(expand("${{3.6} <level {3.10} ? {y} : {n}}", 0, &st), "y");
    CHECK_STR(expand("${{3.7.1} >level {3.7} ? {y} : {n}}", 0, &st), "y");
    CHECK_STR(expand("${{0} <level {1} ? {} : {permit}}", 0, &st), "");
    CHECK_STR(expand("${{a} == {a} ? y : n}", 0, &st), "y : n");
    CHECK_STR(expand("${{a} <level {b} ? {y} : {n}}", 0, &st), "");
    CHECK_STR(vstring_str(warnings), "warning: malformed compatibility level syntax: \"a\"\n");
    CHECK_STR(expand("${{a} =~ {a}}", 0, &st), "");
    CHECK_STR(vstring_str(warnings), "warning: \"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or "
                                     "\">=\"\" or \">\" expected at: \"...a}>>>=~ {a}\"\n");
    CHECK_STR(expand("${{a} == }", 0, &st), "");
    CHECK_STR(vstring_str(warnings), "warning: \"{expression}\" expected at: \"...{a} ==>>>\"\n");
    CHECK_STR(expand("${{a} == {a} x}", 0, &st), "");
    CHECK_STR(vstring_str(warnings), "warning: \"?\" or \":\" expected at: \"...}>>>x\"\n");
}

TEST(test_errors)
{
    int st;

    CHECK_STR(expand("x ${foo", 0, &st), "x ");
    CHECK_INT(st, MAC_PARSE_ERROR);
    CHECK_STR(vstring_str(warnings), "warning: truncated macro reference: \"x ${foo\"\n");
    CHECK_STR(expand("${}", 0, &st), "");
    CHECK_STR(vstring_str(warnings), "warning: empty macro name: \"${}\"\n");
    CHECK_STR(expand("${a b}", 0, &st), "");
    CHECK_STR(vstring_str(warnings), "warning: attribute name syntax error at: \"...a>>> b\"\n");
    CHECK_INT(strlen(expand("$loop", MAC_EXP_FLAG_RECURSE, &st)), MAC_EXP_MAX_DEPTH);
    CHECK_INT(st & MAC_PARSE_ERROR, MAC_PARSE_ERROR);
    CHECK_STR(vstring_str(warnings), "warning: unreasonable macro call nesting: \"loop\"\n");
}

static int seen;

static const char *count_lookup(const char *name, int mode, void *context)
{
    seen++;
    return (htable_find(table, name));
}

TEST(test_scan_and_filter)
{
    VSTRING *buf = vstring_alloc(10);
    int st;

    seen = 0;
    st = mac_expand(buf, "${a?{$b}:{$c}} ${{$d} == {x} ? {$e}}", MAC_EXP_FLAG_SCAN, 0, count_lookup,
                    0);
    CHECK_INT(seen, 5);
    CHECK_STR(vstring_str(buf), "");
    CHECK_INT(st, MAC_PARSE_UNDEF);
    st = mac_expand(buf, "<$evil>", MAC_EXP_FLAG_NONE, "abcdefghijklmnopqrstuvwxyz", lookup, 0);
    CHECK_STR(vstring_str(buf), "<rm__rf_>");
    st = mac_expand(buf, "more", MAC_EXP_FLAG_APPEND, 0, lookup, 0);
    CHECK_STR(vstring_str(buf), "<rm__rf_>more");
    vstring_free(buf);
}

int main(int argc, char **argv)
{
    table = htable_create(10);
    htable_enter(table, "a", "A");
    htable_enter(table, "b", "$a");
    htable_enter(table, "empty", "");
    htable_enter(table, "loop", "x$loop");
    htable_enter(table, "evil", "rm -rf;");
    warnings = vstring_alloc(100);
    msg_output(capture);
    RUN(test_plain_names);
    RUN(test_conditionals);
    RUN(test_comparisons);
    RUN(test_errors);
    RUN(test_scan_and_filter);
    return (TESTS_DONE());
}

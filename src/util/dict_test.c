/* dict_test - module tests for the table core and the in-memory table types */

#include <fcntl.h>
#include <setjmp.h>
#include <stdlib.h>
#include <unistd.h>

#include "dict.h"
#include "valid_utf8_string.h"
#include "msg.h"
#include "mymalloc.h"
#include "testing.h"

static jmp_buf fatal_jmp;
static char last_msg[4096];
static int last_level;

/* capture - remember the last message instead of printing it */
static void capture(int level, const char *text)
{
    last_level = level;
    snprintf(last_msg, sizeof(last_msg), "%s", text);
}

/* fatal_exit - turn msg_fatal into a longjmp */
static void fatal_exit(int status)
{
    longjmp(fatal_jmp, 1);
}

/* open_fatal_text - the fatal text of an open that must fail, or "" */
static const char *open_fatal_text(const char *spec)
{
    DICT *dict;

    last_msg[0] = 0;
    dict_allow_surrogate = 0;
    if (setjmp(fatal_jmp) == 0) {
        dict = dict_open(spec, O_RDONLY, DICT_FLAG_FOLD_FIX);
        dict_close(dict);
        return ("");
    }
    return (last_msg);
}

TEST(registry_shares_and_refcounts)
{
    DICT *dict = dict_ht_open("t", O_RDWR, 0);

    dict_register("t", dict);
    dict_register("t", dict);
    CHECK(dict_handle("t") == dict);
    CHECK_INT(dict_update("t", "k", "v"), DICT_STAT_SUCCESS);
    CHECK_STR(dict_lookup("t", "k"), "v");
    CHECK(dict_lookup("t", "x") == 0);
    CHECK_INT(dict_errno_of("t"), DICT_ERR_NONE);
    dict_unregister("t");
    CHECK(dict_handle("t") == dict);
    dict_unregister("t");
    CHECK(dict_handle("t") == 0);
    /* dict_update on an unknown name makes an in-memory table. */
    CHECK_INT(dict_update("fresh", "a", "1"), DICT_STAT_SUCCESS);
    CHECK_STR(dict_lookup("fresh", "a"), "1");
    dict_unregister("fresh");
}

TEST(ht_update_delete_sequence_and_folding)
{
    DICT *dict = dict_ht_open("x", O_RDWR, DICT_FLAG_FOLD_FIX);
    const char *k, *v;

    dict_put(dict, "B", "2");
    dict_put(dict, "a", "1");
    CHECK_STR(dict_get(dict, "b"), "2");
    CHECK_STR(dict_get(dict, "A"), "1");
    CHECK_INT(dict_seq(dict, DICT_SEQ_FUN_FIRST, &k, &v), DICT_STAT_SUCCESS);
    CHECK_STR(k, "a");
    CHECK_INT(dict_seq(dict, DICT_SEQ_FUN_NEXT, &k, &v), DICT_STAT_SUCCESS);
    CHECK_STR(k, "b");
    CHECK_INT(dict_seq(dict, DICT_SEQ_FUN_NEXT, &k, &v), DICT_STAT_FAIL);
    CHECK_INT(dict_del(dict, "A"), DICT_STAT_SUCCESS);
    CHECK_INT(dict_del(dict, "a"), DICT_STAT_FAIL);
    CHECK(dict_get(dict, "a") == 0);
    dict_close(dict);
}

TEST(surrogate_fatal_for_commands)
{
    CHECK_STR(open_fatal_text("foo:/x"), "unsupported dictionary type: foo");
    CHECK_STR(open_fatal_text("nocolon"),
              "open dictionary: expecting \"type:name\" form instead of \"nocolon\"");
    CHECK_STR(open_fatal_text("static:"),
              "open dictionary: expecting \"type:name\" form instead of \"static:\"");
    CHECK_STR(open_fatal_text("unix:foo"), "unknown table: unix:foo");
}

TEST(surrogate_defers_for_daemons)
{
    DICT *dict;

    dict_allow_surrogate = 1;
    dict = dict_open("foo:/x", O_RDONLY, 0);
    CHECK(dict_is_surrogate(dict));
    CHECK_STR(last_msg, "foo:/x is unavailable. unsupported dictionary type: foo");
    CHECK_INT(last_level, MSG_WARN);
    CHECK(dict_get(dict, "key") == 0);
    CHECK_INT(dict->error, DICT_ERR_CONFIG);
    CHECK_INT(dict_put(dict, "k", "v"), DICT_STAT_ERROR);
    dict_close(dict);
    dict_allow_surrogate = 0;
}

TEST(mapnames_are_sorted_and_complete)
{
    ARGV *names = dict_mapnames();
    char *joined = argv_join(names, " ");

#ifdef HAS_PCRE
    CHECK_STR(joined, "btree cidr environ fail hash inline internal pcre pipemap regexp static "
                      "texthash unionmap unix");
#else
    CHECK_STR(joined, "btree cidr environ fail hash inline internal pipemap regexp static "
                      "texthash unionmap unix");
#endif
    myfree(joined);
    argv_free(names);
}

TEST(static_values)
{
    DICT *dict = dict_open("static:{ a b }", O_RDONLY, 0);

    CHECK_STR(dict_get(dict, "anything"), "a b");
    CHECK_INT(dict->error, DICT_ERR_NONE);
    dict_close(dict);
    dict = dict_open("static:{}", O_RDONLY, 0);
    CHECK_STR(dict_get(dict, "x"), "");
    dict_close(dict);
    dict = dict_open("static:plain", O_RDONLY, 0);
    CHECK_STR(dict_get(dict, "x"), "plain");
    dict_close(dict);
    CHECK_STR(open_fatal_text("static:{a}b"),
              "bad static:name syntax: syntax error after '}' in \"{a}b\"");
}

TEST(fail_is_temporary)
{
    DICT *dict = dict_open("fail:oops", O_RDONLY, 0);
    const char *k, *v;

    CHECK(dict_get(dict, "x") == 0);
    CHECK_INT(dict->error, DICT_ERR_RETRY);
    CHECK_INT(dict_seq(dict, DICT_SEQ_FUN_FIRST, &k, &v), DICT_STAT_ERROR);
    CHECK_INT(dict->error, DICT_ERR_RETRY);
    dict_close(dict);
}

TEST(inline_entries)
{
    DICT *dict = dict_open("inline:{a=b, { c = d e }, A=x}", O_RDONLY, DICT_FLAG_FOLD_FIX);

    CHECK_STR(dict_get(dict, "A"), "x");
    CHECK_STR(dict_get(dict, "c"), "d e");
    CHECK(dict_get(dict, "d") == 0);
    CHECK_STR(dict->type, "inline");
    dict_close(dict);
    CHECK_STR(open_fatal_text("inline:{a=b"),
              "bad syntax: \"inline:{a=b\"; need \"inline:{name=value...}\"");
    CHECK_STR(open_fatal_text("inline:{}"),
              "bad syntax: \"inline:{}\"; need \"inline:{name=value...}\"");
    CHECK_STR(
        open_fatal_text("inline:{ a }"),
        "missing '=' after attribute name: \"inline:{ a }\"; need \"inline:{name=value...}\"");
}

TEST(environ_lookup)
{
    DICT *dict = dict_open("environ:x", O_RDONLY, 0);

    setenv("DICT_TEST_VAR", "val", 1);
    CHECK_STR(dict_get(dict, "DICT_TEST_VAR"), "val");
    CHECK(dict_get(dict, "DICT_TEST_NOPE") == 0);
    dict_close(dict);
}

TEST(unix_passwd_and_group)
{
    DICT *dict = dict_open("unix:passwd.byname", O_RDONLY, DICT_FLAG_FOLD_FIX);

    CHECK(strncmp(dict_get(dict, "ROOT"), "root:", 5) == 0);
    CHECK(strstr(dict_get(dict, "root"), ":0:0:") != 0);
    CHECK(dict_get(dict, "no-such-user-xyz") == 0);
    CHECK_INT(dict->error, DICT_ERR_NONE);
    dict_close(dict);
    dict = dict_open("unix:group.byname", O_RDONLY, 0);
    CHECK(strncmp(dict_get(dict, "root"), "root:", 5) == 0);
    dict_close(dict);
}

TEST(pipemap_chains_results)
{
    DICT *dict = dict_open("pipemap:{inline:{a=B}, inline:{b=c}}", O_RDONLY, DICT_FLAG_FOLD_FIX);

    CHECK_STR(dict_get(dict, "a"), "c");
    CHECK(dict_get(dict, "b") == 0);
    CHECK_INT(dict->error, DICT_ERR_NONE);
    dict_close(dict);
    dict = dict_open("pipemap:{inline:{a=b}, fail:x}", O_RDONLY, 0);
    CHECK(dict_get(dict, "a") == 0);
    CHECK_INT(dict->error, DICT_ERR_RETRY);
    dict_close(dict);
}

TEST(unionmap_joins_results)
{
    DICT *dict = dict_open("unionmap:{inline:{a=b}, static:c, inline:{x=y}}", O_RDONLY, 0);

    CHECK_STR(dict_get(dict, "a"), "b,c");
    CHECK_STR(dict_get(dict, "x"), "c,y");
    dict_close(dict);
    dict = dict_open("unionmap:{inline:{q=b}, inline:{x=y}}", O_RDONLY, 0);
    CHECK(dict_get(dict, "a") == 0);
    CHECK_INT(dict->error, DICT_ERR_NONE);
    dict_close(dict);
    dict = dict_open("unionmap:{inline:{a=b}, fail:f}", O_RDONLY, 0);
    CHECK(dict_get(dict, "a") == 0);
    CHECK_INT(dict->error, DICT_ERR_RETRY);
    dict_close(dict);
    CHECK_STR(open_fatal_text("unionmap:{}"),
              "bad syntax: \"unionmap:{}\"; need \"unionmap:{type:name...}\"");
}

TEST(texthash_reads_source_format)
{
    char path[] = "/tmp/dict_test.XXXXXX";
    int fd = mkstemp(path);
    const char *text = "Foo bar\nfoo baz\n\"q k\" v\nonlykey\nk2 v2\n  cont\n";
    DICT *dict;

    CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    dict = dict_open3("texthash", path, O_RDONLY, DICT_FLAG_FOLD_FIX);
    CHECK_STR(dict_get(dict, "FOO"), "bar");
    CHECK_STR(dict_get(dict, "\"q k\""), "v");
    CHECK_STR(dict_get(dict, "k2"), "v2  cont");
    CHECK(dict_get(dict, "onlykey") == 0);
    dict_close(dict);
    unlink(path);
    CHECK_STR(open_fatal_text("texthash:/no/such/file"),
              "open database /no/such/file: No such file or directory");
}

TEST(split_entry_quoting)
{
    char buf[100];
    char *k, *v;

    strcpy(buf, "\"a b\"  value with  blanks  ");
    CHECK_INT(dict_split_entry(buf, &k, &v), DICT_SPLIT_OK);
    CHECK_STR(k, "\"a b\"");
    CHECK_STR(v, "value with  blanks");
    strcpy(buf, "\"e\\\"f\" v");
    CHECK_INT(dict_split_entry(buf, &k, &v), DICT_SPLIT_OK);
    CHECK_STR(k, "\"e\\\"f\"");
    strcpy(buf, "\"unbal x");
    CHECK_INT(dict_split_entry(buf, &k, &v), DICT_SPLIT_QUOTE);
    strcpy(buf, "onlykey");
    CHECK_INT(dict_split_entry(buf, &k, &v), DICT_SPLIT_FORMAT);
    strcpy(buf, "key   ");
    CHECK_INT(dict_split_entry(buf, &k, &v), DICT_SPLIT_FORMAT);
}

TEST(flags_round_trip)
{
    int flags = DICT_FLAG_FOLD_FIX | DICT_FLAG_LOCK | DICT_FLAG_DUP_WARN;

    CHECK_STR(dict_flags_str(flags), "warn_dup|lock|fold_fix");
    CHECK_INT(dict_flags_mask("warn_dup|lock|fold_fix"), flags);
    CHECK_INT(dict_flags_mask("bogus"), -1);
}

TEST(utf8_validity_and_folding)
{
    VSTRING *buf = vstring_alloc(10);
    DICT *dict;

    CHECK(valid_utf8_string("plain", 5));
    CHECK(valid_utf8_string("\xc3\xa4", 2));
    CHECK(!valid_utf8_string("a\xff", 2));
    CHECK(!valid_utf8_string("\xc0\x80", 2));         /* overlong */
    CHECK(!valid_utf8_string("\xed\xa0\x80", 3));     /* surrogate */
    CHECK(!valid_utf8_string("\xf4\x90\x80\x80", 4)); /* beyond U+10FFFF */
    CHECK(!valid_utf8_string("\xe2\x82", 2));         /* truncated */
    CHECK_STR(dict_utf8_fold(buf, "\xc3\x84\xc3\x96X"), "\xc3\xa4\xc3\xb6x");
    CHECK_STR(dict_utf8_fold(buf, "ABC"), "abc");
    dict = dict_open("inline:{\xc3\x84=1}", O_RDONLY, DICT_FLAG_FOLD_FIX | DICT_FLAG_UTF8_REQUEST);
    CHECK_STR(dict_get(dict, "\xc3\xa4"), "1");
    CHECK(dict_get(dict, "a\xff") == 0);
    CHECK_INT(dict->error, DICT_ERR_NONE);
    dict_close(dict);
    dict = dict_open("static:\xff", O_RDONLY, DICT_FLAG_UTF8_REQUEST);
    CHECK(dict_get(dict, "x") == 0);
    CHECK_INT(dict->error, DICT_ERR_CONFIG);
    dict_close(dict);
    vstring_free(buf);
}

TEST(load_name_value_file)
{
    char path[] = "/tmp/dict_load_test.XXXXXX";
    int fd = mkstemp(path);
    const char *text = "# main.cf\nalpha = 1\nbeta=two words\n  continued\nalpha = 3\n";

    CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    last_msg[0] = 0;
    CHECK_INT(dict_load_file_xt("load_test", path), 1);
    CHECK_STR(dict_lookup("load_test", "alpha"), "3");
    CHECK_STR(dict_lookup("load_test", "beta"), "two words  continued");
    CHECK(strstr(last_msg, "line 5: overriding earlier entry: alpha=1") != 0);
    dict_unregister("load_test");
    unlink(path);
    CHECK_INT(dict_load_file_xt("load_test", "/no/such/file"), 0);
}

int main(void)
{
    msg_output(capture);
    msg_exit_hook(fatal_exit);
    RUN(registry_shares_and_refcounts);
    RUN(ht_update_delete_sequence_and_folding);
    RUN(surrogate_fatal_for_commands);
    RUN(surrogate_defers_for_daemons);
    RUN(mapnames_are_sorted_and_complete);
    RUN(static_values);
    RUN(fail_is_temporary);
    RUN(inline_entries);
    RUN(environ_lookup);
    RUN(unix_passwd_and_group);
    RUN(pipemap_chains_results);
    RUN(unionmap_joins_results);
    RUN(texthash_reads_source_format);
    RUN(split_entry_quoting);
    RUN(flags_round_trip);
    RUN(utf8_validity_and_folding);
    RUN(load_name_value_file);
    return (TESTS_DONE());
}

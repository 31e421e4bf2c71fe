/*
 * postdrop_copy_test - what postdrop lets through: the allowed record
 * types in segment order, attribute filtering, sender checks, counting,
 * and the verdicts for cancelled, malformed and out-of-place input.
 */

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "postdrop_copy.c"
#include "testing.h"

static char in_path[] = "/tmp/pd_copy_in.XXXXXX";
static char out_path[] = "/tmp/pd_copy_out.XXXXXX";
static VSTRING *warnings;

/* capture - collect warnings */
static void capture(int level, const char *text)
{
    vstring_sprintf_append(warnings, "%s%s\n", msg_level_prefix(level), text);
}

/* records - a file's records as "T:text|..." */
static const char *records(VSTREAM *fp)
{
    static VSTRING *result;
    VSTRING *buf = vstring_alloc(100);
    int type;

    if (result == 0)
        result = vstring_alloc(100);
    VSTRING_RESET(result);
    vstream_fseek(fp, 0, SEEK_SET);
    while ((type = rec_get(fp, buf, 0)) > 0)
        vstring_sprintf_append(result, "%c:%s|", type, vstring_str(buf));
    VSTRING_TERMINATE(result);
    vstring_free(buf);
    return (vstring_str(result));
}

/* run - copy "T:text" records (0-terminated) through postdrop_copy */
static const char *run(POSTDROP_COPY *state, LOGIN_SENDER_MATCH *lsm, int *result, ...)
{
    VSTREAM *in = vstream_fopen(in_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    VSTREAM *out = vstream_fopen(out_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    const char *rec;
    const char *text;
    va_list ap;

    va_start(ap, result);
    while ((rec = va_arg(ap, const char *)) != 0)
        rec_put(in, rec[0], rec + 2, strlen(rec + 2));
    va_end(ap);
    vstream_fflush(in);
    vstream_fseek(in, 0, SEEK_SET);
    VSTRING_RESET(warnings);
    VSTRING_TERMINATE(warnings);
    postdrop_copy_init(state, 1000, "alice", lsm, 2048);
    *result = postdrop_copy(state, in, out);
    vstream_fflush(out);
    text = records(out);
    vstream_fclose(in);
    vstream_fclose(out);
    return (text);
}

TEST(good_submission)
{
    POSTDROP_COPY state;
    int result;

    CHECK_STR(run(&state, 0, &result, "A:rewrite_context=local", "F:Alice", "S:alice",
                  "A:encoding=8bit", "A:notify_flags=10", "R:bob@example.com", "V:+=", "M:",
                  "N:Subject: x", "L:long", "N:", "X:", "R:extracted@x", "A:dsn_orig_rcpt=x",
                  "E:", (char *) 0),
              "A:rewrite_context=local|F:Alice|S:alice|A:encoding=8bit|A:notify_flags=10|"
              "R:bob@example.com|V:+=|M:|N:Subject: x|L:long|N:|X:|R:extracted@x|"
              "A:dsn_orig_rcpt=x|E:|");
    CHECK_INT(result, POSTDROP_COPY_DONE);
    CHECK_INT(state.from_count, 1);
    CHECK_INT(state.rcpt_count, 2);
    CHECK_STR(vstring_str(warnings), "");
    postdrop_copy_free(&state);
}

TEST(attributes_filtered)
{
    POSTDROP_COPY state;
    int result;

    CHECK_STR(run(&state, 0, &result, "A:encoding=binary", "A:log_client_name=forged",
                  "A:rewrite_context=elsewhere", "A:noequals", "A:trace_flags=512", "S:a",
                  "R:b", "M:", "X:", "E:", (char *) 0),
              "A:trace_flags=512|S:a|R:b|M:|X:|E:|");
    CHECK_INT(result, POSTDROP_COPY_DONE);
    CHECK_STR(vstring_str(warnings),
              "warning: uid=1000: ignoring attribute record: encoding=binary\n"
              "warning: uid=1000: ignoring attribute record: log_client_name=forged\n"
              "warning: uid=1000: ignoring attribute record: rewrite_context=elsewhere\n"
              "warning: uid=1000: ignoring malformed record: missing '=' after attribute "
              "name: noequals\n");
    postdrop_copy_free(&state);
}

TEST(unexpected_records)
{
    POSTDROP_COPY state;
    int result;

    run(&state, 0, &result, "T:1 2", "S:a", (char *) 0);
    CHECK_INT(result, POSTDROP_COPY_UNEXPECTED);
    CHECK_INT(state.bad_type, 'T');
    postdrop_copy_free(&state);
    run(&state, 0, &result, "C:size", (char *) 0);
    CHECK_INT(result, POSTDROP_COPY_UNEXPECTED);
    postdrop_copy_free(&state);
    run(&state, 0, &result, "S:a", "M:", "R:in-content", (char *) 0);
    CHECK_INT(result, POSTDROP_COPY_UNEXPECTED);
    CHECK_INT(state.bad_type, 'R');
    postdrop_copy_free(&state);
    run(&state, 0, &result, "S:a", "M:", "N:x", "X:", "N:late", (char *) 0);
    CHECK_INT(result, POSTDROP_COPY_UNEXPECTED);
    postdrop_copy_free(&state);
    run(&state, 0, &result, "S:a", "p:0", (char *) 0);
    CHECK_INT(result, POSTDROP_COPY_UNEXPECTED);
    postdrop_copy_free(&state);
}

TEST(cancel_and_counts)
{
    POSTDROP_COPY state;
    int result;

    run(&state, 0, &result, "S:a", "R:b", "M:", "N:x", (char *) 0);
    CHECK_INT(result, POSTDROP_COPY_CANCEL);
    postdrop_copy_free(&state);
    run(&state, 0, &result, "M:", "X:", "E:", (char *) 0);
    CHECK_INT(result, POSTDROP_COPY_DONE);
    CHECK_INT(state.from_count, 0);
    CHECK_INT(state.rcpt_count, 0);
    postdrop_copy_free(&state);
}

TEST(malformed)
{
    POSTDROP_COPY state;
    VSTREAM *in = vstream_fopen(in_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    VSTREAM *out = vstream_fopen(out_path, O_RDWR | O_CREAT | O_TRUNC, 0600);

    vstream_fputs("S\005ab", in);
    vstream_fflush(in);
    vstream_fseek(in, 0, SEEK_SET);
    postdrop_copy_init(&state, 1000, "alice", 0, 2048);
    CHECK_INT(postdrop_copy(&state, in, out), POSTDROP_COPY_MALFORMED);
    postdrop_copy_free(&state);
    vstream_fclose(in);
    vstream_fclose(out);
}

TEST(sender_checks)
{
    LOGIN_SENDER_MATCH *lsm = login_sender_create("local_login_sender_maps",
                                                  "inline:{alice=alice@x}", "", "<>");
    POSTDROP_COPY state;
    int result;

    run(&state, lsm, &result, "S:alice@x", "R:b", "M:", "X:", "E:", (char *) 0);
    CHECK_INT(result, POSTDROP_COPY_DONE);
    postdrop_copy_free(&state);
    run(&state, lsm, &result, "S:bob@x", "R:b", "M:", "X:", "E:", (char *) 0);
    CHECK_INT(result, POSTDROP_COPY_SENDER_DENIED);
    CHECK_STR(vstring_str(state.sender), "bob@x");
    postdrop_copy_free(&state);
    login_sender_free(lsm);
}

int main(int argc, char **argv)
{
    int fd;

    msg_stderr_init(argv[0]);
    warnings = vstring_alloc(100);
    msg_output(capture);
    if ((fd = mkstemp(in_path)) < 0 || close(fd) < 0 || (fd = mkstemp(out_path)) < 0
        || close(fd) < 0)
        msg_fatal("mkstemp: %m");
    RUN(good_submission);
    RUN(attributes_filtered);
    RUN(unexpected_records);
    RUN(cancel_and_counts);
    RUN(malformed);
    RUN(sender_checks);
    unlink(in_path);
    unlink(out_path);
    return (TESTS_DONE());
}

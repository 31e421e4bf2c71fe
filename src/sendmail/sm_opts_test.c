/*
 * sm_opts_test - the sendmail command line: modes, ignored options, the
 * -q and -V special cases, DSN options, the -v double duty, and the
 * refusals with their exact messages.
 */

#include <setjmp.h>
#include <stdio.h>

#include "sm_opts.c"
#include "testing.h"

static jmp_buf fatal_jmp;
static char last_text[1000];

/* capture - keep the last message */
static void capture(int level, const char *text)
{
    snprintf(last_text, sizeof(last_text), "%s%s", msg_level_prefix(level), text);
}

/* test_exit - return to the test instead of exiting */
static void test_exit(int status)
{
    longjmp(fatal_jmp, 1);
    (void) status;
}

/* parse - run sm_opts_parse on a null-terminated list; 0 ok, 1 fatal */
static int parse(SM_OPTS *opts, const char *progname, ...)
{
    static char *args[40];
    va_list ap;
    int argc = 0;
    char *arg;

    args[argc++] = (char *) progname;
    va_start(ap, progname);
    while ((arg = va_arg(ap, char *)) != 0)
        args[argc++] = arg;
    va_end(ap);
    args[argc] = 0;
    last_text[0] = 0;
    msg_verbose = 0;
    if (setjmp(fatal_jmp) != 0)
        return (1);
    sm_opts_parse(opts, progname, argc, args);
    return (0);
}

TEST(defaults_and_names)
{
    SM_OPTS opts;

    CHECK_INT(parse(&opts, "sendmail", "user@example.com", (char *) 0), 0);
    CHECK_INT(opts.mode, SM_MODE_ENQUEUE);
    CHECK_INT(opts.flags, SM_FLAG_AEOF);
    CHECK_STR(opts.rewrite_context, "local");
    CHECK_STR(opts.recipients[0], "user@example.com");
    CHECK(opts.recipients[1] == 0);
    CHECK_INT(parse(&opts, "mailq", (char *) 0), 0);
    CHECK_INT(opts.mode, SM_MODE_MAILQ);
    CHECK_INT(parse(&opts, "newaliases", (char *) 0), 0);
    CHECK_INT(opts.mode, SM_MODE_NEWALIAS);
    CHECK_INT(parse(&opts, "sendmail", "-bs", (char *) 0), 0);
    CHECK_INT(opts.mode, SM_MODE_USER);
    CHECK_INT(parse(&opts, "sendmail", "-bp", "-bm", (char *) 0), 0);
    CHECK_INT(opts.mode, SM_MODE_ENQUEUE);
    CHECK_INT(parse(&opts, "sendmail", "-I", (char *) 0), 0);
    CHECK_INT(opts.mode, SM_MODE_NEWALIAS);
    CHECK_INT(parse(&opts, "sendmail", "-bh", (char *) 0), 0);
    CHECK_INT(opts.mode, SM_MODE_IGNORE);
}

TEST(stops_at_first_recipient)
{
    SM_OPTS opts;

    CHECK_INT(parse(&opts, "sendmail", "-f", "a@b", "user", "-t", (char *) 0), 0);
    CHECK_STR(opts.sender, "a@b");
    CHECK_INT(opts.flags & SM_FLAG_XRCPT, 0);
    CHECK_STR(opts.recipients[1], "-t");
    CHECK_INT(parse(&opts, "sendmail", "-i", "--", "-user", (char *) 0), 0);
    CHECK_INT(opts.flags & SM_FLAG_AEOF, 0);
    CHECK_STR(opts.recipients[0], "-user");
}

TEST(ignored_options)
{
    SM_OPTS opts;

    CHECK_INT(parse(&opts, "sendmail", "-oQ/x", "-O", "a=b", "-h", "5", "-L", "lab", "-m",
                    "-Am", "-U", "-om", "-o7", "-odb", "-e", "x", "-c", "-x", "u", (char *) 0),
              0);
    CHECK_STR(opts.recipients[0], "u");
    CHECK_INT(parse(&opts, "sendmail", "-oi", "-oAhash:/tmp/al", "-G", "u", (char *) 0), 0);
    CHECK_INT(opts.flags & SM_FLAG_AEOF, 0);
    CHECK_STR(opts.alias_database, "hash:/tmp/al");
    CHECK_STR(opts.rewrite_context, "remote");
}

TEST(queue_options)
{
    SM_OPTS opts;

    CHECK_INT(parse(&opts, "sendmail", "-q", (char *) 0), 0);
    CHECK_INT(opts.mode, SM_MODE_FLUSHQ);
    CHECK_INT(parse(&opts, "sendmail", "-q30m", (char *) 0), 0);
    CHECK_STR(opts.qtime, "30m");
    CHECK_INT(opts.mode, SM_MODE_ENQUEUE);
    CHECK_INT(parse(&opts, "sendmail", "-qRexample.com", (char *) 0), 0);
    CHECK_STR(opts.site_to_flush, "example.com");
    CHECK_INT(parse(&opts, "sendmail", "-qIABC123", (char *) 0), 0);
    CHECK_STR(opts.id_to_flush, "ABC123");
    CHECK_INT(parse(&opts, "sendmail", "-qS", "site", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: -qS is not implemented");
    CHECK_INT(parse(&opts, "sendmail", "-qR", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: specify: -qRsitename");
    CHECK_INT(parse(&opts, "sendmail", "-bd", "-q", (char *) 0), 0);
    CHECK_STR(last_text, "warning: ignoring -q option in daemon mode");
    CHECK_INT(opts.mode, SM_MODE_DAEMON);
    CHECK_INT(parse(&opts, "sendmail", "-q", "-bd", (char *) 0), 0);
    CHECK_STR(last_text, "warning: ignoring -q option in daemon mode");
}

TEST(dsn_and_verp)
{
    SM_OPTS opts;

    CHECK_INT(parse(&opts, "sendmail", "-N", "success,delay", "-R", "hdrs", "-V", "env1", "u",
                    (char *) 0),
              0);
    CHECK_INT(opts.dsn_notify, 10);
    CHECK_INT(opts.dsn_ret, 2);
    CHECK_STR(opts.dsn_envid, "env1");
    CHECK_INT(parse(&opts, "sendmail", "-N", "never,success", "u", (char *) 0), 0);
    CHECK_INT(opts.dsn_notify, 0);
    CHECK_STR(last_text, "warning: bad -N option value -- ignored");
    CHECK_INT(parse(&opts, "sendmail", "-V", "a\tb", "u", (char *) 0), 0);
    CHECK(opts.dsn_envid == 0);
    CHECK_STR(last_text, "warning: bad syntax in -V option value -- ignored");
    CHECK_INT(parse(&opts, "sendmail", "-XV", "u", (char *) 0), 0);
    CHECK_STR(opts.verp_delims, "+=");
    CHECK_INT(parse(&opts, "sendmail", "-XV-=", "u", (char *) 0), 0);
    CHECK_STR(opts.verp_delims, "-=");
    CHECK_INT(parse(&opts, "sendmail", "-V", "xy", "u", (char *) 0), 0);
    CHECK_STR(opts.verp_delims, "+=");
    CHECK_STR(opts.recipients[0], "xy");
    CHECK_INT(parse(&opts, "sendmail", "-XVab", "u", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: -V requires two characters from -=+");
    CHECK_INT(parse(&opts, "sendmail", "-B", "8BIT", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: -B option needs 8BITMIME or 7BIT");
    CHECK_INT(parse(&opts, "sendmail", "-B", "7BIT", "u", (char *) 0), 0);
    CHECK_STR(opts.encoding, "7bit");
}

TEST(verbose_double_duty)
{
    SM_OPTS opts;

    CHECK_INT(parse(&opts, "sendmail", "-v", "u", (char *) 0), 0);
    CHECK_INT(opts.trace_flags, SM_TRACE_RECORD);
    CHECK_INT(opts.verbose, 0);
    CHECK_INT(parse(&opts, "sendmail", "-v", "-v", "u", (char *) 0), 0);
    CHECK_INT(opts.trace_flags, 0);
    CHECK_INT(opts.verbose, 2);
    msg_verbose = 0;
    CHECK_INT(parse(&opts, "sendmail", "-bv", "u", (char *) 0), 0);
    CHECK_INT(opts.trace_flags, SM_TRACE_VERIFY);
}

TEST(refusals)
{
    SM_OPTS opts;

    CHECK_INT(parse(&opts, "sendmail", "-t", "-bp", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: -t can be used only in delivery mode");
    CHECK_INT(parse(&opts, "sendmail", "-bv", "-t", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: -t option cannot be used with -bv");
    CHECK_INT(parse(&opts, "sendmail", "-bv", "-N", "never", "u", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: -N option cannot be used with -bv");
    CHECK_INT(parse(&opts, "sendmail", "-bv", "-R", "full", "u", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: -R option cannot be used with -bv");
    CHECK_INT(parse(&opts, "sendmail", "-bv", "-v", "u", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: -v option cannot be used with -bv");
    CHECK_INT(parse(&opts, "sendmail", "-qRsite", "-bp", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: -qR can be used only in delivery mode");
    CHECK_INT(parse(&opts, "sendmail", "-n", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: -n option not supported");
    CHECK_INT(parse(&opts, "sendmail", "-bx", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: unsupported: -bx");
    CHECK_INT(parse(&opts, "sendmail", "-X", "/tmp/log", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: unsupported: -X/");
    CHECK_INT(parse(&opts, "sendmail", "-oA", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: -oA requires pathname");
    CHECK_INT(parse(&opts, "sendmail", "-Z", (char *) 0), 1);
    CHECK_STR(last_text, "fatal: usage: sendmail [options]");
}

int main(int argc, char **argv)
{
    msg_stderr_init(argv[0]);
    msg_output(capture);
    msg_exit_hook(test_exit);
    opterr = 0;
    var_verp_delimiter_filter = "-=+";
    var_default_verp_delimiters = "+=";
    RUN(defaults_and_names);
    RUN(stops_at_first_recipient);
    RUN(ignored_options);
    RUN(queue_options);
    RUN(dsn_and_verp);
    RUN(verbose_double_duty);
    RUN(refusals);
    return (TESTS_DONE());
}

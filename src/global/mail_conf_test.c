/* mail_conf_test - main.cf reading, expansion, overrides, typed loading */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pwd.h>
#include <grp.h>
#include <sys/wait.h>

#include "mymalloc.h"
#include "msg.h"
#include "stringops.h"
#include "testing.h"
#include "mail_conf.h"
#include "mail_params.h"

static char dir[] = "/tmp/mail_conf_test.XXXXXX";

static void write_main_cf(const char *text)
{
    char *path = concatenate(dir, "/main.cf", (char *)0);
    FILE *fp = fopen(path, "w");

    fputs(text, fp);
    fclose(fp);
    myfree(path);
}

static void reload(const char *text)
{
    mail_conf_flush();
    write_main_cf(text);
    mail_conf_set_dir(dir);
    mail_conf_suck();
}

TEST(test_table_sorted)
{
    int i;

    for (i = 1; i < mail_param_count; i++)
        CHECK(strcmp(mail_param_table[i - 1].name, mail_param_table[i].name) < 0);
    CHECK_INT(mail_param_count >= 830, 1);
    CHECK(mail_param_find("2bounce_notice_recipient") != 0);
    CHECK(mail_param_find("virtual_uid_maps") != 0);
    CHECK(mail_param_find("no_such_thing") == 0);
    CHECK_STR(mail_param_default(mail_param_find("smtpd_timeout")), "${stress?{10}:{300}}s");
    CHECK_STR(mail_param_default(mail_param_find("alias_maps")), "hash:/etc/aliases");
}

TEST(test_read_and_lookup)
{
    reload("# comment\nmyhostname = host.example.com\n\nfoo = a\n  b\n"
           "mydestination=$myhostname,  localhost.$mydomain\nfoo = last\n");
    CHECK_STR(mail_conf_lookup("myhostname"), "host.example.com");
    CHECK_STR(mail_conf_lookup("foo"), "last");
    CHECK_STR(mail_conf_lookup("config_directory"), dir);
    CHECK(mail_conf_lookup("mail_name") == 0);
    CHECK_STR(mail_conf_lookup_eval("mail_name"), "Postfix");
    CHECK_STR(mail_conf_lookup_eval("mydomain"), "example.com");
    CHECK_STR(mail_conf_lookup_eval("mydestination"), "host.example.com,  localhost.example.com");
    CHECK_STR(mail_conf_eval("${foo?{yes}:{no}} $$x"), "yes $x");
    CHECK_STR(mail_conf_eval("${{$compatibility_level} <level {2} ? {subnet} : {host}}"), "subnet");
}

TEST(test_continuation)
{
    reload("mydomain = a\n  b\n\tc\n");
    /* Values are kept as written; postconf prints them word by word. */
    CHECK_STR(mail_conf_lookup("mydomain"), "a  b\tc");
}

TEST(test_update_and_override)
{
    reload("myhostname = one.example\n");
    mail_conf_update("myhostname", "two.example");
    CHECK_STR(mail_conf_lookup_eval("myhostname"), "two.example");
    CHECK(mail_conf_override("smtpd_banner = $myhostname hi") == 0);
    CHECK_STR(mail_conf_lookup_eval("smtpd_banner"), "two.example hi");
    CHECK_STR(mail_conf_override("= x"), "missing attribute name");
    CHECK_STR(mail_conf_override("x y"), "missing '=' after attribute name");
}

TEST(test_register_default)
{
    reload("");
    mail_conf_register_default("relay_destination_concurrency_limit",
                               "$default_destination_concurrency_limit");
    CHECK_STR(mail_conf_lookup_eval("relay_destination_concurrency_limit"), "20");
    CHECK_INT(get_mail_conf_int2("relay", "_destination_concurrency_limit", 5, 0, 0), 20);
    CHECK_INT(get_mail_conf_int("brand_new_limit", 7, 0, 0), 7);
    CHECK_STR(mail_conf_lookup_eval("brand_new_limit"), "7");
}

TEST(test_typed_getters)
{
    reload("t1 = 10m\nb1 = YES\nb2 = no\nn1 = -3\nl1 = 12345678901\ns1 = $t1\n");
    CHECK_INT(get_mail_conf_time("t1", "5s", 0, 0), 600);
    CHECK_INT(get_mail_conf_time("t2", "2h", 0, 0), 7200);
    CHECK_INT(get_mail_conf_bool("b1", 0), 1);
    CHECK_INT(get_mail_conf_bool("b2", 1), 0);
    CHECK_INT(get_mail_conf_int("n1", 0, 0, 0), -3);
    CHECK_INT(get_mail_conf_long("l1", 0, 0, 0), 12345678901L);
    {
        char *s = get_mail_conf_str("s1", "", 0, 0);
        char *r = get_mail_conf_raw("s1", "", 0, 0);

        CHECK_STR(s, "10m");
        CHECK_STR(r, "$t1");
        myfree(s);
        myfree(r);
    }
}

/* A main.cf that mail_params_init() accepts; set by test_params_init. */
static char good_text[1000];

TEST(test_params_init)
{
    struct passwd *pw;
    struct group *gr;
    char *text = good_text;
    char *nobody, *owner;

    if ((pw = getpwuid(65534)) == 0) {
        printf("  (skipped: no nobody user)\n");
        return;
    }
    nobody = mystrdup(pw->pw_name);
    if ((pw = getpwuid(getuid() == 0 ? 1 : getuid())) == 0 || (gr = getgrgid(8)) == 0) {
        printf("  (skipped: no daemon user or mail group)\n");
        myfree(nobody);
        return;
    }
    owner = mystrdup(pw->pw_name);
    snprintf(text, sizeof(good_text),
             "mail_owner = %s\nsetgid_group = %s\ndefault_privs = %s\n"
             "myhostname = mx.example.org\nsmtpd_timeout = 2m\nmessage_size_limit = 20000000\n"
             "biff = no\n",
             owner, gr->gr_name, nobody);
    myfree(owner);
    myfree(nobody);
    reload(text);
    mail_params_init();
    CHECK_STR(var_myhostname, "mx.example.org");
    CHECK_STR(var_mydomain, "example.org");
    CHECK_STR(var_myorigin, "mx.example.org");
    CHECK_INT(var_smtpd_timeout, 120);
    CHECK_INT(var_message_size_limit, 20000000L);
    CHECK_INT(var_biff, 0);
    CHECK_INT(var_ipc_timeout, 3600);
    CHECK_INT(var_delay_warning_time, 0);
    CHECK_STR(var_2bounce_notice_recipient, "postmaster");
    CHECK_STR(var_forward_path, "$home/.forward${recipient_delimiter}${extension}, $home/.forward");
    CHECK_INT(var_append_dot_mydomain, 1);
}

/* expect_fatal_as - as program, loading main.cf (and finding a name) must die so */
static void expect_fatal_as(const char *program, const char *text, const char *find,
                            const char *want)
{
    int fds[2];
    pid_t pid;
    char buf[1000];
    ssize_t n;
    size_t got = 0;
    char expected[1000];
    int status;

    fflush(stdout);
    if (pipe(fds) < 0 || (pid = fork()) < 0) {
        perror("pipe/fork");
        exit(1);
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        reload(text);
        if (program)
            mail_param_set_process_name(program);
        mail_params_init();
        if (find)
            mail_param_find(find);
        _exit(0);
    }
    close(fds[1]);
    while (got < sizeof(buf) - 1 && (n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0)
        got += n;
    buf[got] = 0;
    close(fds[0]);
    waitpid(pid, &status, 0);
    /* Warnings that explain the error may come first; the fatal line ends it. */
    snprintf(expected, sizeof(expected), "mail_conf_test: fatal: %s\n", want);
    CHECK_STR(strstr(buf, "mail_conf_test: fatal: ") ? strstr(buf, "mail_conf_test: fatal: ") : buf,
              expected);
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 1, 1);
}

/* expect_fatal - loading this main.cf must die with exactly this message */
static void expect_fatal(const char *text, const char *want)
{
    expect_fatal_as(0, text, 0, want);
}

TEST(test_bad_value_scope)
{
    char text[1200];

    if (*good_text == 0) {
        printf("  (skipped: no accounts for mail_params_init)\n");
        return;
    }
    snprintf(text, sizeof(text), "%ssmtpd_timeout = xyz\nsmtpd_recipient_limit = many\n",
             good_text);
    /* postqueue does not use them: the defaults stand in, nothing stops. */
    reload(text);
    mail_param_set_process_name("postqueue");
    mail_params_init();
    CHECK_INT(var_smtpd_timeout, 300);
    CHECK_INT(var_smtpd_recipient_limit, 1000);
    CHECK_STR(var_myhostname, "mx.example.org");
    /* smtpd does; so does anyone who asks for the parameter by name. */
    expect_fatal_as("smtpd", text, 0, "bad numerical configuration: smtpd_recipient_limit = many");
    expect_fatal_as("postqueue", text, "smtpd_timeout",
                    "parameter smtpd_timeout: bad time value or unit: xyz");
    /* lmtp and smtp are one program; each checks only its own twin parameters. */
    snprintf(text, sizeof(text), "%slmtp_lhlo_timeout = 1fortnight\nsmtp_mail_timeout = 0x\n",
             good_text);
    expect_fatal_as("lmtp", text, 0,
                    "parameter lmtp_lhlo_timeout: bad time value or unit: 1fortnight");
    expect_fatal_as("smtp", text, 0, "parameter smtp_mail_timeout: bad time value or unit: 0x");
    snprintf(text, sizeof(text), "%ssmtp_mail_timeout = 0x\n", good_text);
    reload(text);
    mail_param_set_process_name("lmtp");
    mail_params_init();
    CHECK_INT(var_smtp_mail_timeout, 300);
    expect_fatal_as("lmtp", text, "smtp_mail_timeout",
                    "parameter smtp_mail_timeout: bad time value or unit: 0x");
    /* A broken $name stops only the programs that use the parameter, too. */
    snprintf(text, sizeof(text), "%ssmtpd_banner = ${oops\n", good_text);
    reload(text);
    mail_param_set_process_name("postqueue");
    mail_params_init();
    CHECK_STR(var_smtpd_banner, "mx.example.org ESMTP Postfix");
    expect_fatal_as("smtpd", text, 0, "dictionary mail_dict: macro processing error");
    snprintf(text, sizeof(text), "%ssmtp_mail_timeout = 0x\n", good_text);
    /* A program nobody knows checks everything. */
    expect_fatal_as("no-such-program", text, 0,
                    "parameter smtp_mail_timeout: bad time value or unit: 0x");
    mail_param_set_process_name("mail_conf_test");
}

TEST(test_bad_values)
{
    expect_fatal("message_size_limit = abc\n",
                 "bad numerical configuration: message_size_limit = abc");
    expect_fatal("line_length_limit = 1\n", "invalid line_length_limit parameter value 1 < 512");
    expect_fatal("ipc_timeout = 0\n", "invalid ipc_timeout: 0 (min 1)");
    expect_fatal("ipc_timeout = 10x\n", "parameter ipc_timeout: bad time value or unit: 10x");
    expect_fatal("biff = maybe\n", "bad boolean configuration: biff = maybe");
    expect_fatal("myhostname = $mydomain\n", "bad string length 0 < 1: myhostname = ");
    expect_fatal("mail_name = ${foo\n", "dictionary mail_dict: macro processing error");
    expect_fatal("compatibility_level = abc\n", "malformed compatibility level syntax: \"abc\"");
    expect_fatal("inet_protocols = foo\n", "unknown inet_protocols value \"foo\" in \"foo\"");
    {
        char want[300];

        snprintf(want, sizeof(want),
                 "%s/main.cf, line 2: missing '=' after attribute name: "
                 "\"foo bar = 1\"",
                 dir);
        expect_fatal("# x\nfoo bar = 1\n", want);
        snprintf(want, sizeof(want), "%s/main.cf, line 1: missing attribute name: \"= 1\"", dir);
        expect_fatal("= 1\n", want);
    }
}

TEST(test_conv)
{
    int t;
    int i;
    long l;

    CHECK_INT(conv_time("10", &t, 's') && t == 10, 1);
    CHECK_INT(conv_time("10", &t, 'm') && t == 600, 1);
    CHECK_INT(conv_time("1w", &t, 's') && t == 604800, 1);
    CHECK_INT(conv_time("1m1s", &t, 's') && t == 60, 1);
    CHECK_INT(conv_time("3000w", &t, 's'), 1);
    CHECK_INT(conv_time("3550w", &t, 's'), 0);
    CHECK_INT(conv_time("2147483647", &t, 's'), 1);
    CHECK_INT(conv_time("2147483648", &t, 's'), 0);
    CHECK_INT(conv_time("-3s", &t, 's'), 0);
    CHECK_INT(conv_time("3.5s", &t, 's'), 0);
    CHECK_INT(conv_time("10x", &t, 's'), 0);
    CHECK_INT(conv_time("1M", &t, 's'), 0);
    CHECK_INT(conv_time("", &t, 's'), 0);
    CHECK_INT(conv_time("abc", &t, 's'), 0);
    CHECK_INT(conv_int("+5", &i) && i == 5, 1);
    CHECK_INT(conv_int("1x", &i), 0);
    CHECK_INT(conv_int("99999999999", &i), 0);
    CHECK_INT(conv_long("99999999999", &l) && l == 99999999999L, 1);
    CHECK_INT(conv_long("99999999999999999999999", &l), 0);
    CHECK_INT(conv_bool("Yes", &i) && i == 1, 1);
    CHECK_INT(conv_bool("NO", &i) && i == 0, 1);
    CHECK_INT(conv_bool("maybe", &i), 0);
}

int main(int argc, char **argv)
{
    msg_stderr_init(argv[0]);
    if (mkdtemp(dir) == 0) {
        perror("mkdtemp");
        return (1);
    }
    RUN(test_table_sorted);
    RUN(test_read_and_lookup);
    RUN(test_continuation);
    RUN(test_update_and_override);
    RUN(test_register_default);
    RUN(test_typed_getters);
    RUN(test_params_init);
    RUN(test_conv);
    RUN(test_bad_values);
    RUN(test_bad_value_scope);
    {
        char *path = concatenate(dir, "/main.cf", (char *)0);

        unlink(path);
        myfree(path);
        rmdir(dir);
    }
    return (TESTS_DONE());
}

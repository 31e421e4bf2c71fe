/*
 * smtp_test - module tests of the SMTP/LMTP client: the per-protocol
 * parameter table, reply parsing (multi-line replies, enhanced status
 * codes real and made up, garbage lines, the transcript) and host address
 * lookup without the DNS.
 */

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mail_conf.h"
#include "mail_error.h"
#include "mail_params.h"
#include "mymalloc.h"
#include "smtp.h"
#include "stringops.h"
#include "testing.h"

static int config_ok;

/* load_config - a throwaway main.cf with lmtp_* values that differ from smtp_* */
static void load_config(void)
{
    char dir[] = "/tmp/smtp_test.XXXXXX";
    struct passwd *nobody, *owner;
    struct group *gr;
    char *path;
    FILE *fp;

    if (mkdtemp(dir) == 0 || (nobody = getpwuid(65534)) == 0)
        return;
    {
        char *nobody_name = mystrdup(nobody->pw_name);

        if ((owner = getpwuid(getuid() == 0 ? 1 : getuid())) == 0 || (gr = getgrgid(8)) == 0) {
            myfree(nobody_name);
            return;
        }
        path = concatenate(dir, "/main.cf", (char *)0);
        fp = fopen(path, "w");
        fprintf(fp,
                "mail_owner = %s\nsetgid_group = %s\ndefault_privs = %s\n"
                "myhostname = mx.example.org\nlmtp_lhlo_name = lmtp.example.org\n"
                "lmtp_connect_timeout = 7s\nsmtp_connect_timeout = 9s\n"
                "inet_protocols = ipv4\nlmtp_line_length_limit = 77\n"
                "lmtp_send_xforward_command = yes\nsmtp_pix_workarounds = delay_dotcrlf\n",
                owner->pw_name, gr->gr_name, nobody_name);
        fclose(fp);
        myfree(nobody_name);
    }
    mail_conf_set_dir(dir);
    mail_conf_suck();
    mail_params_init();
    unlink(path);
    myfree(path);
    rmdir(dir);
    config_ok = 1;
}

TEST(test_params_follow_the_protocol)
{
    if (!config_ok) {
        printf("  (skipped: no test configuration)\n");
        return;
    }
    smtp_params_init(1);
    CHECK_STR(smtp_cfg.helo_name, "lmtp.example.org");
    CHECK_INT(smtp_cfg.connect_timeout, 7);
    CHECK_INT(smtp_cfg.line_length_limit, 77);
    CHECK_STR(smtp_cfg.tcp_port, "24");
    CHECK_INT(smtp_cfg.skip_quit_response, 0);
    CHECK_STR(smtp_param_name("smtp_helo_name"), "lmtp_lhlo_name");
    CHECK_INT(smtp_cfg.send_xforward, 1);
    CHECK_INT(smtp_cfg.xforward_timeout, 300);
    CHECK_STR(smtp_cfg.pix_workarounds, "disable_esmtp,delay_dotcrlf");
    CHECK_STR(smtp_param_name("smtp_fallback_relay"), "lmtp_fallback_relay");
    smtp_params_init(0);
    CHECK_INT(smtp_cfg.send_xforward, 0);
    CHECK_STR(smtp_cfg.pix_workarounds, "delay_dotcrlf");
    CHECK_INT(smtp_cfg.pix_threshold_time, 500);
    CHECK_STR(smtp_cfg.helo_name, "mx.example.org");
    CHECK_INT(smtp_cfg.connect_timeout, 9);
    CHECK_INT(smtp_cfg.line_length_limit, 998);
    CHECK_STR(smtp_cfg.tcp_port, "smtp");
    CHECK_INT(smtp_cfg.skip_quit_response, 1);
    CHECK_INT(smtp_cfg.always_send_ehlo, 1);
    CHECK_STR(smtp_param_name("smtp_helo_name"), "smtp_helo_name");
}

/* reply_of - what smtp_chat_resp() makes of the given server output */
static void reply_of(const char *text, SMTP_STATE *state)
{
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        abort();
    if (write(sv[0], text, strlen(text)) != (ssize_t)strlen(text))
        abort();
    close(sv[0]);
    state->session =
        smtp_session_alloc(vstream_fdopen(sv[1], O_RDWR), "mx.example.org", "192.0.2.1", 25, 0, 0);
    (void)smtp_chat_resp(state);
}

TEST(test_reply_parsing)
{
    SMTP_STATE state;

    memset(&state, 0, sizeof(state));
    state.buf = vstring_alloc(100);
    reply_of("250-mx.example.org\r\n250-PIPELINING\r\n250 8BITMIME\r\n", &state);
    CHECK_INT(state.resp.code, 250);
    CHECK_STR(state.resp.dsn, "2.0.0");
    CHECK_STR(state.resp.str, "250-mx.example.org\n250-PIPELINING\n250 8BITMIME");
    CHECK_STR(state.session->namaddrport, "mx.example.org[192.0.2.1]:25");
    smtp_session_free(state.session);

    reply_of("550 5.1.1 <u@example.org>: Recipient address rejected\r\n", &state);
    CHECK_INT(state.resp.code, 550);
    CHECK_STR(state.resp.dsn, "5.1.1");
    smtp_session_free(state.session);

    /* A status of the wrong class is text, not a status. */
    reply_of("450 5.1.1 try later\r\n", &state);
    CHECK_STR(state.resp.dsn, "4.0.0");
    smtp_session_free(state.session);

    reply_of("421 4.4.2 bye\n", &state);
    CHECK_INT(state.resp.code, 421);
    CHECK_STR(state.resp.dsn, "4.4.2");
    CHECK_STR(state.resp.str, "421 4.4.2 bye");
    smtp_session_free(state.session);

    /* The code and status come from the last line. */
    reply_of("250-first\r\n250 2.1.5 last\r\n", &state);
    CHECK_STR(state.resp.dsn, "2.1.5");
    CHECK_INT(state.session->error_mask, 0);
    CHECK_INT(state.session->bad, 0);
    smtp_session_free(state.session);

    vstring_free(state.resp.str_buf);
    vstring_free(state.resp.dsn_buf);
    vstring_free(state.buf);
}

TEST(test_reply_garbage_and_transcript)
{
    SMTP_STATE state;

    memset(&state, 0, sizeof(state));
    state.buf = vstring_alloc(100);

    /* Garbage does not end the reply; it marks a protocol error. */
    reply_of("hello there\r\n25 x\r\n250 2.1.0 Ok\r\n", &state);
    CHECK_INT(state.resp.code, 250);
    CHECK_STR(state.resp.dsn, "2.1.0");
    CHECK_STR(state.resp.str, "hello there\n25 x\n250 2.1.0 Ok");
    CHECK_INT(state.session->error_mask, MAIL_ERROR_PROTOCOL);
    CHECK_INT(state.session->bad, 1);
    CHECK(state.session->history != 0);
    if (state.session->history) {
        CHECK_INT(state.session->history->argc, 3);
        CHECK_STR(state.session->history->argv[0], "In:  hello there");
        CHECK_STR(state.session->history->argv[2], "In:  250 2.1.0 Ok");
    }
    smtp_session_free(state.session);

    /* Commands go into the transcript as sent; unprintable bytes become '?'. */
    reply_of("220 \001ok\r\n", &state);
    smtp_chat_cmd(state.session, "MAIL FROM:<%s>", "a@example.org");
    CHECK(state.session->history != 0);
    if (state.session->history) {
        CHECK_INT(state.session->history->argc, 2);
        CHECK_STR(state.session->history->argv[0], "In:  220 ?ok");
        CHECK_STR(state.session->history->argv[1], "Out: MAIL FROM:<a@example.org>");
    }
    CHECK_INT(state.session->error_mask, 0);
    smtp_session_free(state.session);

    vstring_free(state.resp.str_buf);
    vstring_free(state.resp.dsn_buf);
    vstring_free(state.buf);
}

TEST(test_numeric_host_addresses)
{
    DSN_BUF *why = dsb_create();
    VSTRING *buf = vstring_alloc(20);
    DNS_RR *list;

    if (!config_ok) {
        printf("  (skipped: no test configuration)\n");
        dsb_free(why);
        vstring_free(buf);
        return;
    }
    smtp_params_init(0);
    list = smtp_host_addr("192.0.2.7", 0, why);
    CHECK(list != 0);
    if (list) {
        CHECK_INT(list->type, DNS_T_A);
        CHECK_STR(dns_rr_to_addr(list, buf), "192.0.2.7");
        CHECK_STR(list->qname, "192.0.2.7");
        dns_rr_free(list);
    }
    /* inet_protocols = ipv4: an IPv6 address is unusable. */
    list = smtp_host_addr("2001:db8::1", 0, why);
    CHECK(list == 0);
    CHECK_STR(vstring_str(why->status), "5.4.4");
    dsb_free(why);
    vstring_free(buf);
}

int main(void)
{
    /* The peer of a test session is gone when its buffered commands are flushed. */
    signal(SIGPIPE, SIG_IGN);
    load_config();
    RUN(test_params_follow_the_protocol);
    RUN(test_reply_parsing);
    RUN(test_reply_garbage_and_transcript);
    RUN(test_numeric_host_addresses);
    return (TESTS_DONE());
}

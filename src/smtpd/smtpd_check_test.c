/*
 * smtpd_check_test - the access checks without the protocol engine: a
 * made-up session state, a stand-in address resolver (the real one is
 * trivial-rewrite, a separate daemon), tables in a temporary directory
 * and a policy server forked by the test. DNS-based restrictions are
 * covered by the e2e test 120_smtpd_access, which runs dnsmasq.
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup_user.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "resolve_clnt.h"
#include "rewrite_clnt.h"
#include "smtpd_check.h"
#include "stringops.h"
#include "testing.h"
#include "vstring.h"

/* The stand-in resolver: example.com is local, relay.test is relayed. */
void resolve_clnt_init(RESOLVE_REPLY *reply)
{
    reply->transport = vstring_alloc(10);
    reply->nexthop = vstring_alloc(10);
    reply->recipient = vstring_alloc(10);
    reply->flags = 0;
}

void resolve_clnt_free(RESOLVE_REPLY *reply)
{
    vstring_free(reply->transport);
    vstring_free(reply->nexthop);
    vstring_free(reply->recipient);
}

void resolve_clnt(const char *request, const char *sender, const char *addr,
                  RESOLVE_REPLY *reply)
{
    const char *at = strrchr(addr, '@');
    const char *domain = at ? at + 1 : "example.com";
    size_t local_len = at ? (size_t)(at - addr) : strlen(addr);
    char *local = mystrndup(addr, local_len);
    char *pct;

    (void)request;
    (void)sender;
    reply->flags = 0;
    vstring_strcpy(reply->recipient, addr);
    /* user%host@local, a!b@local, @a:b@c: routed to somewhere else. */
    if (strcasecmp(domain, "example.com") == 0
        && (strchr(local, '@') || strchr(local, '!') || strchr(local, '%'))) {
        reply->flags |= RESOLVE_FLAG_ROUTED;
        if ((pct = strrchr(local, '%')) != 0)
            domain = addr + (pct - local) + 1;
        else
            domain = "elsewhere.test";
    }
    if (strcasecmp(domain, "fail.test") == 0) {
        reply->flags |= RESOLVE_FLAG_FAIL;
    } else if (strncasecmp(domain, "example.com", 11) == 0 && domain[11] == 0) {
        reply->flags |= RESOLVE_CLASS_LOCAL;
        vstring_strcpy(reply->transport, "local");
    } else if (strcasecmp(domain, "relay.test") == 0) {
        reply->flags |= RESOLVE_CLASS_RELAY;
        vstring_strcpy(reply->transport, "relay");
    } else {
        reply->flags |= RESOLVE_CLASS_DEFAULT;
        vstring_strcpy(reply->transport, "smtp");
    }
    vstring_strcpy(reply->nexthop, domain);
    myfree(local);
}

VSTRING *rewrite_clnt(const char *rule, const char *addr, VSTRING *result)
{
    (void)rule;
    vstring_strcpy(result, addr);
    return result;
}

VSTRING *rewrite_clnt_internal(const char *rule, const char *addr, VSTRING *result)
{
    return rewrite_clnt(rule, addr, result);
}

CLNT_STREAM *rewrite_clnt_stream(void)
{
    msg_panic("rewrite_clnt_stream: not in this test");
}

static char tmpdir[] = "/tmp/smtpd_check_test.XXXXXX";
static pid_t policy_pid;

/* write_file - a file in the test directory */
static void write_file(const char *name, const char *text)
{
    VSTRING *path = vstring_alloc(100);
    FILE *fp;

    vstring_sprintf(path, "%s/%s", tmpdir, name);
    if ((fp = fopen(vstring_str(path), "w")) == 0)
        msg_fatal("create %s: %m", vstring_str(path));
    fputs(text, fp);
    fclose(fp);
    vstring_free(path);
}

/* policy_server - answers REJECT for recipients with "deny", else DUNNO */
static void policy_server(int sock)
{
    char buf[8192];
    size_t len;
    ssize_t n;
    int fd;

    for (;;) {
        if ((fd = accept(sock, 0, 0)) < 0)
            _exit(1);
        for (;;) {
            len = 0;
            while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
                len += (size_t)n;
                buf[len] = 0;
                if (strstr(buf, "\n\n"))
                    break;
            }
            if (len == 0 || strstr(buf, "\n\n") == 0)
                break;
            if (strstr(buf, "request=smtpd_access_policy\n") == 0
                || strstr(buf, "protocol_state=RCPT\n") == 0
                || strstr(buf, "client_address=") == 0)
                (void)!write(fd, "action=451 4.3.0 bad request\n\n", 30);
            else if (strstr(buf, "recipient=deny"))
                (void)!write(fd, "action=REJECT policy says no\n\n", 30);
            else
                (void)!write(fd, "action=DUNNO\n\n", 14);
        }
        close(fd);
    }
}

/* start_policy_server - listen on tmpdir/policy */
static void start_policy_server(void)
{
    struct sockaddr_un sun;
    int sock;

    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/policy", tmpdir);
    if ((sock = socket(AF_UNIX, SOCK_STREAM, 0)) < 0
        || bind(sock, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(sock, 5) < 0)
        msg_fatal("policy socket: %m");
    if ((policy_pid = fork()) == 0) {
        /* Never outlive the test, even when it dies of a fatal error. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        policy_server(sock);
    }
    close(sock);
}

static SMTPD_STATE state;

/* session - a fresh client */
static void session(const char *name, const char *addr, const char *helo)
{
    memset(&state, 0, sizeof(state));
    state.name = mystrdup(name);
    state.reverse_name = mystrdup(name);
    state.addr = mystrdup(addr);
    state.namaddr = concatenate(name, "[", addr, "]", (char *)0);
    state.name_status = strcmp(name, "unknown") ? SMTPD_PEER_CODE_OK : SMTPD_PEER_CODE_PERM;
    state.reverse_name_status = state.name_status;
    state.port = mystrdup("12345");
    state.protocol = mystrdup("ESMTP");
    state.helo_name = helo ? mystrdup(helo) : 0;
    state.expand_buf = vstring_alloc(10);
    state.instance = mystrdup("1.2.3");
}

/* rcpt - MAIL FROM and RCPT TO as the engine calls them: the reply or "OK" */
static const char *rcpt(const char *sender, const char *recipient)
{
    char *reply;

    state.where = SMTPD_CMD_RCPT;
    if (state.sender)
        myfree(state.sender);
    state.sender = mystrdup(sender);
    smtpd_check_reset(&state);
    if ((reply = smtpd_check_rcpt(&state, (char *)recipient)) == 0)
        reply = smtpd_check_rcptmap(&state, (char *)recipient);
    return reply ? reply : "OK";
}

TEST(relay_control)
{
    session("outside.example", "203.0.113.5", "outside.example");
    CHECK_STR(rcpt("a@outside.example", "u@elsewhere.test"),
              "554 5.7.1 <u@elsewhere.test>: Relay access denied");
    CHECK_STR(rcpt("a@outside.example", "u%elsewhere.test@example.com"),
              "554 5.7.1 <u%elsewhere.test@example.com>: Relay access denied");
    CHECK_STR(rcpt("a@outside.example", "elsewhere.test!u@example.com"),
              "554 5.7.1 <elsewhere.test!u@example.com>: Relay access denied");
    CHECK_STR(rcpt("a@outside.example", "someone@relay.test"), "OK");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"), "OK");
    CHECK_STR(rcpt("a@outside.example", "postmaster"), "OK");
    CHECK_STR(rcpt("a@outside.example", "x@fail.test"),
              "451 4.3.0 <x@fail.test>: Temporary lookup failure");
    session("localhost", "127.0.0.1", "localhost.example");
    CHECK_STR(rcpt("a@outside.example", "u@elsewhere.test"), "OK");
}

TEST(local_recipients)
{
    session("outside.example", "203.0.113.5", "outside.example");
    CHECK_STR(rcpt("a@outside.example", "bob@example.com"),
              "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in local "
              "recipient table");
    CHECK_STR(rcpt("a@outside.example", "MAILER-DAEMON@example.com"), "OK");
    CHECK_STR(rcpt("a@outside.example", "blocked@example.com"),
              "550 5.1.1 <blocked@example.com>: Recipient address rejected: No such luck");
}

TEST(client_access_actions)
{
    session("unknown", "192.0.2.66", "outside.example");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"),
              "554 5.7.1 <unknown[192.0.2.66]>: Client host rejected: go away");
    session("host.bad.example", "192.0.2.1", "outside.example");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"),
              "554 5.7.1 <host.bad.example[192.0.2.1]>: Client host rejected: No");
    session("unknown", "198.51.100.7", "outside.example");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"),
              "421 4.7.1 <unknown[198.51.100.7]>: Client host rejected: whole net");

    /* DEFER_IF_PERMIT: a later permit becomes 450; a reject stays a reject. */
    session("unknown", "192.0.2.77", "outside.example");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"),
              "450 4.7.1 <unknown[192.0.2.77]>: Client host rejected: later");
    CHECK_STR(rcpt("a@outside.example", "u@elsewhere.test"),
              "554 5.7.1 <u@elsewhere.test>: Relay access denied");

    /* HOLD, FILTER, PREPEND, BCC and REDIRECT are recorded for cleanup. */
    session("unknown", "192.0.2.88", "outside.example");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"), "OK");
    CHECK(state.saved_flags & CLEANUP_FLAG_HOLD);
    CHECK_STR(state.saved_filter, "smtp:[127.0.0.1]:10025");
    CHECK(state.prepend != 0 && strcmp(state.prepend->argv[0], "X-Seen: yes") == 0);

    /* A restriction class with warn_if_reject: the reject is only logged. */
    session("unknown", "192.0.2.99", "outside.example");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"), "OK");
}

TEST(helo_checks)
{
    session("outside.example", "203.0.113.5", "bad_name!");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"),
              "501 5.5.2 <bad_name!>: Helo command rejected: Invalid name");
    session("outside.example", "203.0.113.5", "localhost");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"),
              "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname");
    session("outside.example", "203.0.113.5", "[300.1.2.3]");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"),
              "501 5.5.2 <[300.1.2.3]>: Helo command rejected: invalid ip address");
    session("outside.example", "203.0.113.5", "[192.0.2.1]");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"), "OK");
}

TEST(sender_checks)
{
    session("outside.example", "203.0.113.5", "outside.example");
    CHECK_STR(rcpt("spam@bad.test", "alice@example.com"),
              "554 5.7.1 <spam@bad.test>: Sender address rejected: Access denied");
    CHECK_STR(rcpt("other@bad.test", "alice@example.com"),
              "554 5.7.1 <other@bad.test>: Sender address rejected: whole domain");
    CHECK_STR(rcpt("x@sub.bad.test", "alice@example.com"),
              "554 5.7.1 <x@sub.bad.test>: Sender address rejected: whole domain");
    CHECK_STR(rcpt("", "alice@example.com"), "OK");
    CHECK_STR(rcpt("user@nofqdn", "alice@example.com"),
              "504 5.5.2 <user@nofqdn>: Sender address rejected: need fully-qualified address");
}

TEST(policy_and_bounce)
{
    session("outside.example", "203.0.113.5", "outside.example");
    CHECK_STR(rcpt("a@outside.example", "deny@example.com"),
              "554 5.7.1 <deny@example.com>: Recipient address rejected: policy says no");
    CHECK_STR(rcpt("a@outside.example", "alice@example.com"), "OK");
    state.rcpt_count = 1;
    CHECK_STR(rcpt("", "alice@example.com"),
              "550 5.5.3 <alice@example.com>: Recipient address rejected: Multi-recipient "
              "bounce");
}

TEST(data_and_etrn)
{
    session("outside.example", "203.0.113.5", "outside.example");
    state.where = SMTPD_CMD_DATA;
    state.sender = mystrdup("a@outside.example");
    state.rcpt_count = 2;
    CHECK_STR(smtpd_check_data(&state),
              "554 5.7.1 <DATA>: Data command rejected: Access denied");
    state.where = SMTPD_CMD_ETRN;
    CHECK_STR(smtpd_check_etrn(&state, "other.test"),
              "554 5.7.1 <other.test>: Etrn command rejected: Access denied");
    CHECK(smtpd_check_etrn(&state, "example.com") == 0);
}

TEST(size_limit)
{
    session("outside.example", "203.0.113.5", "outside.example");
    state.where = SMTPD_CMD_MAIL;
    CHECK_STR(smtpd_check_size(&state, 20000000), "552 5.3.4 Message size exceeds fixed limit");
    CHECK(smtpd_check_size(&state, 1000) == 0);
}

int main(void)
{
    VSTRING *cf = vstring_alloc(1000);

    msg_stderr_init("smtpd_check_test");
    if (mkdtemp(tmpdir) == 0)
        msg_fatal("mkdtemp: %m");
    write_file("client_access", "192.0.2.66 REJECT go away\n"
                                "bad.example 554 5.7.1 No\n"
                                "198.51.100 421 whole net\n"
                                "192.0.2.77 DEFER_IF_PERMIT later\n"
                                "192.0.2.88 hold_more\n"
                                "192.0.2.99 warncls\n");
    write_file("sender_access", "spam@bad.test REJECT\n"
                                "bad.test REJECT whole domain\n"
                                "<> DUNNO\n");
    write_file("rcpt_access", "blocked@example.com 550 5.1.1 No such luck\n");
    write_file("etrn_access", "example.com OK\n");
    start_policy_server();
    vstring_sprintf(
        cf,
        "mydestination = example.com\n"
        "relay_domains = relay.test\n"
        "mynetworks = 127.0.0.0/8\n"
        "message_size_limit = 10240000\n"
        "smtpd_client_restrictions = check_client_access texthash:%s/client_access\n"
        "smtpd_restriction_classes = warncls, hold_more\n"
        "warncls = warn_if_reject reject\n"
        "hold_more = check_client_access inline:{192.0.2.88=HOLD},"
        " check_client_access inline:{{192.0.2.88=FILTER smtp:[127.0.0.1]:10025}},"
        " check_client_access inline:{{192.0.2.88=PREPEND X-Seen: yes}}\n"
        "smtpd_helo_restrictions = reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname\n"
        "smtpd_sender_restrictions = check_sender_access texthash:%s/sender_access,"
        " reject_non_fqdn_sender\n"
        "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination\n"
        "smtpd_recipient_restrictions = check_recipient_access texthash:%s/rcpt_access,"
        " check_policy_service unix:%s/policy, reject_multi_recipient_bounce\n"
        "smtpd_data_restrictions = reject\n"
        "smtpd_etrn_restrictions = check_etrn_access texthash:%s/etrn_access, reject\n"
        "local_recipient_maps = inline:{alice=x}\n"
        "alias_maps =\n"
        "mail_owner = daemon\n"
        "setgid_group = bin\n",
        tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
    write_file("main.cf", vstring_str(cf));
    mail_conf_set_dir(tmpdir);
    mail_conf_flush();
    mail_conf_read();
    smtpd_check_pre_init();
    smtpd_check_init();

    RUN(relay_control);
    RUN(local_recipients);
    RUN(client_access_actions);
    RUN(helo_checks);
    RUN(sender_checks);
    RUN(policy_and_bounce);
    RUN(data_and_etrn);
    RUN(size_limit);

    kill(policy_pid, SIGTERM);
    waitpid(policy_pid, 0, 0);
    vstring_sprintf(cf, "rm -rf %s", tmpdir);
    (void)!system(vstring_str(cf));
    vstring_free(cf);
    return TESTS_DONE();
}

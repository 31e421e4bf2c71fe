/* local_test - the local agent's pieces that need no root: destinations, names, environment */

#include <string.h>

#include "argv.h"
#include "local.h"
#include "mac_expand.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "testing.h"

/* joined - an ARGV as "a|b|c" */
static const char *joined(ARGV *argv)
{
    static char buf[1024];
    char *s = argv_join(argv, "|");

    snprintf(buf, sizeof(buf), "%s", s);
    myfree(s);
    argv_free(argv);
    return (buf);
}

TEST(alias_destinations)
{
    CHECK_STR(joined(local_token_split("joe, bob@example.com")), "joe|bob@example.com");
    CHECK_STR(joined(local_token_split("\"|/usr/bin/vacation -a joe, x\", /var/log/mail.log")),
              "|/usr/bin/vacation -a joe, x|/var/log/mail.log");
    CHECK_STR(joined(local_token_split("|/bin/cat,:include:/etc/list ,\\joe")),
              "|/bin/cat|:include:/etc/list|\\joe");
    CHECK_STR(joined(local_token_split("Joe Doe <jd@example.com> (the boss), \"a b\"@example.com")),
              "jd@example.com|a b@example.com");
    CHECK_STR(joined(local_token_split("\"/tmp/a file\", /home/joe/Maildir/")),
              "/tmp/a file|/home/joe/Maildir/");
    CHECK_STR(joined(local_token_split(" , ,")), "");
    CHECK_STR(joined(local_token_split("\"|exit 67\"")), "|exit 67");
}

TEST(recipient_split)
{
    DELIVER_ATTR attr;
    VSTRING *local = vstring_alloc(10);
    VSTRING *user = vstring_alloc(10);

    memset(&attr, 0, sizeof(attr));
    attr.queue_id = "TEST";
    var_recipient_delimiter = "+-";
    var_double_bounce_sender = "double-bounce";
    attr.rcpt.address = "Joe+Lists@Example.COM";
    local_split_recipient(&attr, local, user);
    CHECK_STR(attr.local, "joe+lists");
    CHECK_STR(attr.user, "joe");
    CHECK_STR(attr.extension, "lists");
    CHECK_STR(attr.delim, "+");
    CHECK_STR(attr.domain, "Example.COM");
    attr.rcpt.address = "owner-list@example.com";
    local_split_recipient(&attr, local, user);
    CHECK_STR(attr.user, "owner-list");
    CHECK(attr.extension == 0);
    attr.rcpt.address = "joe+a/b@example.com";
    local_split_recipient(&attr, local, user);
    CHECK_STR(attr.user, "joe+a/b");
    CHECK(attr.extension == 0);
    var_recipient_delimiter = "";
    attr.rcpt.address = "joe+x";
    local_split_recipient(&attr, local, user);
    CHECK_STR(attr.user, "joe+x");
    CHECK_STR(attr.domain, "");
    vstring_free(local);
    vstring_free(user);
}

TEST(forward_path_expansion)
{
    LOCAL_STATE state;
    USER_ATTR usr;
    VSTRING *out = vstring_alloc(10);
    const char *path = "$home/.forward${recipient_delimiter}${extension}";

    memset(&state, 0, sizeof(state));
    memset(&usr, 0, sizeof(usr));
    usr.home = "/home/joe";
    state.msg_attr.user = "joe";
    state.msg_attr.local = "joe+lists";
    state.msg_attr.unmatched = "lists";
    state.msg_attr.delim = "+";
    state.msg_attr.rcpt.address = "joe+lists@example.com";
    state.msg_attr.domain = "example.com";
    var_recipient_delimiter = "+";
    CHECK_INT(local_expand(out, path, &state, &usr, "abcdefghijklmnopqrstuvwxyz/.+"), 0);
    CHECK_STR(vstring_str(out), "/home/joe/.forward+lists");
    state.msg_attr.unmatched = 0;
    CHECK(local_expand(out, path, &state, &usr, 0) & MAC_PARSE_UNDEF);
    CHECK_INT(local_expand(out, "/var/forward/$user@$domain", &state, &usr,
                           "abcdefghijklmnopqrstuvwxyz/"),
              0);
    CHECK_STR(vstring_str(out), "/var/forward/joe@example_com");
    vstring_free(out);
}

TEST(maildir_names)
{
    VSTRING *buf = vstring_alloc(10);

    CHECK_STR(maildir_tmp_name(buf, 1700000000, 4242, "host"), "1700000000.P4242.host");
    CHECK_STR(maildir_new_name(buf, 1700000000, 123456, 0x803, 0x1a2b, "host"),
              "1700000000.V803I1a2bM123456.host");
    CHECK(strchr(maildir_hostname(), '/') == 0 && strchr(maildir_hostname(), ':') == 0);
    vstring_free(buf);
}

TEST(command_environment)
{
    LOCAL_STATE state;
    USER_ATTR usr;
    DELIVER_REQUEST rq;
    ARGV *env;
    char *all;

    memset(&state, 0, sizeof(state));
    memset(&usr, 0, sizeof(usr));
    memset(&rq, 0, sizeof(rq));
    usr.home = "/home/joe";
    usr.logname = "joe";
    usr.shell = "/bin/sh";
    state.msg_attr.local = "joe+x";
    state.msg_attr.domain = "example.com";
    state.msg_attr.extension = "x";
    state.msg_attr.rcpt.address = "joe+x@example.com";
    state.msg_attr.rcpt.orig_addr = "Joe+X@example.com";
    state.msg_attr.sender = "evil;rm -rf@example.com";
    rq.client_addr = "192.0.2.1";
    rq.client_helo = "";
    state.request = &rq;
    env = local_command_env(&state, &usr, "abcdefghijklmnopqrstuvwxyzJX0123456789@.+-/");
    all = argv_join(env, "|");
    CHECK_STR(all, "HOME=/home/joe|LOGNAME=joe|USER=joe|SHELL=/bin/sh|LOCAL=joe+x|"
                   "DOMAIN=example.com|EXTENSION=x|RECIPIENT=joe+x@example.com|"
                   "SENDER=evil_rm_-rf@example.com|ORIGINAL_RECIPIENT=Joe+X@example.com|"
                   "CLIENT_ADDRESS=192.0.2.1");
    myfree(all);
    argv_free(env);
}

TEST(delivery_classes)
{
    CHECK_INT(local_expand_mask("allow_mail_to_commands", "alias, forward"),
              EXPAND_TYPE_ALIAS | EXPAND_TYPE_FWD);
    CHECK_INT(local_expand_mask("allow_mail_to_files", "include"), EXPAND_TYPE_INCL);
    CHECK_INT(local_expand_mask("allow_mail_to_files", ""), 0);
    CHECK_INT(local_header_mask("command, file, forward"),
              DELIVER_HDR_CMD | DELIVER_HDR_FILE | DELIVER_HDR_FWD);
}

int main(void)
{
    msg_stderr_init("local_test");
    RUN(alias_destinations);
    RUN(recipient_split);
    RUN(forward_path_expansion);
    RUN(maildir_names);
    RUN(command_environment);
    RUN(delivery_classes);
    return (TESTS_DONE());
}

/* maillog_client_test - module tests for setting up logging from main.cf */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "mail_params.h"
#include "maillog_client.h"
#include "msg.h"
#include "testing.h"

static char tmpdir[] = "/tmp/maillog_client_test.XXXXXX";

/* read_file - the content of a file, in a static buffer */
static const char *read_file(const char *path)
{
    static char buf[10000];
    int fd = open(path, O_RDONLY);
    ssize_t n;

    if (fd < 0)
        return ("");
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    return (buf);
}

TEST(facility_names_map_to_syslog_codes)
{
    CHECK_INT(maillog_client_facility("mail"), LOG_MAIL);
    CHECK_INT(maillog_client_facility("LOCAL3"), LOG_LOCAL3);
    CHECK_INT(maillog_client_facility("nosuch"), -1);
}

TEST(maillog_file_gets_tagged_lines_with_the_mail_host_name)
{
    char path[200];
    char want[100];

    snprintf(path, sizeof(path), "%s/maillog", tmpdir);
    var_maillog_file = path;
    var_syslog_name = "postfix-test";
    var_syslog_facility = "mail";
    var_myhostname = "mx1.example.org";
    msg_output_reset();
    maillog_client_init("/usr/libexec/postfix/smtpd");
    msg_info("hello %d", 42);
    snprintf(want, sizeof(want), " mx1 postfix-test/smtpd[%ld]: hello 42\n", (long)getpid());
    CHECK(strstr(read_file(path), want) != 0);
    CHECK_INT(maillog_client_file("other/tag"), 0);
    msg_warn("second");
    CHECK(strstr(read_file(path), "other/tag[") != 0);
    CHECK(strstr(read_file(path), "]: warning: second\n") != 0);
}

TEST(no_maillog_file_means_no_file_channel)
{
    var_maillog_file = "";
    CHECK_INT(maillog_client_file("x"), -1);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (mkdtemp(tmpdir) == 0)
        return (1);
    RUN(facility_names_map_to_syslog_codes);
    RUN(maillog_file_gets_tagged_lines_with_the_mail_host_name);
    RUN(no_maillog_file_means_no_file_channel);
    msg_output_reset();
    {
        char cmd[300];

        snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
        if (system(cmd) != 0)
            return (1);
    }
    return (TESTS_DONE());
}

/* pipe_command_test - exit status mapping, shell detection, a real run when root */

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dsn_buf.h"
#include "mail_copy.h"
#include "msg.h"
#include "pipe_command.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"

#define EXITED(code) ((code) << 8)

TEST(exit_status_mapping)
{
    DSN_BUF *why = dsb_create();

    CHECK_INT(pipe_command_status(EXITED(0), 0, "cmd", "", why), PIPE_STAT_OK);
    CHECK_INT(pipe_command_status(EXITED(75), 0, "cmd", "", why), PIPE_STAT_DEFER);
    CHECK_STR(vstring_str(why->status), "4.3.0");
    CHECK_STR(vstring_str(why->reason), "temporary failure");
    CHECK_INT(pipe_command_status(EXITED(67), 0, "cmd", "no such box", why), PIPE_STAT_BOUNCE);
    CHECK_STR(vstring_str(why->status), "5.1.1");
    CHECK_STR(vstring_str(why->reason), "user unknown. Command output: no such box");
    CHECK_INT(pipe_command_status(EXITED(1), 0, "/bin/x", "", why), PIPE_STAT_BOUNCE);
    CHECK_STR(vstring_str(why->status), "5.3.0");
    CHECK_STR(vstring_str(why->reason), "Command died with status 1: \"/bin/x\"");
    CHECK_INT(pipe_command_status(SIGKILL, 0, "/bin/x", "", why), PIPE_STAT_DEFER);
    CHECK_STR(vstring_str(why->reason), "Command died with signal 9: \"/bin/x\"");
    CHECK_INT(pipe_command_status(SIGKILL, 1, "/bin/x", "", why), PIPE_STAT_BOUNCE);
    CHECK_STR(vstring_str(why->reason), "Command time limit exceeded: \"/bin/x\"");
    /* An enhanced status code in the output wins. */
    CHECK_INT(pipe_command_status(EXITED(1), 0, "cmd", "4.2.2 mailbox full ", why),
              PIPE_STAT_DEFER);
    CHECK_STR(vstring_str(why->status), "4.2.2");
    CHECK_INT(pipe_command_status(EXITED(75), 0, "cmd", "5.1.1 gone ", why), PIPE_STAT_BOUNCE);
    dsb_free(why);
}

TEST(shell_detection)
{
    CHECK_INT(pipe_command_needs_shell("/usr/bin/procmail -a foo"), 0);
    CHECK_INT(pipe_command_needs_shell("/usr/bin/procmail -a $EXTENSION"), 1);
    CHECK_INT(pipe_command_needs_shell("cat > /tmp/x"), 1);
    CHECK_INT(pipe_command_needs_shell("exit 67"), 1);
    CHECK_INT(pipe_command_needs_shell("  exitcode 67"), 0);
}

TEST(real_run_as_nobody)
{
    char path[] = "/tmp/pipe_command_test.XXXXXX";
    DSN_BUF *why = dsb_create();
    struct passwd *pw = getpwnam("nobody");
    char *env[] = {"RECIPIENT=joe@example.com", 0};
    PIPE_CMD cmd;
    VSTREAM *src;
    int fd;

    if (getuid() != 0 || pw == 0) {
        printf("  (skipped: needs root and a nobody account)\n");
        dsb_free(why);
        return;
    }
    fd = mkstemp(path);
    src = vstream_fdopen(fd, O_RDWR);
    rec_fputs(src, REC_TYPE_NORM, "Subject: x");
    rec_fputs(src, REC_TYPE_XTRA, "");
    vstream_fflush(src);
    memset(&cmd, 0, sizeof(cmd));
    cmd.uid = pw->pw_uid;
    cmd.gid = pw->pw_gid;
    cmd.env = env;
    cmd.time_limit = 10;
    cmd.sender = "s@example.com";
    cmd.src = src;
    cmd.copy_flags = MAIL_COPY_FROM;
    cmd.eol = "\n";
    cmd.command = "echo $RECIPIENT `id -u` `wc -l`; exit 67";
    CHECK_INT(pipe_command(&cmd, why), PIPE_STAT_BOUNCE);
    {
        char want[200];

        snprintf(want, sizeof(want), "user unknown. Command output: joe@example.com %ld 2 ",
                 (long)pw->pw_uid);
        CHECK_STR(vstring_str(why->reason), want);
    }
    cmd.command = "sleep 30";
    cmd.time_limit = 1;
    CHECK_INT(pipe_command(&cmd, why), PIPE_STAT_BOUNCE);
    CHECK_STR(vstring_str(why->reason), "Command time limit exceeded: \"sleep 30\"");
    cmd.command = "/nonexistent/program";
    CHECK_INT(pipe_command(&cmd, why), PIPE_STAT_BOUNCE);
    CHECK_STR(vstring_str(why->reason), "Command died with status 127: \"/nonexistent/program\". "
                                        "Command output: execvp /nonexistent/program: No such "
                                        "file or directory ");
    vstream_fclose(src);
    unlink(path);
    dsb_free(why);
}

int main(void)
{
    msg_stderr_init("pipe_command_test");
    RUN(exit_status_mapping);
    RUN(shell_detection);
    RUN(real_run_as_nobody);
    return (TESTS_DONE());
}

/*
 * sm_postdrop - sendmail's side of the postdrop conversation. sendmail is
 * an ordinary user program and cannot write into the maildrop queue; the
 * set-gid postdrop command can. sendmail starts it with a socket as its
 * standard input and output, reads its greeting (protocol=postdrop_protocol
 * and queue_id=ID, one attribute list), writes records, and reads the
 * verdict (status=, reason=).
 *
 * The child gets an environment of export_environment only, as every
 * program started by the mail system does.
 *
 * Exports:
 *   sm_postdrop_open(command_dir, verbose, export_environment)
 *       start "command_dir/postdrop -r [-v...]" and read its greeting; null
 *       (with a warning about the child's exit status, and errno 0) when
 *       postdrop could not be run or did not greet - it has then explained
 *       itself on standard error already.
 *   sm_postdrop_finish(pd, why)
 *       flush, read the verdict, reap the child: CLEANUP_STAT_* bits;
 *       CLEANUP_STAT_WRITE when postdrop went away without a verdict.
 *       why gets postdrop's reason text ("" when it gave none).
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "argv.h"
#include "attr.h"
#include "clean_env.h"
#include "cleanup_user.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "sm_postdrop.h"
#include "stringops.h"

/* sm_postdrop_child - in the child: wire up the socket and run postdrop */
static void sm_postdrop_child(int sock, ARGV *argv, const char *export_env)
{
    ARGV *keep = argv_split(export_env, ", \t\r\n");

    /* The parent's exit-status hook is not ours: a failed exec exits 1. */
    msg_cleanup((void (*)(void)) 0);
    if (dup2(sock, 0) < 0 || dup2(sock, 1) < 0)
        msg_fatal("dup2: %m");
    if (sock > 1)
        close(sock);
    clean_env(keep->argv);
    argv_free(keep);
    signal(SIGPIPE, SIG_DFL);
    execvp(argv->argv[0], argv->argv);
    msg_fatal("execvp %s: %m", argv->argv[0]);
}

/* sm_postdrop_wait - reap the child; its exit status, or 128 + signal */
static int sm_postdrop_wait(SM_POSTDROP *pd)
{
    int wstatus;

    while (waitpid(pd->pid, &wstatus, 0) < 0)
        if (errno != EINTR)
            return (-1);
    if (WIFEXITED(wstatus))
        return (WEXITSTATUS(wstatus));
    return (128 + WTERMSIG(wstatus));
}

/* sm_postdrop_free - release the handle */
static void sm_postdrop_free(SM_POSTDROP *pd)
{
    myfree(pd->command);
    if (pd->id)
        myfree(pd->id);
    myfree(pd);
}

/* sm_postdrop_open - start postdrop and read its greeting */
SM_POSTDROP *sm_postdrop_open(const char *command_dir, int verbose, const char *export_env)
{
    SM_POSTDROP *pd = (SM_POSTDROP *) mymalloc(sizeof(*pd));
    ARGV *argv = argv_alloc(4);
    VSTRING *id = vstring_alloc(20);
    char *path;
    int pair[2];
    int status;
    int i;

    path = concatenate(command_dir, "/postdrop", (char *) 0);
    argv_add(argv, path, "-r", (char *) 0);
    myfree(path);
    for (i = 0; i < verbose; i++)
        argv_add(argv, "-v", (char *) 0);
    pd->command = argv_join(argv, " ");
    pd->id = 0;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0)
        msg_fatal("socketpair: %m");
    while ((pd->pid = fork()) < 0) {
        msg_warn("fork: %m");
        sleep(10);
    }
    if (pd->pid == 0) {
        close(pair[0]);
        sm_postdrop_child(pair[1], argv, export_env);
    }
    close(pair[1]);
    argv_free(argv);
    pd->stream = vstream_fdopen(pair[0], O_RDWR);
    vstream_set_path(pd->stream, pd->command);
    if (attr_scan(pd->stream, ATTR_FLAG_STRICT,
                  RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_POSTDROP),
                  RECV_ATTR_STR(MAIL_ATTR_QUEUEID, id), ATTR_TYPE_END)
        != 2) {
        (void) vstream_fclose(pd->stream);
        if ((status = sm_postdrop_wait(pd)) != 0)
            msg_warn("command \"%s\" exited with status %d", pd->command, status);
        vstring_free(id);
        sm_postdrop_free(pd);
        errno = 0;
        return (0);
    }
    pd->id = mystrdup(vstring_str(id));
    vstring_free(id);
    return (pd);
}

/* sm_postdrop_finish - collect postdrop's verdict and reap it */
int sm_postdrop_finish(SM_POSTDROP *pd, VSTRING *why)
{
    int status;
    int exit_status;

    VSTRING_RESET(why);
    VSTRING_TERMINATE(why);
    if (vstream_fflush(pd->stream) != 0
        || attr_scan(pd->stream, ATTR_FLAG_MISSING, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                     RECV_ATTR_STR(MAIL_ATTR_WHY, why), ATTR_TYPE_END)
               != 2)
        status = CLEANUP_STAT_WRITE;
    (void) vstream_fclose(pd->stream);
    /* A verdict of success from a process that then failed is no success. */
    if ((exit_status = sm_postdrop_wait(pd)) != 0 && status == CLEANUP_STAT_OK)
        status = CLEANUP_STAT_WRITE;
    sm_postdrop_free(pd);
    return (status);
}

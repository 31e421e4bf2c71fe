/*
 * mail_stream - one interface for writing a new message, wherever it goes.
 *
 * A message either goes through the cleanup service (smtpd, pickup, bounce:
 * mail_stream_service()) or, for postdrop, straight into a queue file that
 * no daemon has looked at yet (mail_stream_file()). Either way the writer
 * gets a MAIL_STREAM, writes "flags=" (service only) and then records to
 * ->stream, and calls mail_stream_finish() to learn the outcome as
 * CLEANUP_STAT_* bits, or mail_stream_cleanup() to give up.
 *
 * Service: the server speaks first, "protocol=cleanup_protocol" and then
 * "queue_id=ID", each its own attribute list; after the client's records
 * (ending with an E record, sent by the client), the server answers
 * "status=" and "reason=". A lost connection counts as a write error, so the
 * client never believes a message was queued when it was not.
 *
 * File: the file is created in the named queue without the owner-execute
 * bit. Finishing flushes it, fsyncs it, and only then sets the execute bit
 * (the "complete" mark that pickup and qmgr look for); the order matters, so
 * that a crash can leave an incomplete file but never one that claims to be
 * complete. A failed finish removes the file. On success the given service
 * (pickup, for maildrop) is woken up; failure to wake it is not an error,
 * because it also scans its queue periodically.
 *
 * Errors: a service that cannot be reached at all is fatal (as in
 * mail_connect_wait()); a service that answers with the wrong protocol
 * gives a null result and a warning.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attr.h"
#include "cleanup_user.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "mail_stream.h"
#include "msg.h"
#include "mymalloc.h"
#include "argv.h"

/* mail_stream_free - release the bookkeeping, not the stream */
static void mail_stream_free(MAIL_STREAM *info)
{
    myfree(info->id);
    if (info->queue)
        myfree(info->queue);
    if (info->class)
        myfree(info->class);
    if (info->service)
        myfree(info->service);
    myfree(info);
}

/* mail_stream_alloc - fresh bookkeeping around an open stream */
static MAIL_STREAM *mail_stream_alloc(VSTREAM *stream, const char *id)
{
    MAIL_STREAM *info = (MAIL_STREAM *) mymalloc(sizeof(*info));

    memset(info, 0, sizeof(*info));
    info->stream = stream;
    info->id = mystrdup(id);
    return (info);
}

/* mail_stream_finish_service - read the cleanup server's verdict */
static int mail_stream_finish_service(MAIL_STREAM *info, VSTRING *why)
{
    VSTRING *reason = vstring_alloc(100);
    int status;

    if (vstream_fflush(info->stream) != 0
        || attr_scan(info->stream, ATTR_FLAG_MISSING, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                     RECV_ATTR_STR(MAIL_ATTR_WHY, reason), ATTR_TYPE_END)
               != 2) {
        status = CLEANUP_STAT_WRITE;
        vstring_strcpy(reason, "queue file write error");
    }
    if (why)
        vstring_strcpy(why, vstring_str(reason));
    vstring_free(reason);
    (void) vstream_fclose(info->stream);
    return (status);
}

/* mail_stream_abort_service - hang up: cleanup then discards its file */
static void mail_stream_abort_service(MAIL_STREAM *info)
{
    (void) vstream_fclose(info->stream);
}

/* mail_stream_service - connect to cleanup and learn the queue id */
MAIL_STREAM *mail_stream_service(const char *class, const char *name)
{
    VSTREAM *stream;
    VSTRING *id;
    MAIL_STREAM *info;

    stream = mail_connect_wait(class, name);
    vstream_set_timeout(stream, var_ipc_timeout);
    id = vstring_alloc(20);
    if (attr_scan(stream, ATTR_FLAG_STRICT,
                  RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_CLEANUP), ATTR_TYPE_END)
            != 1
        || attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_QUEUEID, id),
                     ATTR_TYPE_END)
               != 1) {
        msg_warn("%s: no cleanup protocol greeting", vstream_path(stream));
        (void) vstream_fclose(stream);
        vstring_free(id);
        return (0);
    }
    info = mail_stream_alloc(stream, vstring_str(id));
    vstring_free(id);
    info->finish = mail_stream_finish_service;
    info->abort = mail_stream_abort_service;
    return (info);
}

/* mail_stream_remove_file - take an unfinished file out of the queue */
static void mail_stream_remove_file(MAIL_STREAM *info)
{
    if (mail_queue_remove(info->queue, info->id) < 0 && errno != ENOENT)
        msg_warn("remove %s/%s: %m", info->queue, info->id);
}

/* mail_stream_finish_file - flush, fsync, mark complete, close */
static int mail_stream_finish_file(MAIL_STREAM *info, VSTRING *why)
{
    static const char wakeup[] = {TRIGGER_REQ_WAKEUP};
    int fd = vstream_fileno(info->stream);
    int status = CLEANUP_STAT_OK;
    int err = 0;

    /* Durable first, complete second: never the other way round. */
    if (vstream_fflush(info->stream) != 0 || vstream_ferror(info->stream)
        || fsync(fd) < 0 || fchmod(fd, 0700 | info->mode) < 0 || fsync(fd) < 0)
        err = errno;
    if (vstream_fclose(info->stream) != 0 && err == 0)
        err = errno ? errno : EIO;
    if (err != 0) {
        status = (err == EFBIG ? CLEANUP_STAT_SIZE : CLEANUP_STAT_WRITE);
        if (why)
            vstring_sprintf(why, "%s", strerror(err));
        msg_warn("%s: queue file write error: %s", info->id, strerror(err));
        mail_stream_remove_file(info);
    } else {
        if (why)
            vstring_strcpy(why, "");
        if (info->class && info->service)
            (void) mail_trigger(info->class, info->service, wakeup, sizeof(wakeup));
    }
    return (status);
}

/* mail_stream_abort_file - close and remove a partial queue file */
static void mail_stream_abort_file(MAIL_STREAM *info)
{
    (void) vstream_fclose(info->stream);
    mail_stream_remove_file(info);
}

/* mail_stream_file - create a new queue file for writing */
MAIL_STREAM *mail_stream_file(const char *queue, const char *class, const char *service,
                              mode_t mode)
{
    struct timeval tv;
    VSTREAM *stream;
    MAIL_STREAM *info;

    stream = mail_queue_enter(queue, 0600 | mode, &tv);
    info = mail_stream_alloc(stream, mail_queue_id_of(stream));
    info->queue = mystrdup(queue);
    info->class = class ? mystrdup(class) : 0;
    info->service = service ? mystrdup(service) : 0;
    info->mode = mode & 07777;
    info->ctime = tv;
    info->finish = mail_stream_finish_file;
    info->abort = mail_stream_abort_file;
    return (info);
}

/* mail_stream_command_wait - reap the child; its exit status, or -1 */
static int mail_stream_command_wait(MAIL_STREAM *info)
{
    int wstatus;

    while (waitpid(info->pid, &wstatus, 0) < 0)
        if (errno != EINTR)
            return (-1);
    return (WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
}

/* mail_stream_finish_command - the command's verdict, then its exit status */
static int mail_stream_finish_command(MAIL_STREAM *info, VSTRING *why)
{
    int status;

    status = mail_stream_finish_service(info, why);
    if (mail_stream_command_wait(info) != 0 && status == CLEANUP_STAT_OK) {
        status = CLEANUP_STAT_WRITE;
        if (why)
            vstring_strcpy(why, "queue file write error");
    }
    return (status);
}

/* mail_stream_abort_command - hang up and reap the child */
static void mail_stream_abort_command(MAIL_STREAM *info)
{
    (void) vstream_fclose(info->stream);
    (void) mail_stream_command_wait(info);
}

/*
 * mail_stream_command - run a postdrop-like command ("path -r ...") on a
 * socket pair, and learn the queue id from its greeting. For programs
 * that cannot write to the queue (smtpd -S run by a user). Null when the
 * command could not be started or did not greet.
 */
MAIL_STREAM *mail_stream_command(const char *command)
{
    ARGV *argv = argv_split(command, " \t");
    VSTRING *id = vstring_alloc(20);
    MAIL_STREAM *info = 0;
    VSTREAM *stream;
    int pair[2];
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0) {
        msg_warn("socketpair: %m");
    } else if ((pid = fork()) < 0) {
        msg_warn("fork: %m");
        close(pair[0]);
        close(pair[1]);
    } else if (pid == 0) {
        close(pair[0]);
        if (dup2(pair[1], 0) < 0 || dup2(pair[1], 1) < 0)
            _exit(1);
        if (pair[1] > 1)
            close(pair[1]);
        signal(SIGPIPE, SIG_DFL);
        execvp(argv->argv[0], argv->argv);
        msg_warn("execvp %s: %m", argv->argv[0]);
        _exit(1);
    } else {
        close(pair[1]);
        stream = vstream_fdopen(pair[0], O_RDWR);
        vstream_set_path(stream, argv->argv[0]);
        vstream_set_timeout(stream, var_ipc_timeout);
        if (attr_scan(stream, ATTR_FLAG_STRICT,
                      RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_POSTDROP),
                      RECV_ATTR_STR(MAIL_ATTR_QUEUEID, id), ATTR_TYPE_END)
            != 2) {
            msg_warn("%s: no postdrop protocol greeting", argv->argv[0]);
            (void) vstream_fclose(stream);
            while (waitpid(pid, (int *) 0, 0) < 0 && errno == EINTR)
                /* void */ ;
        } else {
            info = mail_stream_alloc(stream, vstring_str(id));
            info->pid = pid;
            info->finish = mail_stream_finish_command;
            info->abort = mail_stream_abort_command;
        }
    }
    argv_free(argv);
    vstring_free(id);
    return (info);
}

/* mail_stream_finish - complete the message; CLEANUP_STAT_* bits */
int mail_stream_finish(MAIL_STREAM *info, VSTRING *why)
{
    int status = info->finish(info, why);

    mail_stream_free(info);
    return (status);
}

/* mail_stream_cleanup - abandon the message */
void mail_stream_cleanup(MAIL_STREAM *info)
{
    info->abort(info);
    mail_stream_free(info);
}

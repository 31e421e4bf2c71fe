/*
 * mail_connect - reach the daemons of this mail system.
 *
 * A service lives at queue_directory/CLASS/NAME, where CLASS is "public"
 * (reachable by local users through the setgid postdrop/postqueue commands)
 * or "private" (mail_owner only). Callers normally have queue_directory as
 * their working directory or chroot, so relative paths are tried first;
 * commands that do not chdir get the absolute path.
 *
 * mail_connect() tries once and returns null with errno set (the caller
 * decides whether that is fatal); mail_connect_wait() retries for a while,
 * because master may be busy starting the service, and is fatal when the
 * service stays unreachable. mail_trigger() sends a few request bytes to a
 * trigger service (qmgr, pickup, flush), through a unix socket or a fifo.
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "connect.h"
#include "iostuff.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "trigger.h"
#include "vstring.h"

#define MAIL_CONNECT_TIMEOUT 10
#define MAIL_CONNECT_TRIES 10

/* mail_service_path - the socket path of a service */
const char *mail_service_path(const char *class, const char *name)
{
    static VSTRING *path;
    char cwd[4096];
    struct stat st;

    if (path == 0)
        path = vstring_alloc(100);
    vstring_sprintf(path, "%s/%s", class, name);
    /* Relative works when the caller is in the queue directory (or its jail). */
    if (getcwd(cwd, sizeof(cwd)) != 0 && stat(vstring_str(path), &st) == 0)
        return (vstring_str(path));
    vstring_sprintf(path, "%s/%s/%s", var_queue_directory, class, name);
    return (vstring_str(path));
}

/* mail_connect - connect to a service once */
VSTREAM *mail_connect(const char *class, const char *name, int block_mode)
{
    const char *path = mail_service_path(class, name);
    VSTREAM *stream;
    int fd;

    if ((fd = unix_connect(path, block_mode, MAIL_CONNECT_TIMEOUT)) < 0) {
        if (msg_verbose)
            msg_info("connect to subsystem %s: %m", path);
        return (0);
    }
    close_on_exec(fd, CLOSE_ON_EXEC);
    stream = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(stream, path);
    return (stream);
}

/* mail_connect_wait - connect to a service, retrying for a while */
VSTREAM *mail_connect_wait(const char *class, const char *name)
{
    VSTREAM *stream;
    int tries;

    for (tries = 0; (stream = mail_connect(class, name, BLOCKING)) == 0; tries++) {
        if (tries >= MAIL_CONNECT_TRIES)
            msg_fatal("connect to %s service: %m", mail_service_path(class, name));
        msg_warn("connect to %s: %m", mail_service_path(class, name));
        sleep(1);
    }
    return (stream);
}

/* mail_trigger - send request bytes to a trigger service; 0 ok, -1 error */
int mail_trigger(const char *class, const char *service, const char *req, ssize_t len)
{
    const char *path = mail_service_path(class, service);
    struct stat st;

    if (stat(path, &st) < 0) {
        if (msg_verbose)
            msg_info("trigger %s: %m", path);
        return (-1);
    }
    if (S_ISFIFO(st.st_mode))
        return (fifo_trigger(path, req, len, MAIL_CONNECT_TIMEOUT));
    return (unix_trigger(path, req, len, MAIL_CONNECT_TIMEOUT));
}

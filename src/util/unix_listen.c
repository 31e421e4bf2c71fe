/*
 * unix_listen - listening unix-domain sockets, stream and datagram.
 *
 * unix_listen() and unix_dgram_listen() remove whatever is at the path,
 * bind a new socket there, open its permissions to everyone (access control
 * is the job of the directory that holds the socket: private/ or public/)
 * and return the descriptor in the requested blocking mode. The descriptor
 * is inherited across exec, because the master hands listeners to children.
 *
 * Failures are fatal: a daemon that cannot open its endpoint cannot work.
 */

#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "connect.h"
#include "listen.h"
#include "msg.h"

/* unix_bind - create a socket of the given type bound to path */
static int unix_bind(const char *path, int type)
{
    struct sockaddr_un sun;
    int sock;

    if (unix_sockaddr(&sun, path) < 0)
        msg_fatal("unix-domain socket name too long: %s", path);
    if ((sock = socket(AF_UNIX, type, 0)) < 0)
        msg_fatal("socket: %m");
    if (unlink(path) < 0 && errno != ENOENT)
        msg_fatal("remove %s: %m", path);
    if (bind(sock, (struct sockaddr *)&sun, sizeof(sun)) < 0)
        msg_fatal("bind %s: %m", path);
    if (chmod(path, 0666) < 0)
        msg_fatal("chmod socket %s: %m", path);
    return (sock);
}

/* unix_listen - listening stream socket at path */
int unix_listen(const char *path, int backlog, int block_mode)
{
    int sock = unix_bind(path, SOCK_STREAM);

    non_blocking(sock, block_mode);
    if (listen(sock, backlog) < 0)
        msg_fatal("listen %s: %m", path);
    return (sock);
}

/* unix_dgram_listen - datagram socket bound to path */
int unix_dgram_listen(const char *path, int block_mode)
{
    int sock = unix_bind(path, SOCK_DGRAM);

    non_blocking(sock, block_mode);
    return (sock);
}

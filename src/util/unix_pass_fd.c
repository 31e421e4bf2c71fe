/*
 * unix_pass_fd - hand an open descriptor to another process over a
 * unix-domain socket (SCM_RIGHTS), with one data byte to carry it.
 *
 * unix_send_fd() returns 0 or -1 with errno set. unix_recv_fd() returns the
 * new descriptor or -1: errno ECONNRESET when the peer hung up, EBADMSG when
 * the message carried no descriptor or was truncated. Extra descriptors in
 * one message are closed, so a confused peer cannot make us leak them.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "unix_pass_fd.h"

#define UNIX_PASS_FD_MAX 8 /* room for a misbehaving sender's extras */

/* unix_send_fd - send fd over sock */
int unix_send_fd(int sock, int fd)
{
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr msg;
    struct cmsghdr *cmsg;
    struct iovec iov;
    char byte = 0;
    ssize_t n;

    memset(&msg, 0, sizeof(msg));
    memset(&control, 0, sizeof(control));
    iov.iov_base = &byte;
    iov.iov_len = 1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    do {
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return (n == 1 ? 0 : -1);
}

/* unix_recv_fd_close_extra - close every received descriptor from index first */
static void unix_recv_fd_close_extra(struct msghdr *msg, int first)
{
    struct cmsghdr *cmsg;
    int count;
    int fd;
    int i;
    int seen = 0;

    for (cmsg = CMSG_FIRSTHDR(msg); cmsg; cmsg = CMSG_NXTHDR(msg, cmsg)) {
        if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
            continue;
        count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (i = 0; i < count; i++, seen++) {
            if (seen >= first) {
                memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
                close(fd);
            }
        }
    }
}

/* unix_recv_fd - receive a descriptor from sock */
int unix_recv_fd(int sock)
{
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int) * UNIX_PASS_FD_MAX)];
    } control;
    struct msghdr msg;
    struct cmsghdr *cmsg;
    struct iovec iov;
    char byte;
    ssize_t n;
    int fd = -1;

    memset(&msg, 0, sizeof(msg));
    iov.iov_base = &byte;
    iov.iov_len = 1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    do {
        n = recvmsg(sock, &msg, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return (-1);
    if (n == 0) {
        errno = ECONNRESET;
        return (-1);
    }
    for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS &&
            cmsg->cmsg_len >= CMSG_LEN(sizeof(int))) {
            memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
            break;
        }
    }
    unix_recv_fd_close_extra(&msg, fd < 0 ? 0 : 1);
    if (fd < 0 || (msg.msg_flags & MSG_CTRUNC)) {
        if (fd >= 0)
            close(fd);
        errno = EBADMSG;
        return (-1);
    }
    return (fd);
}

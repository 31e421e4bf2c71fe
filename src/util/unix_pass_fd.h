#ifndef UNIX_PASS_FD_H
#define UNIX_PASS_FD_H

/* unix_pass_fd - pass an open descriptor over a unix-domain socket */

extern int unix_send_fd(int sock, int fd);
extern int unix_recv_fd(int sock);

#endif

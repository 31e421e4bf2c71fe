/*
 * biff_notify - tell the comsat service that new mail has arrived.
 *
 * Exports biff_notify(). One UDP datagram "user@offset" goes to the biff
 * port of the local host (the "biff" service, else port 512). Nobody is
 * obliged to listen; every failure is ignored, as mail delivery must not
 * depend on it.
 */

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iostuff.h"
#include "local.h"

#define BIFF_DEFAULT_PORT 512

/* biff_notify - send text to comsat */
void biff_notify(const char *text, ssize_t len)
{
    static int sock = -1;
    static struct sockaddr_in sin;
    struct servent *sp;

    if (sock < 0) {
        memset(&sin, 0, sizeof(sin));
        sin.sin_family = AF_INET;
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sp = getservbyname("biff", "udp");
        sin.sin_port = sp ? (in_port_t)sp->s_port : htons(BIFF_DEFAULT_PORT);
        if ((sock = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
            return;
        close_on_exec(sock, CLOSE_ON_EXEC);
    }
    (void)sendto(sock, text, (size_t)len, 0, (struct sockaddr *)&sin, sizeof(sin));
}

/*
 * master_wakeup - periodic wakeup requests for services that need them.
 *
 * A service with a wakeup time in master.cf (pickup 60, qmgr 300) gets a
 * one-byte "W" trigger every that many seconds, sent the way any client
 * would: connect to the service's own endpoint and write. The first request
 * goes out as soon as the service is set up. With a trailing "?" (flush
 * "1000?") the timer starts only once a process of the service has been
 * started for some other reason, so an unused service is never woken.
 *
 * Exports master_wakeup_init(), master_wakeup_cleanup() and
 * master_wakeup_used().
 *
 * Failure: a trigger that cannot be delivered is logged; the timer keeps
 * running.
 */

#include <errno.h>
#include <unistd.h>

#include "connect.h"
#include "events.h"
#include "iostuff.h"
#include "master.h"
#include "msg.h"
#include "trigger.h"
#include "unix_pass_fd.h"

#define MASTER_WAKEUP_REQ "W"
#define MASTER_WAKEUP_TIMEOUT 1

/* master_pass_trigger - hand the service a pipe that holds the request */
static int master_pass_trigger(const char *path, const char *buf, ssize_t len, int timeout)
{
    int pair[2];
    int sock;
    int ret = -1;

    if ((sock = unix_connect(path, BLOCKING, timeout)) < 0)
        return (-1);
    if (pipe(pair) == 0) {
        if (write_buf(pair[1], buf, len, timeout) == 0 && unix_send_fd(sock, pair[0]) == 0)
            ret = 0;
        (void)close(pair[0]);
        (void)close(pair[1]);
    }
    (void)close(sock);
    return (ret);
}

/* master_dgram_trigger - send the request as one datagram */
static int master_dgram_trigger(const char *path, const char *buf, ssize_t len)
{
    int sock;
    int ret;

    if ((sock = unix_dgram_connect(path, NON_BLOCKING)) < 0)
        return (-1);
    ret = write(sock, buf, len) == len ? 0 : -1;
    (void)close(sock);
    return (ret);
}

/* master_wakeup_timer_event - send one wakeup request and re-arm */
static void master_wakeup_timer_event(int event, void *context)
{
    MASTER_SERV *serv = context;
    const char *req = MASTER_WAKEUP_REQ;
    int status;

    switch (serv->type) {
    case MASTER_SERV_TYPE_UNIX:
        status = unix_trigger(serv->name, req, 1, MASTER_WAKEUP_TIMEOUT);
        break;
    case MASTER_SERV_TYPE_FIFO:
        status = fifo_trigger(serv->name, req, 1, MASTER_WAKEUP_TIMEOUT);
        break;
    case MASTER_SERV_TYPE_INET:
        status = inet_trigger(serv->listen_addrs->argv[0], req, 1, MASTER_WAKEUP_TIMEOUT);
        break;
    case MASTER_SERV_TYPE_PASS:
        status = master_pass_trigger(serv->name, req, 1, MASTER_WAKEUP_TIMEOUT);
        break;
    case MASTER_SERV_TYPE_UXDG:
        status = master_dgram_trigger(serv->name, req, 1);
        break;
    default:
        msg_panic("master_wakeup_timer_event: unknown service type: %d", serv->type);
    }
    if (msg_verbose)
        msg_info("master_wakeup_timer_event: service %s", serv->name);
    if (status < 0)
        msg_warn("master_wakeup_timer_event: service %s(%s): %m", serv->ext_name, serv->name);
    event_request_timer(master_wakeup_timer_event, serv, serv->wakeup_time);
}

/* master_wakeup_init - start the timer of an unconditional wakeup */
void master_wakeup_init(MASTER_SERV *serv)
{
    if (serv->wakeup_time <= 0 || (serv->flags & MASTER_FLAG_CONDWAKE))
        return;
    if (msg_verbose)
        msg_info("master_wakeup_init: service %s time %d", serv->name, serv->wakeup_time);
    serv->flags |= MASTER_FLAG_WAKEUP;
    event_request_timer(master_wakeup_timer_event, serv, 0);
}

/* master_wakeup_used - a conditional wakeup starts with the first process */
void master_wakeup_used(MASTER_SERV *serv)
{
    if (serv->wakeup_time <= 0 || (serv->flags & MASTER_FLAG_WAKEUP))
        return;
    if (msg_verbose)
        msg_info("start conditional timer for %s", serv->name);
    serv->flags |= MASTER_FLAG_WAKEUP;
    event_request_timer(master_wakeup_timer_event, serv, serv->wakeup_time);
}

/* master_wakeup_cleanup - stop the timer */
void master_wakeup_cleanup(MASTER_SERV *serv)
{
    if (msg_verbose)
        msg_info("master_wakeup_cleanup: service %s", serv->name);
    event_cancel_timer(master_wakeup_timer_event, serv);
    serv->flags &= ~MASTER_FLAG_WAKEUP;
}

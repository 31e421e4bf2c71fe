/*
 * attr_clnt - a client that sends one attribute list and reads one back,
 * over a connection that it manages: the policy-server client, the anvil
 * and verify clients and the like stand on it.
 *
 * The service is "unix:path" (or "local:path", the same thing), or
 * "inet:host:port". The connection is made on first use and kept: it is
 * dropped after max_idle seconds without a request, after max_ttl seconds
 * of life, after a request limit, and whenever a request fails. Idle and
 * time-to-live limits are enforced by event timers (so a daemon that runs
 * the event loop does not hold connections it is not using) and again
 * before each request (so a program that never runs the loop is covered
 * too). A cached connection that the server has closed, or on which it sent
 * something unasked, is dropped before it is used.
 *
 * attr_clnt_request(client, send_flags, SEND_ATTR_..., ATTR_TYPE_END,
 * recv_flags, RECV_ATTR_..., ATTR_TYPE_END) prints the request, flushes,
 * and scans the reply, each read and write limited to the client's
 * timeout. A failure on a connection that had been used before is retried
 * at once on a new one (the server probably closed it); a failure on a new
 * connection is retried after the try delay. The default encoding is the
 * plain one (name=value lines), as for policy servers; attr_clnt_control()
 * selects another.
 *
 * The result is what the scan returned (the number of attributes received),
 * or -1 after the last attempt failed, with a warning. A malformed service
 * name is fatal, because it is a configuration error that will not go away.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "attr_clnt.h"
#include "attr_engine.h"
#include "connect.h"
#include "events.h"
#include "iostuff.h"
#include "msg.h"
#include "mymalloc.h"

struct ATTR_CLNT {
    char *service;  /* as given, for diagnostics */
    int inet;       /* TCP, else unix-domain */
    char *endpoint; /* path or host:port */
    int timeout;    /* seconds per read, write and connect */
    int max_idle;   /* seconds between requests; 0 = no limit */
    int max_ttl;    /* seconds per connection; 0 = no limit */
    int req_limit;  /* requests per connection; 0 = no limit */
    int try_limit;  /* attempts per request */
    int try_delay;  /* seconds before retrying on a fresh connection */
    ATTR_PRINT_VSTREAM_FN print;
    ATTR_SCAN_VSTREAM_FN scan;
    VSTREAM *stream;  /* the connection, or null */
    time_t connected; /* when it was made */
    time_t last_used; /* when it last carried a request */
    int requests;     /* requests on this connection */
};

static void attr_clnt_idle_event(int, void *);
static void attr_clnt_ttl_event(int, void *);

/* attr_clnt_disconnect - drop the connection and its timers */
static void attr_clnt_disconnect(ATTR_CLNT *client)
{
    if (client->stream == 0)
        return;
    event_cancel_timer(attr_clnt_idle_event, client);
    event_cancel_timer(attr_clnt_ttl_event, client);
    (void)vstream_fclose(client->stream);
    client->stream = 0;
    client->requests = 0;
}

/* attr_clnt_idle_event - the connection was not used for max_idle seconds */
static void attr_clnt_idle_event(int event, void *context)
{
    attr_clnt_disconnect((ATTR_CLNT *)context);
}

/* attr_clnt_ttl_event - the connection is max_ttl seconds old */
static void attr_clnt_ttl_event(int event, void *context)
{
    attr_clnt_disconnect((ATTR_CLNT *)context);
}

/* attr_clnt_connect - open a new connection; null after a warning */
static VSTREAM *attr_clnt_connect(ATTR_CLNT *client)
{
    int block_mode = client->timeout > 0 ? NON_BLOCKING : BLOCKING;
    int fd;

    fd = client->inet ? inet_connect(client->endpoint, block_mode, client->timeout)
                      : unix_connect(client->endpoint, block_mode, client->timeout);
    if (fd < 0) {
        msg_warn("connect to %s: %m", client->endpoint);
        return (0);
    }
    client->stream = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(client->stream, client->service);
    vstream_set_timeout(client->stream, client->timeout);
    client->connected = client->last_used = time((time_t *)0);
    client->requests = 0;
    if (client->max_ttl > 0)
        event_request_timer(attr_clnt_ttl_event, client, client->max_ttl);
    return (client->stream);
}

/* attr_clnt_access - a usable connection; *reused says whether it is an old one */
static VSTREAM *attr_clnt_access(ATTR_CLNT *client, int *reused)
{
    time_t now = time((time_t *)0);

    *reused = 0;
    if (client->stream != 0) {
        if ((client->max_idle > 0 && now - client->last_used >= client->max_idle) ||
            (client->max_ttl > 0 && now - client->connected >= client->max_ttl) ||
            vstream_peek(client->stream) > 0 || readable(vstream_fileno(client->stream))) {
            attr_clnt_disconnect(client);
        } else {
            *reused = 1;
            return (client->stream);
        }
    }
    return (attr_clnt_connect(client));
}

/* attr_clnt_exchange - one attempt: print the request, scan the reply */
static int attr_clnt_exchange(ATTR_CLNT *client, VSTREAM *stream, int send_flags, va_list ap)
{
    va_list copy;
    int recv_flags;
    int ret;

    va_copy(copy, ap);
    ret = client->print(stream, send_flags, copy);
    va_end(copy);
    if (ret != 0 || vstream_fflush(stream) != 0)
        return (-1);
    va_copy(copy, ap);
    attr_skip_print_args(&copy);
    recv_flags = va_arg(copy, int);
    ret = client->scan(stream, recv_flags, copy);
    va_end(copy);
    return (ret);
}

/* attr_clnt_request - send a request and receive the reply */
int attr_clnt_request(ATTR_CLNT *client, int send_flags, ...)
{
    VSTREAM *stream;
    va_list ap;
    int attempt;
    int reused = 0;
    int ret;

    for (attempt = 1;; attempt++) {
        errno = 0;
        if ((stream = attr_clnt_access(client, &reused)) != 0) {
            va_start(ap, send_flags);
            ret = attr_clnt_exchange(client, stream, send_flags, ap);
            va_end(ap);
            if (ret >= 0) {
                client->last_used = time((time_t *)0);
                if (client->req_limit > 0 && ++client->requests >= client->req_limit)
                    attr_clnt_disconnect(client);
                else if (client->max_idle > 0)
                    event_request_timer(attr_clnt_idle_event, client, client->max_idle);
                return (ret);
            }
            attr_clnt_disconnect(client);
        }
        if (attempt >= client->try_limit)
            break;
        if (!reused && client->try_delay > 0)
            sleep(client->try_delay);
    }
    /* Diagnostics name the endpoint, without the transport, as Postfix does. */
    if (errno)
        msg_warn("problem talking to server %s: %m", client->endpoint);
    else
        msg_warn("problem talking to server %s", client->endpoint);
    return (-1);
}

/* attr_clnt_create - a client for service; no connection is made yet */
ATTR_CLNT *attr_clnt_create(const char *service, int timeout, int max_idle, int max_ttl)
{
    ATTR_CLNT *client = mycalloc(1, sizeof(*client));
    const char *endpoint;

    if (strncmp(service, "unix:", 5) == 0 || strncmp(service, "local:", 6) == 0) {
        client->inet = 0;
    } else if (strncmp(service, "inet:", 5) == 0) {
        client->inet = 1;
    } else {
        msg_fatal("unsupported service type: %s (expected unix:path, local:path "
                  "or inet:host:port)",
                  service);
    }
    endpoint = strchr(service, ':') + 1;
    if (*endpoint == 0)
        msg_fatal("missing address in service name: %s", service);
    client->service = mystrdup(service);
    client->endpoint = mystrdup(endpoint);
    client->timeout = timeout;
    client->max_idle = max_idle;
    client->max_ttl = max_ttl;
    client->try_limit = 2;
    client->try_delay = 1;
    client->print = attr_vprint_plain;
    client->scan = attr_vscan_plain;
    return (client);
}

/* attr_clnt_control - change settings; a list of name, value(s), ending in ATTR_CLNT_CTL_END */
void attr_clnt_control(ATTR_CLNT *client, int name, ...)
{
    va_list ap;

    va_start(ap, name);
    for (; name != ATTR_CLNT_CTL_END; name = va_arg(ap, int)) {
        switch (name) {
        case ATTR_CLNT_CTL_PROTO:
            client->print = va_arg(ap, ATTR_PRINT_VSTREAM_FN);
            client->scan = va_arg(ap, ATTR_SCAN_VSTREAM_FN);
            break;
        case ATTR_CLNT_CTL_REQ_LIMIT:
            client->req_limit = va_arg(ap, int);
            break;
        case ATTR_CLNT_CTL_TRY_LIMIT:
            if ((client->try_limit = va_arg(ap, int)) < 1)
                msg_panic("attr_clnt_control: bad try limit %d", client->try_limit);
            break;
        case ATTR_CLNT_CTL_TRY_DELAY:
            client->try_delay = va_arg(ap, int);
            break;
        default:
            msg_panic("attr_clnt_control: unknown request %d", name);
        }
    }
    va_end(ap);
}

/* attr_clnt_free - close the connection and release the client */
void attr_clnt_free(ATTR_CLNT *client)
{
    attr_clnt_disconnect(client);
    myfree(client->service);
    myfree(client->endpoint);
    myfree(client);
}

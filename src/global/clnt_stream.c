/*
 * clnt_stream - keep one connection to a mail system service.
 *
 * Clients of CPU-bound request/reply services (trivial-rewrite above all)
 * ask many small questions, so the connection is kept between requests.
 * clnt_stream_access() returns the connection, opening it first when there
 * is none, or when the old one went stale: idle for idle_limit seconds, older
 * than ttl_limit seconds, or readable (the server hung up or sent something
 * unasked). A new connection goes through the handshake function, which
 * reads the server's "protocol=..." announcement. Idle and time-to-live are
 * also enforced with event timers, so that a daemon running the event loop
 * does not hold the server's process busy.
 *
 * clnt_stream_recover() closes the connection after an error (or at the
 * server's request); the next access opens a new one.
 *
 * Errors: the service being unreachable for a long time is fatal (via
 * mail_connect_wait(), as the service is part of this mail system); a
 * failed handshake makes clnt_stream_access() return null after a warning,
 * and the caller retries.
 */

#include <time.h>

#include "clnt_stream.h"
#include "events.h"
#include "iostuff.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"

struct CLNT_STREAM {
    char *class;    /* public or private */
    char *service;  /* service name */
    int idle_limit; /* seconds between requests */
    int ttl_limit;  /* seconds per connection */
    CLNT_STREAM_HANDSHAKE_FN handshake;
    VSTREAM *stream;    /* the connection, or null */
    time_t opened;      /* when it was made */
    time_t last_access; /* when it was last handed out */
};

static void clnt_stream_event(int, void *);

/* clnt_stream_close - drop the connection and its timers */
static void clnt_stream_close(CLNT_STREAM *client)
{
    if (client->stream == 0)
        return;
    event_cancel_timer(clnt_stream_event, client);
    (void)vstream_fclose(client->stream);
    client->stream = 0;
}

/* clnt_stream_event - idle or time-to-live timer */
static void clnt_stream_event(int event, void *context)
{
    (void)event;
    clnt_stream_close((CLNT_STREAM *)context);
}

/* clnt_stream_timer - (re)arm the timer for whichever limit comes first */
static void clnt_stream_timer(CLNT_STREAM *client, time_t now)
{
    time_t idle_end = now + client->idle_limit;
    time_t ttl_end = client->opened + client->ttl_limit;
    time_t end = idle_end < ttl_end ? idle_end : ttl_end;

    event_request_timer(clnt_stream_event, client, end > now ? (int)(end - now) : 1);
}

/* clnt_stream_open - connect and check the announcement; 0 on failure */
static int clnt_stream_open(CLNT_STREAM *client)
{
    client->stream = mail_connect_wait(client->class, client->service);
    close_on_exec(vstream_fileno(client->stream), CLOSE_ON_EXEC);
    vstream_set_timeout(client->stream, var_ipc_timeout);
    client->opened = time((time_t *)0);
    if (client->handshake != 0 && client->handshake(client->stream) != 0) {
        msg_warn("%s/%s: bad or missing protocol announcement", client->class, client->service);
        clnt_stream_close(client);
        return (0);
    }
    return (1);
}

/* clnt_stream_access - the connection, opened or renewed as needed */
VSTREAM *clnt_stream_access(CLNT_STREAM *client)
{
    time_t now = time((time_t *)0);

    if (client->stream != 0 &&
        (now - client->last_access >= client->idle_limit ||
         now - client->opened >= client->ttl_limit || vstream_peek(client->stream) > 0 ||
         readable(vstream_fileno(client->stream))))
        clnt_stream_close(client);
    if (client->stream == 0 && !clnt_stream_open(client))
        return (0);
    client->last_access = now;
    clnt_stream_timer(client, now);
    return (client->stream);
}

/* clnt_stream_recover - forget the connection after an error */
void clnt_stream_recover(CLNT_STREAM *client)
{
    clnt_stream_close(client);
}

/* clnt_stream_path - class/service, for messages */
const char *clnt_stream_path(CLNT_STREAM *client)
{
    return (mail_service_path(client->class, client->service));
}

/* clnt_stream_create - a client handle; the connection is made on first use */
CLNT_STREAM *clnt_stream_create(const char *class, const char *service, int idle_limit,
                                int ttl_limit, CLNT_STREAM_HANDSHAKE_FN handshake)
{
    CLNT_STREAM *client = mycalloc(1, sizeof(*client));

    client->class = mystrdup(class);
    client->service = mystrdup(service);
    client->idle_limit = idle_limit > 0 ? idle_limit : 1;
    client->ttl_limit = ttl_limit > 0 ? ttl_limit : 1;
    client->handshake = handshake;
    return (client);
}

/* clnt_stream_free - close and release */
void clnt_stream_free(CLNT_STREAM *client)
{
    clnt_stream_close(client);
    myfree(client->class);
    myfree(client->service);
    myfree(client);
}

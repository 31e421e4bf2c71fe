/*
 * smtp - the SMTP and LMTP delivery agent (installed as smtp and lmtp).
 *
 * A single-server daemon under master(8): for each delivery request from
 * the queue manager it opens the queue file, delivers the recipients to
 * the request's next hop over SMTP (or LMTP when the program runs as
 * "lmtp"), reports each recipient as sent, bounced or deferred through the
 * delivery library (sent.h, bounce.h, defer.h), marks finished recipients
 * in the queue file and tells the queue manager whether anything is left.
 *
 * The work is split across smtp_connect.c (destinations and sessions),
 * smtp_addr.c (DNS), smtp_proto.c (the conversation), smtp_chat.c (reply
 * parsing, the session transcript and the postmaster notice of
 * notify_classes), smtp_trouble.c (failure policy and error classes),
 * smtp_reuse.c (scache client) and smtp_params.c (the smtp_* / lmtp_*
 * settings).
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "deliver_request.h"
#include "htable.h"
#include "mail_params.h"
#include "mail_server.h"
#include "msg.h"
#include "mymalloc.h"
#include "smtp.h"
#include "stringops.h"

static int smtp_is_lmtp;

/* smtp_deliver - one delivery request */
static int smtp_deliver(DELIVER_REQUEST *request)
{
    SMTP_STATE state;
    int n;
    int status;

    memset(&state, 0, sizeof(state));
    state.request = request;
    state.src = request->fp;
    state.why = dsb_create();
    state.buf = vstring_alloc(100);
    state.cache_used = htable_create(10);
    for (n = 0; n < request->rcpt_list.len; n++)
        request->rcpt_list.info[n].u.status = SMTP_RCPT_TODO;
    state.rcpt_left = request->rcpt_list.len;
    status = smtp_connect(&state);
    dsb_free(state.why);
    vstring_free(state.buf);
    htable_free(state.cache_used, (void (*)(void *))0);
    if (state.dest_label)
        myfree(state.dest_label);
    if (state.resp.str_buf) {
        vstring_free(state.resp.str_buf);
        vstring_free(state.resp.dsn_buf);
    }
    return (status);
}

/* smtp_service - one client of the queue manager */
static void smtp_service(VSTREAM *client, char *service_name, char **argv)
{
    DELIVER_REQUEST *request;
    int status;

    (void)service_name;
    (void)argv;
    if ((request = deliver_request_read(client)) == 0)
        return;
    status = smtp_deliver(request);
    (void)deliver_request_done(client, request, status ? DEL_STAT_DEFER : DEL_STAT_FINAL);
}

/* smtp_post_init - settings, once the configuration is loaded */
static void smtp_post_init(char *service_name, char **argv)
{
    struct timeval tv;

    (void)service_name;
    (void)argv;
    smtp_params_init(smtp_is_lmtp);
    gettimeofday(&tv, 0);
    srandom((unsigned)(tv.tv_sec ^ tv.tv_usec ^ getpid()));
}

int main(int argc, char **argv)
{
    /* The program name decides the protocol, as for Postfix's lmtp(8). */
    smtp_is_lmtp = (strcmp(basename_of(argv[0]), "lmtp") == 0);
    signal(SIGPIPE, SIG_IGN);
    single_server_main(argc, argv, smtp_service, CA_MAIL_SERVER_POST_INIT(smtp_post_init), 0);
}

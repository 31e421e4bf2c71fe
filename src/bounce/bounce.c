/*
 * bounce - the bounce, defer and trace services: keep per-message delivery
 * status logs, and turn them into notices (non-delivery, delay warning,
 * delivery status report) that go back through cleanup.
 *
 * One program serves the three services (master.cf: bounce, defer, trace);
 * the service name picks the log directory. Each client connection gets
 * the protocol announcement, sends one request and receives status=<int>
 * (protocol in src/global/bounce.h). A request that cannot be parsed is
 * logged and the connection dropped without a reply, which the client
 * treats as a failure; everything else is answered, 0 meaning done.
 * Setup problems (unknown service name, bad bounce_template_file) are
 * fatal, so the master throttles the service instead of losing mail.
 */

#include <signal.h>
#include <string.h>

#include "bounce.h"
#include "bounce_service.h"
#include "dsn_util.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "mail_server.h"
#include "msg.h"

static BOUNCE_TEMPLATES *bounce_templates;

/* bounce_log_queue - the log directory of a service name */
static const char *bounce_log_queue(const char *service_name)
{
    if (strcmp(service_name, var_bounce_service_name) == 0)
        return (MAIL_QUEUE_BOUNCE);
    if (strcmp(service_name, var_defer_service_name) == 0)
        return (MAIL_QUEUE_DEFER);
    if (strcmp(service_name, var_trace_service_name) == 0)
        return (MAIL_QUEUE_TRACE);
    msg_fatal("unknown service name \"%s\": expected %s, %s or %s", service_name,
              var_bounce_service_name, var_defer_service_name, var_trace_service_name);
}

/* bounce_ids_ok - queue name and id that are safe to use as file names */
static int bounce_ids_ok(const char *queue_name, const char *queue_id)
{
    if ((queue_name && !mail_queue_name_ok(queue_name)) || !mail_queue_id_ok(queue_id)) {
        msg_warn("malformed queue name or id: \"%.100s\" \"%.100s\"", queue_name ? queue_name : "",
                 queue_id);
        return (0);
    }
    return (1);
}

typedef struct BOUNCE_REQ {
    int flags;
    VSTRING *queue_name;
    VSTRING *queue_id;
    VSTRING *encoding;
    int smtputf8;
    VSTRING *sender;
    VSTRING *dsn_envid;
    int dsn_ret;
    VSTRING *verp_delims;
    RCPT_BUF *rcpb;
    DSN_BUF *dsb;
} BOUNCE_REQ;

/* bounce_dsn_ok - the received status must be a complete x.y.z */
static int bounce_dsn_ok(BOUNCE_REQ *rq)
{
    const char *status = vstring_str(rq->dsb->status);

    if (dsn_valid(status) == 0 || dsn_valid(status) != strlen(status)) {
        msg_warn("malformed DSN status: \"%.20s\"", status);
        return (0);
    }
    return (1);
}

/* bounce_request - read the rest of one request and serve it; -2 = bad input */
static int bounce_request(VSTREAM *client, int command, const char *log_queue, BOUNCE_REQ *rq)
{
    int n;

#define STR vstring_str
#define FLUSH_ATTRS                                                                                \
    RECV_ATTR_INT(MAIL_ATTR_FLAGS, &rq->flags), RECV_ATTR_STR(MAIL_ATTR_QUEUE, rq->queue_name),    \
        RECV_ATTR_STR(MAIL_ATTR_QUEUEID, rq->queue_id),                                            \
        RECV_ATTR_STR(MAIL_ATTR_ENCODING, rq->encoding),                                           \
        RECV_ATTR_INT(MAIL_ATTR_SMTPUTF8, &rq->smtputf8),                                          \
        RECV_ATTR_STR(MAIL_ATTR_SENDER, rq->sender),                                               \
        RECV_ATTR_STR(MAIL_ATTR_DSN_ENVID, rq->dsn_envid),                                         \
        RECV_ATTR_INT(MAIL_ATTR_DSN_RET, &rq->dsn_ret)

    switch (command) {
    case BOUNCE_CMD_APPEND:
        n = attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_FLAGS, &rq->flags),
                      RECV_ATTR_STR(MAIL_ATTR_QUEUEID, rq->queue_id),
                      RECV_ATTR_FUNC(rcpb_scan, rq->rcpb), RECV_ATTR_FUNC(dsb_scan, rq->dsb),
                      ATTR_TYPE_END);
        if (n != 4 || !bounce_ids_ok((char *)0, STR(rq->queue_id)) || !bounce_dsn_ok(rq))
            return (-2);
        return (bounce_append_service(rq->flags, log_queue, STR(rq->queue_id), &rq->rcpb->rcpt,
                                      &rq->dsb->dsn));
    case BOUNCE_CMD_FLUSH:
    case BOUNCE_CMD_WARN:
    case BOUNCE_CMD_TRACE:
        n = attr_scan(client, ATTR_FLAG_STRICT, FLUSH_ATTRS, ATTR_TYPE_END);
        if (n != 8 || !bounce_ids_ok(STR(rq->queue_name), STR(rq->queue_id)))
            return (-2);
        if (command == BOUNCE_CMD_WARN)
            return (bounce_warn_service(rq->flags, STR(rq->queue_name), STR(rq->queue_id),
                                        STR(rq->encoding), rq->smtputf8, STR(rq->sender),
                                        STR(rq->dsn_envid), rq->dsn_ret, bounce_templates));
        if (command == BOUNCE_CMD_TRACE)
            return (bounce_trace_service(rq->flags, STR(rq->queue_name), STR(rq->queue_id),
                                         STR(rq->encoding), rq->smtputf8, STR(rq->sender),
                                         STR(rq->dsn_envid), rq->dsn_ret, bounce_templates));
        if (strcmp(log_queue, MAIL_QUEUE_TRACE) == 0) {
            msg_warn("FLUSH request for the %s service", log_queue);
            return (-1);
        }
        return (bounce_notify_service(rq->flags, log_queue, STR(rq->queue_name), STR(rq->queue_id),
                                      STR(rq->encoding), rq->smtputf8, STR(rq->sender),
                                      STR(rq->dsn_envid), rq->dsn_ret, bounce_templates));
    case BOUNCE_CMD_VERP:
        n = attr_scan(client, ATTR_FLAG_STRICT, FLUSH_ATTRS,
                      RECV_ATTR_STR(MAIL_ATTR_VERPDL, rq->verp_delims), ATTR_TYPE_END);
        if (n != 9 || !bounce_ids_ok(STR(rq->queue_name), STR(rq->queue_id)))
            return (-2);
        return (bounce_notify_verp(rq->flags, log_queue, STR(rq->queue_name), STR(rq->queue_id),
                                   STR(rq->encoding), rq->smtputf8, STR(rq->sender),
                                   STR(rq->dsn_envid), rq->dsn_ret, STR(rq->verp_delims),
                                   bounce_templates));
    case BOUNCE_CMD_ONE:
        n = attr_scan(client, ATTR_FLAG_STRICT, FLUSH_ATTRS, RECV_ATTR_FUNC(rcpb_scan, rq->rcpb),
                      RECV_ATTR_FUNC(dsb_scan, rq->dsb), ATTR_TYPE_END);
        if (n != 10 || !bounce_ids_ok(STR(rq->queue_name), STR(rq->queue_id)) || !bounce_dsn_ok(rq))
            return (-2);
        return (bounce_one_service(rq->flags, STR(rq->queue_name), STR(rq->queue_id),
                                   STR(rq->encoding), rq->smtputf8, STR(rq->sender),
                                   STR(rq->dsn_envid), rq->dsn_ret, &rq->rcpb->rcpt, &rq->dsb->dsn,
                                   bounce_templates));
    default:
        msg_warn("unknown request code %d", command);
        return (-2);
    }
}

/* bounce_service - one client, one request */
static void bounce_service(VSTREAM *client, char *service_name, char **argv)
{
    const char *log_queue = bounce_log_queue(service_name);
    BOUNCE_REQ rq;
    int command;
    int status;

    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_BOUNCE),
               ATTR_TYPE_END);
    if (vstream_fflush(client) != 0) {
        msg_warn("write to client: %m");
        return;
    }
    if (attr_scan(client, ATTR_FLAG_STRICT | ATTR_FLAG_MORE,
                  RECV_ATTR_INT(MAIL_ATTR_NREQ, &command), ATTR_TYPE_END) != 1) {
        msg_warn("malformed request from client");
        return;
    }
    memset(&rq, 0, sizeof(rq));
    rq.queue_name = vstring_alloc(10);
    rq.queue_id = vstring_alloc(20);
    rq.encoding = vstring_alloc(10);
    rq.sender = vstring_alloc(100);
    rq.dsn_envid = vstring_alloc(100);
    rq.verp_delims = vstring_alloc(10);
    rq.rcpb = rcpb_create();
    rq.dsb = dsb_create();
    status = bounce_request(client, command, log_queue, &rq);
    if (status == -2) {
        msg_warn("malformed request (code %d) from client", command);
    } else {
        attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status), ATTR_TYPE_END);
        if (vstream_fflush(client) != 0)
            msg_warn("write status to client: %m");
    }
    vstring_free(rq.queue_name);
    vstring_free(rq.queue_id);
    vstring_free(rq.encoding);
    vstring_free(rq.sender);
    vstring_free(rq.dsn_envid);
    vstring_free(rq.verp_delims);
    rcpb_free(rq.rcpb);
    dsb_free(rq.dsb);
}

/* bounce_pre_init - load the templates while main.cf's directory is reachable */
static void bounce_pre_init(char *service_name, char **argv)
{
    VSTRING *why = vstring_alloc(100);

    (void)bounce_log_queue(service_name);
    bounce_templates = bounce_templates_create();
    if (*var_bounce_template_file &&
        bounce_templates_load(bounce_templates, var_bounce_template_file, why) < 0)
        msg_fatal("%s", vstring_str(why));
    vstring_free(why);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    single_server_main(argc, argv, bounce_service, CA_MAIL_SERVER_PRE_INIT(bounce_pre_init), 0);
}

/*
 * local - the local delivery agent, Postfix's local(8).
 *
 * Delivers the recipients of each delivery request from the queue manager
 * to aliases, .forward destinations, mailboxes, maildirs, commands and
 * files, or forwards them as new messages, and reports each one as sent,
 * bounced or deferred (recipients that are done get their queue file
 * record marked). The modules of this directory do the work; this file is
 * the daemon: start-up checks, the per-request loop, and main().
 *
 * Privileges: the process keeps root as its real user id and acts as the
 * mail system owner between deliveries; each delivery switches the
 * effective ids to whoever it must act for (see local.h). The file size
 * limit of the process is mailbox_size_limit, so that no mailbox or file
 * grows past it.
 *
 * Under master(8) this is a single_server service ("local unix - n n - -
 * local"); -S serves one request on standard input for tests.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deliver_completed.h"
#include "deliver_request.h"
#include "dict.h"
#include "file_limit.h"
#include "local.h"
#include "mail_params.h"
#include "mail_server.h"
#include "msg.h"
#include "mymalloc.h"
#include "set_eugid.h"

/* local_deliver_one - one recipient of the request */
static int local_deliver_one(LOCAL_STATE state, RECIPIENT *rcpt)
{
    USER_ATTR usr_attr;
    int status;

    local_user_attr_reset(&usr_attr);
    state.msg_attr.rcpt = *rcpt;
    state.msg_attr.delivered = 0;
    state.msg_attr.owner = 0;
    state.msg_attr.exp_type = 0;
    state.msg_attr.exp_from = 0;
    dsb_reset(state.msg_attr.why);
    status = deliver_recipient(state, usr_attr);
    status = forward_finish(state.request, state.msg_attr, status);
    if (status == 0 && !DEL_REQ_TRACE_ONLY(state.request->flags))
        (void)deliver_completed(state.msg_attr.fp, rcpt->offset);
    return (status);
}

/* local_deliver - every recipient of one request; DEL_STAT_* */
static int local_deliver(DELIVER_REQUEST *rq, const char *service)
{
    LOCAL_STATE state;
    int result = 0;
    int i;

    memset(&state, 0, sizeof(state));
    state.request = rq;
    state.dup_filter = local_dup_create();
    state.loop_info = delivered_hdr_init(rq->fp, rq->data_offset);
    state.msg_attr.fp = rq->fp;
    state.msg_attr.queue_name = rq->queue_name;
    state.msg_attr.queue_id = rq->queue_id;
    state.msg_attr.offset = rq->data_offset;
    state.msg_attr.encoding = rq->encoding;
    state.msg_attr.smtputf8 = rq->sendopts;
    state.msg_attr.sender = rq->sender;
    state.msg_attr.dsn_envid = rq->dsn_envid;
    state.msg_attr.dsn_ret = rq->dsn_ret;
    state.msg_attr.relay = service;
    state.msg_attr.why = dsb_create();
    state.msg_attr.request = rq;
    for (i = 0; i < rq->rcpt_list.len; i++)
        result |= local_deliver_one(state, rq->rcpt_list.info + i);
    dsb_free(state.msg_attr.why);
    delivered_hdr_free(state.loop_info);
    local_dup_free(state.dup_filter);
    return (result ? DEL_STAT_DEFER : DEL_STAT_FINAL);
}

/* local_service - one client: one delivery request */
static void local_service(VSTREAM *stream, char *service, char **argv)
{
    DELIVER_REQUEST *rq;
    int status;

    if (argv[0])
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    if ((rq = deliver_request_read(stream)) != 0) {
        status = local_deliver(rq, service);
        (void)deliver_request_done(stream, rq, status);
    }
}

/* local_pre_accept - a changed alias table means: start afresh */
static void local_pre_accept(char *service, char **argv)
{
    const char *table;

    if ((table = dict_changed_name()) != 0) {
        msg_info("table %s has changed -- restarting", table);
        exit(0);
    }
}

/* local_pre_init - as root: open the tables, set the file size limit */
static void local_pre_init(char *service, char **argv)
{
    if (var_mailbox_size_limit > 0) {
        if (var_message_size_limit > 0 && var_mailbox_size_limit < var_message_size_limit)
            msg_fatal("main.cf configuration error: mailbox_size_limit is smaller than "
                      "message_size_limit");
        set_file_limit((off_t)var_mailbox_size_limit);
    }
    local_conf_init();
}

/* local_post_init - act as the mail system owner between deliveries */
static void local_post_init(char *service, char **argv)
{
    set_eugid(var_owner_uid, var_owner_gid);
}

/* main - the daemon */
int main(int argc, char **argv)
{
    single_server_main(argc, argv, local_service, CA_MAIL_SERVER_PRE_INIT(local_pre_init),
                       CA_MAIL_SERVER_POST_INIT(local_post_init),
                       CA_MAIL_SERVER_PRE_ACCEPT(local_pre_accept), CA_MAIL_SERVER_PRIVILEGED, 0);
}

/*
 * pipe - the pipe delivery agent: deliver a message to an external
 * command named in master.cf (argv=...), run directly (no shell) as the
 * user= account, with the request's ${macros} in its arguments.
 *
 * Per request: check the attributes' limits (D and O need one recipient
 * per request; size=; the D flag's Delivered-To: loop check), expand the
 * command, run it with pipe_command() under <service>_time_limit, and map
 * the outcome: exit 0 reports every recipient as sent ("delivered via
 * <service> service", with the command's output), a temporary failure
 * defers them all, any other failure bounces them all, with the reason
 * pipe_command() composed from the exit status and the command's output.
 * relay= in the log is the service name.
 *
 * The daemon runs as root (master.cf unprivileged = n) but with the mail
 * owner's effective ids, and regains root only in the command's child to
 * switch to user=.
 *
 * Failure: bad command attributes are fatal (the master throttles the
 * service, the queue manager defers); a damaged queue file defers the
 * request without any per-recipient record, as Postfix does.
 */

#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "argv.h"
#include "bounce.h"
#include "defer.h"
#include "delivered_hdr.h"
#include "deliver_completed.h"
#include "deliver_request.h"
#include "dsn_buf.h"
#include "mail_conf.h"
#include "mail_copy.h"
#include "mail_params.h"
#include "mail_server.h"
#include "msg.h"
#include "mymalloc.h"
#include "pipe_attr.h"
#include "pipe_command.h"
#include "sent.h"
#include "set_eugid.h"
#include "stringops.h"
#include "vstring.h"

/* What pipe_eval() is asked to report for every recipient. */
#define PIPE_EVAL_OK PIPE_STAT_OK
#define PIPE_EVAL_DEFER PIPE_STAT_DEFER
#define PIPE_EVAL_BOUNCE PIPE_STAT_BOUNCE
#define PIPE_EVAL_CORRUPT PIPE_STAT_CORRUPT

/* pipe_mark - mark a recipient done when the request's flags allow it */
static void pipe_mark(DELIVER_REQUEST *rq, RECIPIENT *rcpt, int status, int flag)
{
    if (status == 0 && !DEL_REQ_TRACE_ONLY(rq->flags) && (rq->flags & flag))
        deliver_completed(rq->fp, rcpt->offset);
}

/* pipe_eval - report one outcome for every recipient; the request status */
static int pipe_eval(int outcome, const char *service, DELIVER_REQUEST *rq, const PIPE_ATTR *attr,
                     DSN_BUF *why)
{
    RECIPIENT *rcpt;
    VSTRING *output;
    int result = 0;
    int status;
    int n;

    switch (outcome) {
    case PIPE_EVAL_OK:
        /* Keep a trimmed copy of the command output before it is replaced. */
        output = vstring_alloc(100);
        vstring_strcpy(output, vstring_str(why->reason));
        *trimblanks(vstring_str(output), 0) = 0;
        if (*vstring_str(output))
            dsb_update(
                why, "2.0.0",
                (attr->flags & PIPE_OPT_FINAL_DELIVERY) ? DSN_ACTION_DELIVERED : DSN_ACTION_RELAYED,
                "", "", "", "", "delivered via %s service (%.100s)", service, vstring_str(output));
        else
            dsb_update(why, "2.0.0",
                       (attr->flags & PIPE_OPT_FINAL_DELIVERY) ? DSN_ACTION_DELIVERED
                                                               : DSN_ACTION_RELAYED,
                       "", "", "", "", "delivered via %s service", service);
        vstring_free(output);
        for (n = 0; n < rq->rcpt_list.len; n++) {
            rcpt = rq->rcpt_list.info + n;
            status = sent(DEL_REQ_TRACE_FLAGS(rq->flags), rq->queue_id, &rq->msg_stats, rcpt,
                          service, DSN_FROM_DSN_BUF(why));
            pipe_mark(rq, rcpt, status, DEL_REQ_FLAG_SUCCESS);
            result |= status;
        }
        break;
    case PIPE_EVAL_DEFER:
    case PIPE_EVAL_BOUNCE:
        for (n = 0; n < rq->rcpt_list.len; n++) {
            rcpt = rq->rcpt_list.info + n;
            status = (vstring_str(why->status)[0] == '4' ? defer_append : bounce_append)(
                DEL_REQ_TRACE_FLAGS(rq->flags), rq->queue_id, &rq->msg_stats, rcpt, service,
                DSN_FROM_DSN_BUF(why));
            pipe_mark(rq, rcpt, status, DEL_REQ_FLAG_BOUNCE);
            result |= status;
        }
        break;
    case PIPE_EVAL_CORRUPT:
        result = DEL_STAT_DEFER;
        break;
    default:
        msg_panic("pipe_eval: bad outcome %d", outcome);
    }
    return (result);
}

/* pipe_trace_only - an address probe: report what would happen, run nothing */
static int pipe_trace_only(const char *service, DELIVER_REQUEST *rq, const PIPE_ATTR *attr,
                           DSN_BUF *why)
{
    RECIPIENT *rcpt;
    int result = 0;
    int status;
    int n;

    dsb_simple(why, "2.0.0", "delivers to command: %s", attr->command[0]);
    for (n = 0; n < rq->rcpt_list.len; n++) {
        rcpt = rq->rcpt_list.info + n;
        status = sent(DEL_REQ_TRACE_FLAGS(rq->flags), rq->queue_id, &rq->msg_stats, rcpt, service,
                      DSN_FROM_DSN_BUF(why));
        result |= status;
    }
    return (result);
}

/* pipe_checks - limits that apply before running anything; -1 = go on */
static int pipe_checks(const char *service, DELIVER_REQUEST *rq, const PIPE_ATTR *attr,
                       DSN_BUF *why)
{
    DELIVERED_HDR_INFO *info;
    int loop;

    if ((attr->flags & MAIL_COPY_DELIVERED) && rq->rcpt_list.len > 1) {
        dsb_simple(why, "4.3.5", "mail system configuration error");
        msg_warn("pipe flag `D' requires %s_destination_recipient_limit = 1", service);
        return (pipe_eval(PIPE_EVAL_DEFER, service, rq, attr, why));
    }
    if ((attr->flags & MAIL_COPY_ORIG_RCPT) && rq->rcpt_list.len > 1) {
        dsb_simple(why, "4.3.5", "mail system configuration error");
        msg_warn("pipe flag `O' requires %s_destination_recipient_limit = 1", service);
        return (pipe_eval(PIPE_EVAL_DEFER, service, rq, attr, why));
    }
    if (attr->size_limit != 0 && rq->data_size > attr->size_limit) {
        dsb_simple(why, "5.2.3", "message too large");
        return (pipe_eval(PIPE_EVAL_BOUNCE, service, rq, attr, why));
    }
    if (DEL_REQ_TRACE_ONLY(rq->flags))
        return (pipe_trace_only(service, rq, attr, why));
    if (attr->flags & MAIL_COPY_DELIVERED) {
        info = delivered_hdr_init(rq->fp, rq->data_offset);
        loop = delivered_hdr_find(info, rq->rcpt_list.info[0].address);
        delivered_hdr_free(info);
        if (loop) {
            dsb_simple(why, "5.4.6", "mail forwarding loop for %s", rq->rcpt_list.info[0].address);
            return (pipe_eval(PIPE_EVAL_BOUNCE, service, rq, attr, why));
        }
    }
    return (-1);
}

/* pipe_time_limit - <service>_time_limit, default $command_time_limit */
static int pipe_time_limit(const char *service)
{
    char def[32];

    snprintf(def, sizeof(def), "%ds", var_command_time_limit);
    return (get_mail_conf_time2(service, "_time_limit", def, 1, 0));
}

/* pipe_run - expand the command and run it */
static int pipe_run(const char *service, DELIVER_REQUEST *rq, const PIPE_ATTR *attr, DSN_BUF *why)
{
    const char *sender = *rq->sender ? rq->sender : attr->null_sender;
    ARGV *export_env;
    ARGV *expanded;
    PIPE_CMD cmd;
    int outcome;

    expanded = pipe_expand_argv(attr->command, rq, sender, attr->flags, var_recipient_delimiter,
                                var_double_bounce_sender);
    if (expanded == 0) {
        dsb_simple(why, "4.3.5", "mail system configuration error");
        return (pipe_eval(PIPE_EVAL_DEFER, service, rq, attr, why));
    }
    export_env = argv_split(var_export_environment, ", \t\r\n");
    memset(&cmd, 0, sizeof(cmd));
    cmd.argv = expanded->argv;
    cmd.uid = attr->uid;
    cmd.gid = attr->gid;
    cmd.export_env = export_env->argv;
    cmd.cwd = attr->exec_dir;
    cmd.chroot_dir = attr->chroot_dir;
    cmd.time_limit = pipe_time_limit(service);
    cmd.sender = sender;
    cmd.orig_rcpt = rq->rcpt_list.info[0].orig_addr;
    cmd.delivered = rq->rcpt_list.info[0].address;
    cmd.src = rq->fp;
    cmd.offset = rq->data_offset;
    cmd.copy_flags = attr->flags & PIPE_OPT_COPY_MASK;
    cmd.eol = vstring_str(attr->eol);
    outcome = pipe_command(&cmd, why);
    argv_free(export_env);
    argv_free(expanded);
    return (pipe_eval(outcome, service, rq, attr, why));
}

/* pipe_deliver - one delivery request */
static int pipe_deliver(const char *service, char **argv, DELIVER_REQUEST *rq)
{
    PIPE_ATTR attr;
    VSTRING *err = vstring_alloc(100);
    DSN_BUF *why = dsb_create();
    int status;

    if (rq->nexthop[0] == 0)
        msg_fatal("empty nexthop hostname");
    if (rq->rcpt_list.len <= 0)
        msg_fatal("recipient count: %d", rq->rcpt_list.len);

    memset(&attr, 0, sizeof(attr));
    if (pipe_attr_parse(&attr, argv, var_mail_owner, err) < 0)
        msg_fatal("%s", vstring_str(err));
    if ((status = pipe_checks(service, rq, &attr, why)) < 0)
        status = pipe_run(service, rq, &attr, why);
    pipe_attr_free(&attr);
    vstring_free(err);
    dsb_free(why);
    return (status);
}

/* pipe_service - one delivery request per connection */
static void pipe_service(VSTREAM *client, char *service, char **argv)
{
    DELIVER_REQUEST *rq;
    int status;

    if ((rq = deliver_request_read(client)) == 0)
        return;
    status = pipe_deliver(service, argv, rq);
    deliver_request_done(client, rq, status ? DEL_STAT_DEFER : DEL_STAT_FINAL);
}

/* pipe_pre_init - check the attributes once as root, before the first request */
static void pipe_pre_init(char *service, char **argv)
{
    PIPE_ATTR attr;
    VSTRING *err = vstring_alloc(100);

    memset(&attr, 0, sizeof(attr));
    if (pipe_attr_parse(&attr, argv, var_mail_owner, err) < 0)
        msg_fatal("%s", vstring_str(err));
    pipe_attr_free(&attr);
    vstring_free(err);
    (void)pipe_time_limit(service);
}

/* pipe_post_init - keep root as the real id, work as the mail owner */
static void pipe_post_init(char *service, char **argv)
{
    if (getuid() == 0)
        set_eugid(var_owner_uid, var_owner_gid);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    single_server_main(argc, argv, pipe_service, CA_MAIL_SERVER_PRE_INIT(pipe_pre_init),
                       CA_MAIL_SERVER_POST_INIT(pipe_post_init), CA_MAIL_SERVER_PRIVILEGED, 0);
}

/*
 * virtual - the virtual domain delivery agent: deliver to mailbox files
 * and Maildirs that lookup tables name, with ids that lookup tables give,
 * for recipients that have no Unix account.
 *
 * Per request, for each recipient: refuse a Delivered-To: loop (5.4.6),
 * fold the address to lower case, look it up (virtual_lookup.c), bounce an
 * unknown one ("5.1.1 unknown user: ..."), and deliver to the mailbox file
 * or Maildir (virtual_deliver.c). Delivered and bounced recipients are
 * marked done in the queue file; the reply says whether any was deferred.
 * relay= in the log is the service name (normally "virtual").
 *
 * The daemon runs as root (master.cf unprivileged = n) with the mail
 * owner's effective ids, switching to the recipient's ids for file work.
 * virtual_mailbox_limit becomes the process file size limit (it may not be
 * smaller than message_size_limit, or the queue file could not be updated).
 *
 * Failure: a relative virtual_mailbox_base and bad lock or size settings
 * are fatal; lookup failures and configuration errors in the tables defer
 * with a warning.
 */

#include <signal.h>
#include <string.h>

#include "bounce.h"
#include "defer.h"
#include "delivered_hdr.h"
#include "deliver_completed.h"
#include "deliver_request.h"
#include "dsn_buf.h"
#include "file_limit.h"
#include "lock_type.h"
#include "mail_addr_find.h"
#include "mail_params.h"
#include "mail_server.h"
#include "maps.h"
#include "match_list.h"
#include "msg.h"
#include "mymalloc.h"
#include "sent.h"
#include "set_eugid.h"
#include "stringops.h"
#include "virtual.h"

int virtual_lock_mask;

static VIRTUAL_MAPS virtual_maps;
static MATCH_LIST *virtual_local_domains;
static MAIL_ADDR_FIND_ENV virtual_env;
static const char *virtual_service;

/* virtual_sent - report delivery */
int virtual_sent(VIRTUAL_RCPT *vr)
{
    return (sent(DEL_REQ_TRACE_FLAGS(vr->rq->flags), vr->rq->queue_id, &vr->rq->msg_stats, vr->rcpt,
                 virtual_service, DSN_FROM_DSN_BUF(vr->why)));
}

/* virtual_fail - report a failure: defer a 4.x.x status, bounce the rest */
int virtual_fail(VIRTUAL_RCPT *vr)
{
    return ((vstring_str(vr->why->status)[0] == '4' ? defer_append : bounce_append)(
        DEL_REQ_TRACE_FLAGS(vr->rq->flags), vr->rq->queue_id, &vr->rq->msg_stats, vr->rcpt,
        virtual_service, DSN_FROM_DSN_BUF(vr->why)));
}

/* virtual_recipient - deliver one recipient; 0 when it is final */
static int virtual_recipient(VIRTUAL_RCPT *vr, DELIVERED_HDR_INFO *loop_info)
{
    VIRTUAL_USER user;
    char *address;
    int status;

    if (delivered_hdr_find(loop_info, vr->rcpt->address)) {
        dsb_simple(vr->why, "5.4.6", "mail forwarding loop for %s", vr->rcpt->address);
        return (virtual_fail(vr));
    }
    if (*var_virtual_mailbox_base != '/')
        msg_fatal("do not specify relative pathname: virtual_mailbox_base = %s",
                  var_virtual_mailbox_base);
    address = lowercase(mystrdup(vr->rcpt->address));
    switch (virtual_lookup(&virtual_maps, address, &user, vr->why)) {
    case VIRTUAL_UNKNOWN:
        dsb_simple(vr->why, "5.1.1", "unknown user: \"%s\"", address);
        status = virtual_fail(vr);
        break;
    case VIRTUAL_DEFER:
        status = virtual_fail(vr);
        break;
    default:
        if (msg_verbose)
            msg_info("%s: mailbox %s uid %ld gid %ld", address, user.mailbox, (long)user.uid,
                     (long)user.gid);
        status =
            user.maildir ? virtual_deliver_maildir(vr, &user) : virtual_deliver_mailbox(vr, &user);
        virtual_user_free(&user);
        break;
    }
    myfree(address);
    return (status);
}

/* virtual_deliver - every recipient of one request */
static int virtual_deliver(DELIVER_REQUEST *rq)
{
    DELIVERED_HDR_INFO *loop_info;
    VIRTUAL_RCPT vr;
    int result = 0;
    int status;
    int n;

    if (rq->rcpt_list.len <= 0)
        msg_fatal("recipient count: %d", rq->rcpt_list.len);
    loop_info = delivered_hdr_init(rq->fp, rq->data_offset);
    vr.rq = rq;
    vr.sender = rq->sender;
    vr.why = dsb_create();
    for (n = 0; n < rq->rcpt_list.len; n++) {
        vr.rcpt = rq->rcpt_list.info + n;
        dsb_reset(vr.why);
        status = virtual_recipient(&vr, loop_info);
        if (status == 0 && !DEL_REQ_TRACE_ONLY(rq->flags) && (rq->flags & DEL_REQ_FLAG_SUCCESS))
            deliver_completed(rq->fp, vr.rcpt->offset);
        result |= status;
    }
    dsb_free(vr.why);
    delivered_hdr_free(loop_info);
    return (result);
}

/* virtual_service_fn - one delivery request per connection */
static void virtual_service_fn(VSTREAM *client, char *service, char **argv)
{
    DELIVER_REQUEST *rq;
    int status;

    if (argv[0] != 0)
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    virtual_service = service;
    if ((rq = deliver_request_read(client)) == 0)
        return;
    status = virtual_deliver(rq);
    deliver_request_done(client, rq, status ? DEL_STAT_DEFER : DEL_STAT_FINAL);
}

/* virtual_is_local - is the domain in mydestination (localpart lookups)? */
static int virtual_is_local(const char *domain, void *context)
{
    (void)context;
    if (match_list_match(virtual_local_domains, domain))
        return (1);
    return (virtual_local_domains->error != 0 ? -1 : 0);
}

/* virtual_pre_init - as root: the mailbox size limit */
static void virtual_pre_init(char *service, char **argv)
{
    if (var_virtual_mailbox_limit > 0) {
        if (var_message_size_limit <= 0)
            msg_fatal("configuration error: virtual_mailbox_limit is limited but "
                      "message_size_limit is unlimited");
        if (var_virtual_mailbox_limit < var_message_size_limit)
            msg_fatal("configuration error: virtual_mailbox_limit is smaller than "
                      "message_size_limit");
        set_file_limit((off_t)var_virtual_mailbox_limit);
    }
}

/* virtual_post_init - drop to the mail owner's ids, open the tables */
static void virtual_post_init(char *service, char **argv)
{
    VSTRING *why = vstring_alloc(100);
    int flags = DICT_FLAG_LOCK | DICT_FLAG_PARANOID;

    if (getuid() == 0)
        set_eugid(var_owner_uid, var_owner_gid);
    virtual_maps.mailbox_maps =
        maps_create("virtual_mailbox_maps", var_virtual_mailbox_maps, flags);
    virtual_maps.uid_maps = maps_create("virtual_uid_maps", var_virtual_uid_maps, flags);
    virtual_maps.gid_maps = maps_create("virtual_gid_maps", var_virtual_gid_maps, flags);
    virtual_maps.mailbox_base = var_virtual_mailbox_base;
    virtual_maps.minimum_uid = var_virtual_minimum_uid;
    virtual_local_domains = domain_list_init("mydestination", MATCH_FLAG_RETURN, var_mydestination);
    virtual_env.delimiters = var_recipient_delimiter;
    virtual_env.double_bounce = var_double_bounce_sender;
    virtual_env.is_local = virtual_is_local;
    virtual_env.context = 0;
    virtual_maps.env = &virtual_env;
    if ((virtual_lock_mask = lock_type_mask(var_virtual_mailbox_lock, why)) < 0)
        msg_fatal("virtual_mailbox_lock: %s", vstring_str(why));
    vstring_free(why);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    single_server_main(argc, argv, virtual_service_fn, CA_MAIL_SERVER_PRE_INIT(virtual_pre_init),
                       CA_MAIL_SERVER_POST_INIT(virtual_post_init), CA_MAIL_SERVER_PRIVILEGED, 0);
}

/*
 * cleanup - the cleanup daemon: turn a message from a client (pickup,
 * smtpd, bounce ...) into a complete queue file in the incoming queue.
 *
 * Per connection (cleanup_service): announce the protocol, create the
 * queue file and send its queue id, read the client's flags and records
 * up to the E record, process them (cleanup_api and the modules it
 * drives), and answer with "status" (CLEANUP_STAT_* bits) and "reason".
 * A client that disappears in the middle leaves nothing behind: the
 * partial file never gets its "complete" mark and is removed.
 *
 * The daemon runs under master(8) on the single-client server skeleton
 * (src/master/mail_server.h); "-S" serves one client on standard input
 * (stand-alone mode, for tests and debugging). Tables are opened before the
 * skeleton drops privileges; addresses are rewritten through the
 * trivial-rewrite service at private/rewrite. Configuration problems are
 * fatal at start-up.
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "attr.h"
#include "mail_server.h"
#include "cleanup.h"
#include "cleanup_user.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "record.h"
#include "rewrite_clnt.h"
#include "stringops.h"

/* cleanup_read_records - feed the client's records to the message */
static void cleanup_read_records(VSTREAM *src, CLEANUP_STATE *state)
{
    VSTRING *buf = vstring_alloc(100);
    ssize_t limit = 2 * (ssize_t) var_line_length_limit + var_header_size_limit;
    int type;

    for (;;) {
        if ((type = rec_get_raw(src, buf, limit, REC_FLAG_NONE)) < 0) {
            state->errs |= CLEANUP_STAT_BAD;
            break;
        }
        if (type == REC_TYPE_PTR || type == REC_TYPE_DTXT) {
            msg_warn("%s: record type %d not allowed - discarding this message",
                     state->queue_id, type);
            state->errs |= CLEANUP_STAT_BAD;
            break;
        }
        cleanup_record(state, type, vstring_str(buf), (ssize_t) VSTRING_LEN(buf));
        if (type == REC_TYPE_END)
            break;
    }
    vstring_free(buf);
}

/* cleanup_service - one client, one message */
static void cleanup_service(VSTREAM *src)
{
    CLEANUP_STATE *state;
    int flags;
    int status;

    attr_print(src, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_CLEANUP),
               ATTR_TYPE_END);
    state = cleanup_open();
    attr_print(src, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_QUEUEID, state->queue_id),
               ATTR_TYPE_END);
    if (vstream_fflush(src) != 0
        || attr_scan(src, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_FLAGS, &flags), ATTR_TYPE_END)
               != 1) {
        state->errs |= CLEANUP_STAT_BAD;
        (void) cleanup_flush(state);
        cleanup_free(state);
        return;
    }
    cleanup_control(state, flags);
    cleanup_read_records(src, state);
    status = cleanup_flush(state);
    attr_print(src, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status),
               SEND_ATTR_STR(MAIL_ATTR_WHY, state->reason ? state->reason : ""), ATTR_TYPE_END);
    (void) vstream_fflush(src);
    cleanup_free(state);
}

/* cleanup_rewrite_service - rewrite through the trivial-rewrite service */
static void cleanup_rewrite_service(const char *context, const char *addr, VSTRING *result)
{
    (void) rewrite_clnt(context, addr, result);
}

/* cleanup_pre_init - open the tables while still privileged */
static void cleanup_pre_init(char *service_name, char **argv)
{
    cleanup_init_tables();
}

/* cleanup_post_init - rewrite addresses through the trivial-rewrite service */
static void cleanup_post_init(char *service_name, char **argv)
{
    cleanup_rewrite_set(cleanup_rewrite_service);
}

/* cleanup_single_service - the skeleton's per-client callback */
static void cleanup_single_service(VSTREAM *client, char *service_name, char **argv)
{
    vstream_set_timeout(client, var_ipc_timeout);
    cleanup_service(client);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    single_server_main(argc, argv, cleanup_single_service, CA_MAIL_SERVER_PRE_INIT(cleanup_pre_init),
                       CA_MAIL_SERVER_POST_INIT(cleanup_post_init), 0);
}

/*
 * smtpd_check - minimal SMTP server access control, for the protocol
 * engine until the full restriction evaluator replaces this file.
 *
 * Exports the functions of smtpd_check.h. What it does: it permits
 * everything except what keeps the server from being an open relay. The
 * relay and recipient restriction lists are evaluated with only these
 * restrictions: permit, reject, defer, permit_mynetworks,
 * permit_sasl_authenticated (never matches: no SASL yet),
 * reject_unauth_destination, defer_unauth_destination and
 * permit_auth_destination. Any other restriction name defers the mail
 * with "451 4.3.5 Server configuration error" (never a silent permit).
 * message_size_limit and queue_minfree are enforced.
 *
 * Failure: a lookup failure (mynetworks table, trivial-rewrite) defers
 * with 451 4.3.0.
 */

#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <sys/statvfs.h>

#include "argv.h"
#include "mail_params.h"
#include "match_list.h"
#include "msg.h"
#include "mymalloc.h"
#include "resolve_clnt.h"
#include "smtpd_check.h"
#include "stringops.h"
#include "vstring.h"

static MATCH_LIST *mynetworks_list;
static ARGV *relay_restrictions;
static ARGV *rcpt_restrictions;
static VSTRING *check_reply;

#define CHECK_DUNNO 0
#define CHECK_OK 1
#define CHECK_REJECT 2

/* smtpd_check_pre_init - nothing to open as root here */
void smtpd_check_pre_init(void)
{
}

/* restriction_list - split a restriction parameter into names */
static ARGV *restriction_list(const char *value)
{
    return (argv_split(value, ", \t\r\n"));
}

/* smtpd_check_init - parse the lists once per process */
void smtpd_check_init(void)
{
    mynetworks_list = addr_match_list_init("mynetworks", MATCH_FLAG_RETURN, var_mynetworks);
    relay_restrictions = restriction_list(var_smtpd_relay_restrictions);
    rcpt_restrictions = restriction_list(var_smtpd_recipient_restrictions);
    check_reply = vstring_alloc(100);
}

/* smtpd_check_reset - forget deferred decisions of the last transaction */
void smtpd_check_reset(SMTPD_STATE *state)
{
    state->defer_if_permit.active = 0;
    state->defer_if_reject.active = 0;
    state->defer_if_permit_client = 0;
    state->defer_if_permit_helo = 0;
    state->defer_if_permit_sender = 0;
    state->recursion = 0;
    state->warn_if_reject = 0;
}

/* smtpd_check_rewrite - local clients get their headers rewritten */
void smtpd_check_rewrite(SMTPD_STATE *state)
{
    /* permit_inet_interfaces: the client is this host's own address. */
    const char *ctx = "remote";

    if (state->dest_addr && strcmp(state->addr, state->dest_addr) == 0)
        ctx = "local";
    if (SMTPD_STAND_ALONE(state))
        ctx = "local";
    myfree(state->rewrite_context);
    state->rewrite_context = mystrdup(ctx);
}

/* smtpd_check_addr - permit any address syntax */
int smtpd_check_addr(const char *sender, const char *addr, int smtputf8)
{
    (void)sender;
    (void)addr;
    (void)smtputf8;
    return (0);
}

/* check_log_reject - the NOQUEUE/queue id reject line */
static void check_log_reject(SMTPD_STATE *state, const char *what, const char *reply)
{
    VSTRING *buf = vstring_alloc(200);

    vstring_sprintf(buf, "%s: %s: %s from %s: %s;", state->queue_id ? state->queue_id : "NOQUEUE",
                    what, state->where, state->namaddr, reply);
    if (state->sender)
        vstring_sprintf_append(buf, " from=<%s>", state->sender);
    if (state->recipient)
        vstring_sprintf_append(buf, " to=<%s>", state->recipient);
    vstring_sprintf_append(buf, " proto=%s", state->protocol);
    if (state->helo_name)
        vstring_sprintf_append(buf, " helo=<%s>", state->helo_name);
    msg_info("%s", vstring_str(buf));
    vstring_free(buf);
}

/* check_reject - format, log and return a reply */
static char *check_reject(SMTPD_STATE *state, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf(check_reply, fmt, ap);
    va_end(ap);
    check_log_reject(state, "reject", vstring_str(check_reply));
    return (vstring_str(check_reply));
}

/* check_mynetworks - permit_mynetworks */
static int check_mynetworks(SMTPD_STATE *state)
{
    if (addr_match_list_match(mynetworks_list, state->addr))
        return (CHECK_OK);
    if (mynetworks_list->error)
        return (-1);
    return (CHECK_DUNNO);
}

/* check_auth_destination - 1 when the recipient domain is ours to take */
static int check_auth_destination(const char *recipient)
{
    RESOLVE_REPLY reply;
    int result;

    resolve_clnt_init(&reply);
    resolve_clnt_query(recipient, &reply);
    if (reply.flags & RESOLVE_FLAG_FAIL)
        result = -1;
    else if (reply.flags & RESOLVE_CLASS_FINAL)
        result = 1;
    else if ((reply.flags & RESOLVE_CLASS_RELAY) && !(reply.flags & RESOLVE_FLAG_ROUTED))
        result = 1;
    else
        result = 0;
    resolve_clnt_free(&reply);
    return (result);
}

/* check_list - evaluate one restriction list for a recipient */
static char *check_list(SMTPD_STATE *state, ARGV *list, const char *recipient, int *decided)
{
    int i;
    int auth;
    const char *name;

    for (i = 0; i < list->argc; i++) {
        name = list->argv[i];
        if (strcasecmp(name, "permit") == 0) {
            *decided = CHECK_OK;
            return (0);
        } else if (strcasecmp(name, "reject") == 0) {
            *decided = CHECK_REJECT;
            return (check_reject(state, "%d 5.7.1 <%s>: Recipient address rejected: Access denied",
                                 var_reject_code, recipient));
        } else if (strcasecmp(name, "defer") == 0) {
            *decided = CHECK_REJECT;
            return (check_reject(state, "%d 4.7.1 <%s>: Recipient address rejected: Access denied",
                                 var_defer_code, recipient));
        } else if (strcasecmp(name, "permit_mynetworks") == 0) {
            if ((auth = check_mynetworks(state)) < 0) {
                *decided = CHECK_REJECT;
                return (check_reject(state, "451 4.3.0 <%s>: Temporary lookup failure", recipient));
            }
            if (auth == CHECK_OK) {
                *decided = CHECK_OK;
                return (0);
            }
        } else if (strcasecmp(name, "permit_sasl_authenticated") == 0) {
            continue;
        } else if (strcasecmp(name, "reject_unauth_destination") == 0 ||
                   strcasecmp(name, "defer_unauth_destination") == 0 ||
                   strcasecmp(name, "permit_auth_destination") == 0) {
            if ((auth = check_auth_destination(recipient)) < 0) {
                *decided = CHECK_REJECT;
                return (check_reject(state, "451 4.3.0 <%s>: Temporary lookup failure", recipient));
            }
            if (auth > 0 && name[0] == 'p') {
                *decided = CHECK_OK;
                return (0);
            }
            if (auth == 0 && name[0] != 'p') {
                *decided = CHECK_REJECT;
                return (check_reject(state, "%d %s <%s>: Relay access denied",
                                     name[0] == 'd' ? var_relay_domains_reject_code - 100
                                                    : var_relay_domains_reject_code,
                                     name[0] == 'd' ? "4.7.1" : "5.7.1", recipient));
            }
        } else {
            msg_warn("unknown smtpd restriction: \"%s\"", name);
            *decided = CHECK_REJECT;
            return (check_reject(state, "451 4.3.5 Server configuration error"));
        }
    }
    *decided = CHECK_DUNNO;
    return (0);
}

/* smtpd_check_rcpt - relay restrictions, then recipient restrictions */
char *smtpd_check_rcpt(SMTPD_STATE *state, char *recipient)
{
    char *reply;
    int decided;

    if (relay_restrictions->argc == 0 && rcpt_restrictions->argc == 0)
        return (check_reject(state, "451 4.3.5 Server configuration error"));
    if ((reply = check_list(state, relay_restrictions, recipient, &decided)) != 0)
        return (reply);
    if ((reply = check_list(state, rcpt_restrictions, recipient, &decided)) != 0)
        return (reply);
    return (0);
}

/* smtpd_check_space - 1 when the queue file system has room for size */
static int smtpd_check_space(off_t size)
{
    struct statvfs fs;
    unsigned long long avail;

    if (statvfs(".", &fs) < 0) {
        msg_warn("statvfs queue directory: %m");
        return (1);
    }
    avail = (unsigned long long)fs.f_bavail * fs.f_frsize;
    return ((unsigned long long)size + (unsigned long long)var_queue_minfree <= avail);
}

/* smtpd_check_size - message_size_limit and room in the queue */
char *smtpd_check_size(SMTPD_STATE *state, off_t size)
{
    if (var_message_size_limit > 0 && size > var_message_size_limit)
        return (check_reject(state, "552 5.3.4 Message size exceeds fixed limit"));
    if (!smtpd_check_space(size))
        return (check_reject(state, "452 4.3.1 Insufficient system storage"));
    return (0);
}

/* smtpd_check_queue - queue_minfree (and room for one message) */
char *smtpd_check_queue(SMTPD_STATE *state)
{
    off_t want = var_message_size_limit > 0 ? var_message_size_limit + var_message_size_limit / 2 : 0;

    if (!smtpd_check_space(want))
        return (check_reject(state, "452 4.3.1 Insufficient system storage"));
    return (0);
}

/* The stages this minimal module permits. */
char *smtpd_check_client(SMTPD_STATE *state)
{
    (void)state;
    return (0);
}

char *smtpd_check_helo(SMTPD_STATE *state, char *helo)
{
    (void)state;
    (void)helo;
    return (0);
}

char *smtpd_check_mail(SMTPD_STATE *state, char *sender)
{
    (void)state;
    (void)sender;
    return (0);
}

char *smtpd_check_rcptmap(SMTPD_STATE *state, char *recipient)
{
    (void)state;
    (void)recipient;
    return (0);
}

char *smtpd_check_data(SMTPD_STATE *state)
{
    (void)state;
    return (0);
}

char *smtpd_check_eod(SMTPD_STATE *state)
{
    (void)state;
    return (0);
}

char *smtpd_check_etrn(SMTPD_STATE *state, char *domain)
{
    (void)state;
    (void)domain;
    return (0);
}

/*
 * smtpd_check_reply - how the access checks answer and log: the reject
 * reply (with warn_if_reject, defer_if_reject and soft_bounce applied),
 * the defer_if_permit/defer_if_reject bookkeeping, the "NOQUEUE: reject:"
 * log line, permit logging, and the DSN code fixes.
 *
 * Exports the smtpd_check_reject/defer/log/permit/retry functions and
 * smtpd_dsn_fix/smtpd_dsn_split of smtpd_check_int.h. The reply of the
 * last reject is kept in one buffer (smtpd_check_reply_text()).
 *
 * Failure: a configured reply code outside 4xx/5xx, or a malformed DSN,
 * is logged and replaced with "450 4.7.1 Service unavailable", as Postfix
 * does. smtpd_check_retry()/smtpd_check_config_error() do not return.
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mail_params.h"
#include "match_list.h"
#include "msg.h"
#include "mymalloc.h"
#include "smtpd_check_int.h"
#include "stringops.h"
#include "vstring.h"

#define SMTPD_REPLY_MAX 510   /* RFC 5321 reply line, without CRLF */

static VSTRING *reply_text;
static MATCH_LIST *permit_log_list;

/* smtpd_check_reply_init - once per process */
void smtpd_check_reply_init(void)
{
    reply_text = vstring_alloc(100);
    permit_log_list = string_list_init("smtpd_log_access_permit_actions", MATCH_FLAG_RETURN,
                                       var_smtpd_log_access_permit_actions);
}

/* smtpd_check_reply_text - the reply of the last reject */
const char *smtpd_check_reply_text(void)
{
    return vstring_str(reply_text);
}

/* smtpd_check_log - one "reject:"/"warn:"/"hold:" ... line with context */
void smtpd_check_log(SMTPD_STATE *state, const char *whatsup, const char *text)
{
    VSTRING *buf = vstring_alloc(200);

    vstring_sprintf(buf, "%s: %s: %s from %s: %s;", state->queue_id ? state->queue_id : "NOQUEUE",
                    whatsup, state->where, state->namaddr, text);
    if (state->sender)
        vstring_sprintf_append(buf, " from=<%s>", state->sender);
    if (state->recipient)
        vstring_sprintf_append(buf, " to=<%s>", state->recipient);
    if (state->protocol)
        vstring_sprintf_append(buf, " proto=%s", state->protocol);
    if (state->helo_name)
        vstring_sprintf_append(buf, " helo=<%s>", state->helo_name);
    msg_info("%s", vstring_str(buf));
    vstring_free(buf);
}

/* smtpd_check_permit - a permit, logged when smtpd_log_access_permit_actions says so */
int smtpd_check_permit(SMTPD_STATE *state, const char *action, const char *reply_class,
                       const char *reply_name, const char *from_table)
{
    VSTRING *buf;

    if (state->defer_if_permit.active == 0 && *var_smtpd_log_access_permit_actions
        && string_list_match(permit_log_list, action)) {
        buf = vstring_alloc(100);
        vstring_sprintf(buf, "action=%s for %s=%s", action, reply_class, reply_name);
        if (from_table)
            vstring_sprintf_append(buf, " from %s", from_table);
        smtpd_check_log(state, "permit", vstring_str(buf));
        vstring_free(buf);
    }
    return SMTPD_CHECK_OK;
}

/* dsn_valid - length of a well-formed "d.ddd.ddd" status at text, or 0 */
static size_t dsn_valid(const char *text)
{
    const char *cp = text;
    int part;
    int digits;

    if (*cp != '2' && *cp != '4' && *cp != '5')
        return 0;
    cp++;
    for (part = 0; part < 2; part++) {
        if (*cp++ != '.')
            return 0;
        for (digits = 0; isdigit((unsigned char)*cp); cp++)
            digits++;
        if (digits == 0 || digits > 3)
            return 0;
    }
    return (size_t)(cp - text);
}

/* smtpd_dsn_split - take an optional leading DSN off a reply text */
int smtpd_dsn_split(const char *text, const char *def_dsn, char *dsn, const char **rest)
{
    size_t len = dsn_valid(text);

    if (len > 0 && len < 10 && (text[len] == 0 || isspace((unsigned char)text[len]))) {
        memcpy(dsn, text, len);
        dsn[len] = 0;
        text += len;
        while (isspace((unsigned char)*text))
            text++;
        *rest = text;
        return 1;
    }
    strcpy(dsn, def_dsn);
    *rest = text;
    return 0;
}

/*
 * smtpd_dsn_fix - an address-status DSN fitted to what is rejected: a
 * recipient-style x.1.y becomes its sender counterpart when a sender is
 * rejected and vice versa, and x.0.0 for non-address information.
 */
const char *smtpd_dsn_fix(const char *status, const char *reply_class)
{
    static const char *const sender_dsn[] = {"4.1.0", "4.1.0", "4.1.8", "4.1.7", "4.1.0",
                                              "4.1.0", "4.1.0", "4.1.7", "4.1.8"};
    static const char *const rcpt_dsn[] = {"4.1.0", "4.1.1", "4.1.2", "4.1.3", "4.1.4",
                                           "4.1.5", "4.1.6", "4.1.3", "4.1.2"};
    const char *result;
    int micro;

    if (!isdigit((unsigned char)status[0]) || strncmp(status + 1, ".1.", 3) != 0)
        return status;
    micro = (status[4] >= '1' && status[4] <= '8' && status[5] == 0) ? status[4] - '0' : 0;
    if (strcmp(reply_class, SMTPD_NAME_SENDER) == 0)
        result = sender_dsn[micro];
    else if (strcmp(reply_class, SMTPD_NAME_RECIPIENT) == 0)
        result = rcpt_dsn[micro];
    else
        result = "4.0.0";
    if (strcmp(status + 2, result + 2) != 0)
        msg_info("mapping DSN status %s into %s status %c%s", status, reply_class, status[0],
                 result + 1);
    return result;
}

/* smtpd_check_vreject - format, validate, log */
static int smtpd_check_vreject(SMTPD_STATE *state, int error_class, int code, const char *dsn,
                               const char *fmt, va_list ap)
{
    int warn_only;
    char *text;

    warn_only = (state->warn_if_reject && error_class != MAIL_ERROR_SOFTWARE
                 && error_class != MAIL_ERROR_RESOURCE && error_class != MAIL_ERROR_DATA);
    state->error_mask |= error_class;
    vstring_sprintf(reply_text, "%d %s ", code, dsn);
    vstring_vsprintf_append(reply_text, fmt, ap);
    if (code < 400 || code > 599) {
        msg_warn("SMTP reply code configuration error: %s", vstring_str(reply_text));
        vstring_strcpy(reply_text, "450 4.7.1 Service unavailable");
    } else if (dsn_valid(vstring_str(reply_text) + 4) == 0) {
        msg_warn("DSN detail code configuration error: %s", vstring_str(reply_text));
        vstring_strcpy(reply_text, "450 4.7.1 Service unavailable");
    }
    if (VSTRING_LEN(reply_text) > SMTPD_REPLY_MAX)
        vstring_truncate(reply_text, SMTPD_REPLY_MAX);
    text = vstring_str(reply_text);
    printable(text, ' ');

    /* An earlier temporary problem may have kept us from accepting: say that. */
    if (!warn_only && state->defer_if_reject.active && text[0] == '5') {
        state->warn_if_reject = 0;
        return smtpd_check_force_defer(state, &state->defer_if_reject);
    }
    if (var_soft_bounce && text[0] == '5')
        text[0] = '4';
    text[4] = text[0];
    smtpd_check_log(state, warn_only ? "reject_warning" : "reject", text);
    return warn_only ? SMTPD_CHECK_DUNNO : SMTPD_CHECK_REJECT;
}

/* smtpd_check_reject - reject (or, under warn_if_reject, log only) */
int smtpd_check_reject(SMTPD_STATE *state, int error_class, int code, const char *dsn,
                       const char *fmt, ...)
{
    va_list ap;
    int status;

    va_start(ap, fmt);
    status = smtpd_check_vreject(state, error_class, code, dsn, fmt, ap);
    va_end(ap);
    return status;
}

/* smtpd_check_force_defer - turn a pending deferral into the reply */
int smtpd_check_force_defer(SMTPD_STATE *state, SMTPD_DEFER *defer)
{
    const char *reason = vstring_str(defer->reason);
    char *copy;
    char *dsn;
    int code;
    int status;

    defer->active = 0;
    copy = mystrdup(reason);
    code = atoi(copy);
    dsn = strlen(copy) > 4 ? copy + 4 : copy + strlen(copy);
    status = smtpd_check_reject(state, MAIL_ERROR_POLICY, code, vstring_str(defer->dsn), "%s",
                                dsn + strcspn(dsn, " ") + (dsn[strcspn(dsn, " ")] ? 1 : 0));
    myfree(copy);
    return status;
}

/* smtpd_check_vdefer - remember the first reason for a deferral */
static void smtpd_check_vdefer(SMTPD_DEFER *defer, const char *reply_class, int code,
                               const char *dsn, const char *fmt, va_list ap)
{
    if (defer->active)
        return;
    defer->active = 1;
    defer->class = reply_class;
    if (defer->dsn == 0)
        defer->dsn = vstring_alloc(10);
    if (defer->reason == 0)
        defer->reason = vstring_alloc(100);
    vstring_strcpy(defer->dsn, dsn);
    vstring_sprintf(defer->reason, "%d %s ", code, dsn);
    vstring_vsprintf_append(defer->reason, fmt, ap);
}

/* smtpd_check_defer_if - DEFER_IF_REJECT/DEFER_IF_PERMIT bookkeeping */
void smtpd_check_defer_if(SMTPD_DEFER *defer, const char *reply_class, int code, const char *dsn,
                          const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    smtpd_check_vdefer(defer, reply_class, code, dsn, fmt, ap);
    va_end(ap);
}

/*
 * smtpd_check_defer_if_permit - a temporary failure of a reject-style
 * check: defer at once, or only if the request would be permitted.
 * Under warn_if_reject the would-be reply is logged as a warning.
 */
int smtpd_check_defer_if_permit(SMTPD_STATE *state, int tf_action, const char *reply_class,
                                int code, const char *dsn, const char *fmt, ...)
{
    va_list ap;
    int status = SMTPD_CHECK_DUNNO;

    va_start(ap, fmt);
    if (state->warn_if_reject == 0 && tf_action == SMTPD_TF_DEFER_IF_PERMIT)
        smtpd_check_vdefer(&state->defer_if_permit, reply_class, code, dsn, fmt, ap);
    else
        status = smtpd_check_vreject(state, MAIL_ERROR_POLICY, code, dsn, fmt, ap);
    va_end(ap);
    return status;
}

/* smtpd_check_retry - a table failed: 451 4.3.0, back to the stage */
void smtpd_check_retry(SMTPD_STATE *state, const char *reply_name)
{
    longjmp(smtpd_check_jmp, smtpd_check_reject(state, MAIL_ERROR_DATA, 451, "4.3.0",
                                                "<%s>: Temporary lookup failure", reply_name));
}

/* smtpd_check_config_error - a configuration error: 451 4.3.5, back to the stage */
void smtpd_check_config_error(SMTPD_STATE *state)
{
    longjmp(smtpd_check_jmp, smtpd_check_reject(state, MAIL_ERROR_SOFTWARE, 451, "4.3.5",
                                                "Server configuration error"));
}

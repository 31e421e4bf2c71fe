/*
 * cleanup_checks - the actions of header_checks, mime_header_checks,
 * nested_header_checks and body_checks (see header_checks(5)).
 *
 * cleanup_act() carries out the action that a table returned for one
 * header or body line and logs it as Postfix does:
 *
 *   QUEUEID: ACTION: CONTEXT TEXT from ORIGIN; from=<S> to=<R> proto=P helo=<H>: OPTIONAL
 *
 * where CONTEXT is "header" or "body", TEXT the (first 200 bytes of the)
 * line, ORIGIN the client's log_message_origin attribute ("local" for
 * local submission, and when the client sent none), and the proto/helo
 * parts appear only when the client sent them. The result is the line
 * to output: the input itself, a replacement (REPLACE; the caller frees
 * it), or null to drop the line (IGNORE, STRIP). REJECT, DISCARD and PASS
 * stop further inspection of this message; after REDIRECT (the last one
 * wins) inspection goes on. An unknown
 * or malformed action is logged with a warning and otherwise ignored.
 */

#include <ctype.h>
#include <string.h>

#include "cleanup.h"
#include "cleanup_strerror.h"
#include "cleanup_user.h"
#include "is_header.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "stringops.h"

/* cleanup_dsn_prepend - add a default status code unless the text has one */
char *cleanup_dsn_prepend(const char *def_dsn, const char *text)
{
    const char *cp = text;
    int parts = 0;

    /* Accept "d.ddd.ddd" followed by white space or the end. */
    if ((*cp == '2' || *cp == '4' || *cp == '5') && cp[1] == '.') {
        cp += 2;
        for (parts = 1; parts < 3; parts++) {
            if (!isdigit((unsigned char) *cp))
                break;
            while (isdigit((unsigned char) *cp))
                cp++;
            if (parts < 2) {
                if (*cp != '.')
                    break;
                cp++;
            }
        }
        if (parts == 3 && (*cp == 0 || *cp == ' ' || *cp == '\t'))
            return (mystrdup(text));
    }
    return (concatenate(def_dsn, " ", text, (char *) 0));
}

/* cleanup_act_log - log an action with its context */
void cleanup_act_log(CLEANUP_STATE *state, const char *action, const char *context,
                     const char *content, const char *text)
{
    VSTRING *buf = vstring_alloc(200);
    const char *attr;

    /* Without the attribute (pickup sends none) the message is a local submission. */
    if ((attr = cleanup_attr_find(state, MAIL_ATTR_LOG_ORIGIN)) == 0)
        attr = "local";
    vstring_sprintf(buf, "%s: %s: %s %.200s from %s;", state->queue_id, action, context,
                    content, attr);
    if (state->sender)
        vstring_sprintf_append(buf, " from=<%s>", state->sender);
    if (state->recip)
        vstring_sprintf_append(buf, " to=<%s>", state->recip);
    if ((attr = cleanup_attr_find(state, MAIL_ATTR_LOG_PROTO_NAME)) != 0)
        vstring_sprintf_append(buf, " proto=%s", attr);
    if ((attr = cleanup_attr_find(state, MAIL_ATTR_LOG_HELO_NAME)) != 0)
        vstring_sprintf_append(buf, " helo=<%s>", attr);
    if (text && *text)
        vstring_sprintf_append(buf, ": %s", text);
    msg_info("%s", vstring_str(buf));
    vstring_free(buf);
}

/* cleanup_act_reject - REJECT [text] */
static void cleanup_act_reject(CLEANUP_STATE *state, const char *context, const char *buf,
                               const char *text)
{
    const CLEANUP_STAT_DETAIL *detail;

    if (state->reason)
        myfree(state->reason);
    if (*text) {
        state->reason = cleanup_dsn_prepend("5.7.1", text);
        if (*state->reason != '4' && *state->reason != '5') {
            msg_warn("bad DSN action in %s -- need 4.x.x or 5.x.x", text);
            *state->reason = '4';
        }
    } else {
        detail = cleanup_stat_detail(CLEANUP_STAT_CONT);
        state->reason = concatenate(detail->dsn, " ", detail->text, (char *) 0);
    }
    state->errs |= (*state->reason == '4') ? CLEANUP_STAT_DEFER : CLEANUP_STAT_CONT;
    state->flags &= ~CLEANUP_FLAG_FILTER_ALL;
    cleanup_act_log(state, "reject", context, buf, state->reason);
}

/* cleanup_act_header_text - PREPEND/REPLACE text must be a header in headers */
static int cleanup_act_header_text(const char *action, const char *context, const char *text,
                                   const char *map_class)
{
    if (*text == 0) {
        msg_warn("%s action without text in %s map", action, map_class);
        return (0);
    }
    if (strcmp(context, CLEANUP_ACT_CTXT_HEADER) == 0 && !is_header(text)) {
        msg_warn("bad %s header text \"%s\" in %s map -- need \"headername: headervalue\"",
                 action, text, map_class);
        return (0);
    }
    return (1);
}

/* cleanup_act_is - compare the action word, case-insensitively */
static int cleanup_act_is(const char *value, size_t len, const char *name)
{
    return (strlen(name) == len && strncasecmp(value, name, len) == 0);
}

/* cleanup_act - carry out one action; see above for the result */
const char *cleanup_act(CLEANUP_STATE *state, const char *context, const char *buf,
                        const char *value, const char *map_class)
{
    size_t len = strcspn(value, " \t");
    const char *text = value + len;

    while (*text == ' ' || *text == '\t')
        text++;
    if (cleanup_act_is(value, len, "REJECT")) {
        cleanup_act_reject(state, context, buf, text);
    } else if (cleanup_act_is(value, len, "WARN")) {
        cleanup_act_log(state, "warning", context, buf, text);
    } else if (cleanup_act_is(value, len, "INFO")) {
        cleanup_act_log(state, "info", context, buf, text);
    } else if (cleanup_act_is(value, len, "FILTER")) {
        if (*text == 0) {
            msg_warn("missing FILTER command argument in %s map", map_class);
        } else if (strchr(text, ':') == 0) {
            msg_warn("bad FILTER command %s in %s -- need transport:destination", text, map_class);
        } else {
            if (state->filter)
                myfree(state->filter);
            state->filter = mystrdup(text);
            cleanup_act_log(state, "filter", context, buf, text);
        }
    } else if (cleanup_act_is(value, len, "DISCARD")) {
        cleanup_act_log(state, "discard", context, buf, text);
        state->flags |= CLEANUP_FLAG_DISCARD;
        state->flags &= ~CLEANUP_FLAG_FILTER_ALL;
    } else if (cleanup_act_is(value, len, "HOLD")) {
        if ((state->flags & (CLEANUP_FLAG_HOLD | CLEANUP_FLAG_DISCARD)) == 0) {
            cleanup_act_log(state, "hold", context, buf, text);
            state->flags |= CLEANUP_FLAG_HOLD;
        }
    } else if (cleanup_act_is(value, len, "PASS")) {
        cleanup_act_log(state, "pass", context, buf, text);
        state->flags &= ~CLEANUP_FLAG_FILTER_ALL;
    } else if (cleanup_act_is(value, len, "PREPEND")) {
        if (cleanup_act_header_text("PREPEND", context, text, map_class)) {
            cleanup_act_log(state, "prepend", context, buf, text);
            cleanup_out_string(state, REC_TYPE_NORM, text);
        }
    } else if (cleanup_act_is(value, len, "REPLACE")) {
        if (cleanup_act_header_text("REPLACE", context, text, map_class)) {
            cleanup_act_log(state, "replace", context, buf, text);
            return (mystrdup(text));
        }
    } else if (cleanup_act_is(value, len, "REDIRECT")) {
        if (strchr(text, '@') == 0) {
            msg_warn("bad REDIRECT target \"%s\" in %s map -- need user@domain", text, map_class);
        } else {
            if (state->redirect)
                myfree(state->redirect);
            state->redirect = mystrdup(text);
            cleanup_act_log(state, "redirect", context, buf, text);
        }
    } else if (cleanup_act_is(value, len, "BCC")) {
        if (strchr(text, '@') == 0) {
            msg_warn("bad BCC address \"%s\" in %s map -- need user@domain", text, map_class);
        } else {
            if (state->hbc_rcpt == 0)
                state->hbc_rcpt = argv_alloc(1);
            argv_add(state->hbc_rcpt, text, (char *) 0);
            cleanup_act_log(state, "bcc", context, buf, text);
        }
    } else if (cleanup_act_is(value, len, "STRIP")) {
        cleanup_act_log(state, "strip", context, buf, text);
        return (0);
    } else if (cleanup_act_is(value, len, "IGNORE")) {
        return (0);
    } else if (!cleanup_act_is(value, len, "DUNNO") && !cleanup_act_is(value, len, "OK")) {
        msg_warn("unknown command in %s map: %s", map_class, value);
    }
    return (buf);
}

/*
 * postdrop_copy - the part of postdrop that reads what an untrusted user
 * sends and decides what of it reaches the maildrop queue.
 *
 * Input is a record stream in three segments, each ended by the record that
 * starts the next: envelope (REC_TYPE_POST_ENVELOPE, ended by M), content
 * (REC_TYPE_POST_CONTENT, ended by X) and extracted information
 * (REC_TYPE_POST_EXTRACT, ended by E). Only those record types are
 * accepted, in that order, so that the pickup daemon and cleanup see
 * nothing a local user could not have said with sendmail's options. On top
 * of the type check:
 *   - pointer records are not followed (the file is read raw);
 *   - no size record: the queue file layout is cleanup's business;
 *   - named attributes are limited to those sendmail writes (encoding,
 *     DSN, rewrite context, trace flags); others are dropped with a
 *     warning rather than refused, as the reference does;
 *   - every sender is checked against local_login_sender_maps;
 *   - sender and recipient records are counted, so that the caller can
 *     refuse a submission that lacks either.
 * The arrival time is not copied at all: postdrop writes its own.
 *
 * Exports postdrop_copy_init(), postdrop_copy_free(), postdrop_copy()
 * (POSTDROP_COPY_* result; details in the state), postdrop_attr_allowed()
 * and postdrop_drain() (read and discard the rest of a submission, so that
 * the client does not die of SIGPIPE before it can read our answer).
 * Nothing here is fatal: the caller words the verdict.
 */

#include <errno.h>
#include <string.h>

#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "postdrop_copy.h"
#include "rec_attr_map.h"
#include "rec_type.h"
#include "record.h"
#include "stringops.h"

/* The segments, each set's first type ending the segment before it. */
static const char *postdrop_segments[] = {
    REC_TYPE_POST_ENVELOPE,
    REC_TYPE_POST_CONTENT,
    REC_TYPE_POST_EXTRACT,
    0,
};

/* postdrop_copy_init - prepare to read one submission */
void postdrop_copy_init(POSTDROP_COPY *state, long uid, const char *login,
                        LOGIN_SENDER_MATCH *lsm, ssize_t line_limit)
{
    memset(state, 0, sizeof(*state));
    state->uid = uid;
    state->login = login;
    state->lsm = lsm;
    state->line_limit = line_limit;
    state->sender = vstring_alloc(100);
}

/* postdrop_copy_free - release what postdrop_copy_init() allocated */
void postdrop_copy_free(POSTDROP_COPY *state)
{
    vstring_free(state->sender);
}

/* postdrop_attr_allowed - may a local user set this named attribute */
int postdrop_attr_allowed(const char *name, const char *value)
{
    if (strcmp(name, MAIL_ATTR_ENCODING) == 0)
        return (strcmp(value, MAIL_ATTR_ENC_7BIT) == 0 || strcmp(value, MAIL_ATTR_ENC_8BIT) == 0);
    if (strcmp(name, MAIL_ATTR_RWR_CONTEXT) == 0)
        return (strcmp(value, MAIL_ATTR_RWR_LOCAL) == 0
                || strcmp(value, MAIL_ATTR_RWR_REMOTE) == 0);
    return (strcmp(name, MAIL_ATTR_TRACE_FLAGS) == 0 || rec_attr_map(name) != 0);
}

/* postdrop_copy_attr - copy an allowed attribute record, warn about others */
static int postdrop_copy_attr(POSTDROP_COPY *state, VSTREAM *out, VSTRING *buf)
{
    const char *err;
    char *name;
    char *value;

    if ((err = split_nameval(vstring_str(buf), &name, &value)) != 0) {
        msg_warn("uid=%ld: ignoring malformed record: %s: %.200s", state->uid, err,
                 vstring_str(buf));
        return (0);
    }
    if (!postdrop_attr_allowed(name, value)) {
        msg_warn("uid=%ld: ignoring attribute record: %.200s=%.200s", state->uid, name, value);
        return (0);
    }
    return (rec_fprintf(out, REC_TYPE_ATTR, "%s=%s", name, value) < 0 ? -1 : 0);
}

/* postdrop_check_sender - apply local_login_sender_maps to one sender */
static int postdrop_check_sender(POSTDROP_COPY *state, VSTRING *buf)
{
    if (strlen(vstring_str(buf)) != VSTRING_LEN(buf))
        return (POSTDROP_COPY_SENDER_NUL);
    if (state->lsm == 0)
        return (POSTDROP_COPY_DONE);
    switch (login_sender_match(state->lsm, state->login, vstring_str(buf))) {
    case LSM_STAT_FOUND:
        return (POSTDROP_COPY_DONE);
    case LSM_STAT_NOTFOUND:
        vstring_strcpy(state->sender, vstring_str(buf));
        return (POSTDROP_COPY_SENDER_DENIED);
    default:
        vstring_strcpy(state->sender, vstring_str(buf));
        return (POSTDROP_COPY_SENDER_ERROR);
    }
}

/* postdrop_copy - read one submission from in, write the allowed part to out */
int postdrop_copy(POSTDROP_COPY *state, VSTREAM *in, VSTREAM *out)
{
    const char **expected = postdrop_segments;
    VSTRING *buf = vstring_alloc(100);
    int result = -1;
    int type;

    while (result < 0) {
        type = rec_get_raw(in, buf, state->line_limit, REC_FLAG_NONE);
        if (type == REC_TYPE_EOF) {
            result = POSTDROP_COPY_CANCEL;
            break;
        }
        if (type == REC_TYPE_ERROR) {
            result = POSTDROP_COPY_MALFORMED;
            break;
        }
        if (*expected == 0 || !REC_TYPE_IN_SET(type, *expected) || type == REC_TYPE_SIZE) {
            state->bad_type = type;
            result = POSTDROP_COPY_UNEXPECTED;
            break;
        }
        if (type == **expected)
            expected++;
        if (type == REC_TYPE_FROM) {
            state->from_count++;
            if ((result = postdrop_check_sender(state, buf)) != POSTDROP_COPY_DONE)
                break;
            result = -1;
        } else if (type == REC_TYPE_RCPT) {
            state->rcpt_count++;
        } else if (type == REC_TYPE_ATTR) {
            if (postdrop_copy_attr(state, out, buf) < 0) {
                state->write_errno = errno;
                result = POSTDROP_COPY_WRITE;
            }
            continue;
        }
        if (rec_put(out, type, vstring_str(buf), VSTRING_LEN(buf)) < 0) {
            state->write_errno = errno;
            result = POSTDROP_COPY_WRITE;
        } else if (type == REC_TYPE_END) {
            result = POSTDROP_COPY_DONE;
        }
    }
    vstring_free(buf);
    return (result);
}

/* postdrop_drain - swallow the rest of a submission up to E or end of input */
void postdrop_drain(VSTREAM *in, ssize_t line_limit)
{
    VSTRING *buf = vstring_alloc(100);
    int type;

    while ((type = rec_get_raw(in, buf, line_limit, REC_FLAG_NONE)) > 0
           && type != REC_TYPE_END)
        /* void */ ;
    vstring_free(buf);
}

/*
 * dsn - one delivery status notification (see dsn.h).
 *
 * Exports dsn_create()/dsn_copy()/dsn_free() for DSNs that own their
 * strings, and dsn_print(), the attribute-protocol serializer shared by
 * the delivery request reply and the bounce/defer/trace requests. An
 * invalid status in dsn_create() is a caller bug (panic).
 */

#include "dsn.h"
#include "dsn_util.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"

/* dsn_create - a DSN that owns copies of its fields */
DSN *dsn_create(const char *status, const char *action, const char *reason, const char *dtype,
                const char *dtext, const char *mtype, const char *mname)
{
    DSN *dsn = (DSN *)mymalloc(sizeof(*dsn));

#define DSN_DUP(s) mystrdup((s) ? (s) : "")

    if (status == 0 || dsn_valid(status) == 0)
        msg_panic("dsn_create: bad status \"%s\"", status ? status : "(null)");
    dsn->status = DSN_DUP(status);
    dsn->action = DSN_DUP(action);
    dsn->reason = DSN_DUP(reason);
    dsn->dtype = DSN_DUP(dtype);
    dsn->dtext = DSN_DUP(dtext);
    dsn->mtype = DSN_DUP(mtype);
    dsn->mname = DSN_DUP(mname);
    return (dsn);
}

/* dsn_copy - a DSN that owns copies of another's fields */
DSN *dsn_copy(const DSN *dsn)
{
    return (dsn_create(dsn->status, dsn->action, dsn->reason, dsn->dtype, dsn->dtext, dsn->mtype,
                       dsn->mname));
}

/* dsn_free - release a DSN made by dsn_create() */
void dsn_free(DSN *dsn)
{
    myfree((void *)dsn->status);
    myfree((void *)dsn->action);
    myfree((void *)dsn->reason);
    myfree((void *)dsn->dtype);
    myfree((void *)dsn->dtext);
    myfree((void *)dsn->mtype);
    myfree((void *)dsn->mname);
    myfree((void *)dsn);
}

/* dsn_print - send a DSN as a run of attributes */
int dsn_print(ATTR_PRINT_COMMON_FN print_fn, VSTREAM *fp, int flags, const void *ptr)
{
    const DSN *dsn = (const DSN *)ptr;

    return (print_fn(fp, flags | ATTR_FLAG_MORE, SEND_ATTR_STR(MAIL_ATTR_DSN_STATUS, dsn->status),
                     SEND_ATTR_STR(MAIL_ATTR_DSN_DTYPE, dsn->dtype),
                     SEND_ATTR_STR(MAIL_ATTR_DSN_DTEXT, dsn->dtext),
                     SEND_ATTR_STR(MAIL_ATTR_DSN_MTYPE, dsn->mtype),
                     SEND_ATTR_STR(MAIL_ATTR_DSN_MNAME, dsn->mname),
                     SEND_ATTR_STR(MAIL_ATTR_DSN_ACTION, dsn->action),
                     SEND_ATTR_STR(MAIL_ATTR_WHY, dsn->reason), ATTR_TYPE_END));
}

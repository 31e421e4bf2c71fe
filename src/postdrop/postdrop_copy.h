#ifndef POSTDROP_COPY_H
#define POSTDROP_COPY_H

/* postdrop_copy - check and copy a submission's records into a maildrop file */

#include <sys/types.h>

#include "login_sender_match.h"
#include "vstream.h"
#include "vstring.h"

typedef struct POSTDROP_COPY {
    long uid;                   /* submitting user, for messages */
    const char *login;          /* login name or "uid:N", for local_login_sender_maps */
    LOGIN_SENDER_MATCH *lsm;    /* null: every sender is allowed */
    ssize_t line_limit;         /* line_length_limit: longest record accepted */
    int from_count;             /* S records seen */
    int rcpt_count;             /* R records seen */
    int bad_type;               /* POSTDROP_COPY_UNEXPECTED: the record type */
    int write_errno;            /* POSTDROP_COPY_WRITE: errno */
    VSTRING *sender;            /* POSTDROP_COPY_SENDER_*: the refused sender */
} POSTDROP_COPY;

#define POSTDROP_COPY_DONE 0        /* E record copied */
#define POSTDROP_COPY_CANCEL 1      /* end of input before E: the client gave up */
#define POSTDROP_COPY_MALFORMED 2   /* not a record stream */
#define POSTDROP_COPY_UNEXPECTED 3  /* a record type not allowed here */
#define POSTDROP_COPY_WRITE 4       /* the maildrop file could not be written */
#define POSTDROP_COPY_SENDER_DENIED 5 /* local_login_sender_maps says no */
#define POSTDROP_COPY_SENDER_ERROR 6  /* local_login_sender_maps failed */
#define POSTDROP_COPY_SENDER_NUL 7    /* a sender with a null byte in it */

extern void postdrop_copy_init(POSTDROP_COPY *state, long uid, const char *login,
                               LOGIN_SENDER_MATCH *lsm, ssize_t line_limit);
extern void postdrop_copy_free(POSTDROP_COPY *state);
extern int postdrop_copy(POSTDROP_COPY *state, VSTREAM *in, VSTREAM *out);
extern int postdrop_attr_allowed(const char *name, const char *value);
extern void postdrop_drain(VSTREAM *in, ssize_t line_limit);

#endif

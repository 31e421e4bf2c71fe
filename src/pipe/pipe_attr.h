#ifndef PIPE_ATTR_H
#define PIPE_ATTR_H

/*
 * pipe_attr - the pipe(8) delivery agent's master.cf command attributes
 * (flags=, user=, size=, eol=, directory=, chroot=, null_sender=, argv=)
 * and the expansion of the argv= command with the delivery request's
 * ${macros}.
 */

#include <sys/types.h>

#include "argv.h"
#include "deliver_request.h"
#include "vstring.h"

/* Processing flags beyond the MAIL_COPY_* bits (mail_copy.h). */
#define PIPE_OPT_FOLD_USER (1 << 16)      /* u: fold recipient local parts */
#define PIPE_OPT_FOLD_HOST (1 << 17)      /* h: fold domains and the next hop */
#define PIPE_OPT_QUOTE_LOCAL (1 << 18)    /* q: quote address local parts */
#define PIPE_OPT_FINAL_DELIVERY (1 << 19) /* X: DSN action "delivered" */
#define PIPE_OPT_FOLD_ALL (PIPE_OPT_FOLD_USER | PIPE_OPT_FOLD_HOST)
#define PIPE_OPT_COPY_MASK ((1 << 16) - 1) /* the MAIL_COPY_* part */

typedef struct PIPE_ATTR {
    int flags;         /* MAIL_COPY_* | PIPE_OPT_* */
    char **command;    /* argv= words (cmd_argv's vector) */
    ARGV *cmd_argv;    /* owns the command words */
    uid_t uid;         /* user= */
    gid_t gid;         /* user= or :group */
    VSTRING *eol;      /* eol=, unescaped; default "\n" */
    long size_limit;   /* size=, 0 = none */
    char *exec_dir;    /* directory=, or null */
    char *chroot_dir;  /* chroot=, or null */
    char *null_sender; /* null_sender=, default MAILER-DAEMON */
} PIPE_ATTR;

/*
 * pipe_attr_parse - parse the daemon's command-line attributes into attr
 * (which the caller zeroes first). mail_owner is refused as user= like
 * root. Returns 0, or -1 with the problem described in why.
 */
extern int pipe_attr_parse(PIPE_ATTR *attr, char **argv, const char *mail_owner, VSTRING *why);

/* pipe_attr_free - release what pipe_attr_parse() allocated. */
extern void pipe_attr_free(PIPE_ATTR *attr);

/* pipe_attr_unescape - C-style escapes (\n \r \t \a \b \f \v \ddd \\) */
extern VSTRING *pipe_attr_unescape(VSTRING *result, const char *text);

/*
 * pipe_expand_argv - the command vector with macros replaced, or null on a
 * macro syntax error (warned). An argument that uses a recipient macro
 * (recipient, original_recipient, user, extension, mailbox, domain) is
 * repeated once per recipient. sender is the envelope sender after the
 * null_sender replacement; delimiters is recipient_delimiter.
 */
extern ARGV *pipe_expand_argv(char **command, const DELIVER_REQUEST *rq, const char *sender,
                              int flags, const char *delimiters, const char *double_bounce);

#endif

#ifndef SM_OPTS_H
#define SM_OPTS_H

/* sm_opts - the Sendmail command line, as Postfix's sendmail reads it */

/* Modes of operation. */
#define SM_MODE_ENQUEUE 1  /* deliver mail from stdin (-bm, default) */
#define SM_MODE_NEWALIAS 2 /* rebuild aliases (-bi, -I, newaliases) */
#define SM_MODE_MAILQ 3    /* list the queue (-bp, mailq) */
#define SM_MODE_DAEMON 4   /* start the mail system (-bd, -bl) */
#define SM_MODE_USER 5     /* SMTP on stdin/stdout (-bs) */
#define SM_MODE_FLUSHQ 6   /* flush the queue (-q) */
#define SM_MODE_IGNORE 7   /* host status (-bh, -bH): nothing to do */

/* Flags. */
#define SM_FLAG_AEOF (1 << 0)  /* a line with only "." ends the input */
#define SM_FLAG_XRCPT (1 << 1) /* extract recipients from headers (-t) */

/* Trace requests, as stored in the queue file's trace_flags attribute. */
#define SM_TRACE_VERIFY (1 << 9)  /* -bv: report, do not deliver */
#define SM_TRACE_RECORD (1 << 10) /* -v: report and deliver */

typedef struct SM_OPTS {
    int mode;                   /* SM_MODE_* */
    int flags;                  /* SM_FLAG_* */
    int trace_flags;            /* SM_TRACE_* */
    int verbose;                /* -v count, after the double-duty rule */
    const char *sender;         /* -f, -r */
    const char *full_name;      /* -F */
    const char *encoding;       /* -B: MAIL_ATTR_ENC_7BIT or _8BIT */
    const char *dsn_envid;      /* -V envid */
    int dsn_ret;                /* -R */
    int dsn_notify;             /* -N */
    const char *rewrite_context; /* "local", or "remote" with -G */
    const char *verp_delims;    /* -XV, -XVxy */
    const char *site_to_flush;  /* -qRsite */
    const char *id_to_flush;    /* -qIqueueid */
    const char *qtime;          /* -qinterval */
    const char *alias_database; /* -oAfile, or null */
    char **recipients;          /* the remaining arguments */
} SM_OPTS;

extern void sm_opts_prescan(int argc, char **argv);
extern void sm_opts_parse(SM_OPTS *opts, const char *progname, int argc, char **argv);

#endif

#ifndef LOCAL_H
#define LOCAL_H

/*
 * local - the local delivery agent's shared types and module interfaces.
 *
 * A delivery walks a tree: the recipient from the queue manager, then the
 * addresses its alias, .forward or :include: expansion produced, and so
 * on. LOCAL_STATE and USER_ATTR are passed BY VALUE down that tree, so
 * that each level can change its own copy (the current address, the
 * expansion type, the owner- sender, the rights to use) without the
 * caller seeing it, as Postfix's local(8) does.
 */

#include <pwd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "argv.h"
#include "deliver_request.h"
#include "delivered_hdr.h"
#include "dsn_buf.h"
#include "htable.h"
#include "maps.h"
#include "recipient_list.h"
#include "vstream.h"
#include "vstring.h"

/* Who a |command or /file delivery runs as, and what it is told. */
typedef struct USER_ATTR {
    uid_t uid; /* 0 = not chosen yet: default_privs */
    gid_t gid;
    char *home; /* null when unknown */
    char *logname;
    char *shell;
} USER_ATTR;

/* Where an address came from (allow_mail_to_commands/files classes). */
#define EXPAND_TYPE_ALIAS (1 << 0)
#define EXPAND_TYPE_FWD (1 << 1)
#define EXPAND_TYPE_INCL (1 << 2)

/* The message and the current recipient. */
typedef struct DELIVER_ATTR {
    int level;   /* nesting depth, for loops and logging */
    VSTREAM *fp; /* queue file */
    const char *queue_name;
    const char *queue_id;
    long offset; /* content offset */
    const char *encoding;
    int smtputf8;
    const char *sender; /* envelope sender (owner- may replace it) */
    const char *dsn_envid;
    int dsn_ret;
    RECIPIENT rcpt;        /* address, original address, offset, DSN */
    const char *domain;    /* recipient domain */
    const char *local;     /* local part, lower case, with extension */
    const char *user;      /* local part without extension */
    const char *extension; /* address extension, or null */
    const char *unmatched; /* extension not matched by an alias, or null */
    const char *delim;     /* the delimiter that was found ("+"), or null */
    const char *owner;     /* owner- alias that receives errors, or null */
    const char *delivered; /* Delivered-To: address */
    const char *relay;     /* our service name, for logging */
    int exp_type;          /* EXPAND_TYPE_* of the current address, 0 = none */
    const char *exp_from;  /* the user whose .forward produced it */
    DSN_BUF *why;          /* delivery status of the current attempt */
    DELIVER_REQUEST *request;
} DELIVER_ATTR;

typedef struct LOCAL_STATE {
    int level; /* nesting depth */
    DELIVER_ATTR msg_attr;
    HTABLE *dup_filter;            /* what has been delivered/expanded already */
    DELIVERED_HDR_INFO *loop_info; /* Delivered-To: headers of the message */
    DELIVER_REQUEST *request;
} LOCAL_STATE;

#define LOCAL_NESTING_LIMIT 100 /* deeper expansion is a loop */

/* local_conf.c: derived settings, built once at start-up. */
extern int local_cmd_deliver_mask;  /* allow_mail_to_commands */
extern int local_file_deliver_mask; /* allow_mail_to_files */
extern int local_deliver_hdr_mask;  /* prepend_delivered_header */
extern int local_mbox_lock_mask;    /* mailbox_delivery_lock */
extern MAPS *local_alias_maps;
#define DELIVER_HDR_CMD (1 << 0)
#define DELIVER_HDR_FILE (1 << 1)
#define DELIVER_HDR_FWD (1 << 2)
extern void local_conf_init(void);
extern int local_expand_mask(const char *param, const char *value);
extern int local_header_mask(const char *value);

/* Results of the deliver_* functions that may decline. */
#define YES 1
#define NO 0

/* dup.c: the duplicate filter. */
extern HTABLE *local_dup_create(void);
extern int local_been_here(HTABLE *table, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
extern void local_dup_free(HTABLE *table);

/* status.c: report the outcome of the current recipient. */
extern int local_sent(LOCAL_STATE state);
extern int local_bounce(LOCAL_STATE state);
extern int local_defer(LOCAL_STATE state);
extern int local_fail(LOCAL_STATE state); /* 4.x.x: defer, else bounce */
extern void local_user_attr_set(USER_ATTR *usr_attr, const struct passwd *pwd);
extern void local_user_attr_reset(USER_ATTR *usr_attr);
extern void local_user_attr_free(USER_ATTR *usr_attr);

/* recipient.c */
extern int deliver_recipient(LOCAL_STATE state, USER_ATTR usr_attr);
extern void local_split_recipient(DELIVER_ATTR *attr, VSTRING *local, VSTRING *user);

/* alias.c, dotforward.c, include.c, token.c, resolve.c */
extern int deliver_alias(LOCAL_STATE state, USER_ATTR usr_attr, const char *name, int *statusp);
extern int deliver_dotforward(LOCAL_STATE state, USER_ATTR usr_attr, int *statusp);
extern int deliver_include(LOCAL_STATE state, USER_ATTR usr_attr, const char *path);
extern int deliver_token_string(LOCAL_STATE state, USER_ATTR usr_attr, const char *string,
                                int *addr_count);
extern int deliver_token_stream(LOCAL_STATE state, USER_ATTR usr_attr, VSTREAM *fp,
                                int *addr_count);
extern ARGV *local_token_split(const char *string);
extern int deliver_resolve_addr(LOCAL_STATE state, USER_ATTR usr_attr, const char *addr);

/* mailbox.c, maildir.c, file.c, command.c, unknown.c, indirect.c */
extern int deliver_mailbox(LOCAL_STATE state, USER_ATTR usr_attr, int *statusp);
extern int deliver_maildir(LOCAL_STATE state, USER_ATTR usr_attr, const char *path);
extern int deliver_file(LOCAL_STATE state, USER_ATTR usr_attr, const char *path);
extern int deliver_command(LOCAL_STATE state, USER_ATTR usr_attr, const char *command);
extern ARGV *local_command_env(LOCAL_STATE *state, USER_ATTR *usr_attr, const char *filter);
extern int deliver_unknown(LOCAL_STATE state, USER_ATTR usr_attr);
extern int deliver_indirect(LOCAL_STATE state);

/* maildir.c: unique names (tests). */
extern const char *maildir_tmp_name(VSTRING *buf, time_t sec, long pid, const char *host);
extern const char *maildir_new_name(VSTRING *buf, time_t sec, long usec, unsigned long dev,
                                    unsigned long ino, const char *host);
extern const char *maildir_hostname(void);

/* forward.c: forwarded addresses are collected, then sent as new messages. */
extern int forward_append(DELIVER_ATTR attr);
extern int forward_finish(DELIVER_REQUEST *request, DELIVER_ATTR attr, int cancel);

/* local_expand.c: $user, $home, ... in forward_path etc. */
extern int local_expand(VSTRING *result, const char *pattern, LOCAL_STATE *state,
                        USER_ATTR *usr_attr, const char *filter);

/* biff_notify.c */
extern void biff_notify(const char *text, ssize_t len);

/* as_user.c: file system access with the user's rights. */
extern int lstat_as(const char *path, struct stat *st, uid_t uid, gid_t gid);
extern int open_as(const char *path, int flags, mode_t mode, uid_t uid, gid_t gid);

#endif

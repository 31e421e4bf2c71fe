#ifndef CLEANUP_H
#define CLEANUP_H

/*
 * cleanup - shared state and interfaces of the cleanup daemon's modules.
 *
 * One CLEANUP_STATE per message. Records from the client go to
 * cleanup_record(), which hands them to the segment handler of the moment
 * (state->action): envelope, then message content, then the extracted
 * segment. Handlers write the queue file through cleanup_out*(), which
 * stop writing once an error makes the message unacceptable.
 */

#include <stdint.h>
#include <sys/time.h>
#include <sys/types.h>

#include "argv.h"
#include "header_opts.h"
#include "htable.h"
#include "maps.h"
#include "mail_stream.h"
#include "match_list.h"
#include "mime_state.h"
#include "tok822.h"
#include "vstream.h"
#include "vstring.h"

typedef struct CLEANUP_STATE CLEANUP_STATE;
typedef void (*CLEANUP_ACTION)(CLEANUP_STATE *, int, const char *, ssize_t);

struct CLEANUP_STATE {
    VSTRING *temp1;             /* scratch */
    VSTRING *temp2;
    VSTRING *attr_buf;          /* A record being split */
    VSTRING *stripped_buf;      /* message_strip_characters result */
    MAIL_STREAM *handle;        /* the queue file */
    VSTREAM *dst;               /* handle->stream */
    char *queue_id;
    char *queue_name;
    struct timeval arrival_time;
    char *fullname;
    char *sender;               /* rewritten envelope sender */
    char *recip;                /* first rewritten recipient, for logging */
    char *orig_rcpt;            /* pending O record */
    char *dsn_orcpt;            /* pending DSN ORCPT */
    int dsn_notify;             /* pending DSN NOTIFY */
    char *dsn_envid;
    int dsn_ret;
    char *verp_delims;
    int flags;                  /* CLEANUP_FLAG_* */
    int errs;                   /* CLEANUP_STAT_* */
    int err_mask;               /* errors that stop the output */
    int qmgr_opts;              /* C record field 4 */
    int rcpt_count;
    off_t data_offset;          /* first content record */
    off_t xtra_offset;          /* X record */
    off_t cont_length;
    char *reason;               /* reply text for the client */
    HTABLE *attr;               /* named attributes from the client */
    int attr_count;
    const char *hdr_rewrite_context; /* "local", "remote", or null */
    const char *resent;         /* "Resent-" or "" */
    uint64_t headers_seen;      /* 1 << HDR_* */
    int hop_count;
    MIME_STATE *mime_state;
    int mime_errs;
    char *filter;               /* FILTER action / content_filter */
    char *redirect;             /* REDIRECT action */
    char *return_receipt;       /* Return-Receipt-To: */
    char *errors_to;            /* Errors-To: */
    HTABLE *dups;               /* duplicate recipient filter */
    int dup_count;
    ARGV *sender_bcc;           /* sender_bcc_maps result, written with the recipients */
    ARGV *hbc_rcpt;             /* BCC actions of header/body checks */
    int smtputf8;               /* CLEANUP_SMTPUTF8_*, C record field 6 */
    int end_seen;
    int in_rcpt;                /* between first and last recipient of a segment */
    int warn_seen;
    CLEANUP_ACTION action;      /* handler for the next record */
};

/* Flags of state->flags beyond those of cleanup_user.h. */
#define CLEANUP_FLAG_INRCPT (1 << 16)

/* The state of the output: false once a fatal error happened. */
#define CLEANUP_OUT_OK(s) (((s)->errs & (s)->err_mask) == 0 && ((s)->flags & CLEANUP_FLAG_DISCARD) == 0)

/* DSN and queue manager bits that the queue file records carry. */
#define CLEANUP_DSN_NOTIFY_NEVER (1 << 0)
#define CLEANUP_DSN_NOTIFY_SUCCESS (1 << 1)
#define CLEANUP_DSN_NOTIFY_FAILURE (1 << 2)
#define CLEANUP_DSN_NOTIFY_DELAY (1 << 3)
#define CLEANUP_DSN_NOTIFY_ANY \
    (CLEANUP_DSN_NOTIFY_SUCCESS | CLEANUP_DSN_NOTIFY_FAILURE | CLEANUP_DSN_NOTIFY_DELAY)
#define CLEANUP_DSN_RET_FULL (1 << 0)
#define CLEANUP_DSN_RET_HDRS (1 << 1)
#define CLEANUP_QMGR_MIXED_RCPT_OTHER (1 << 0)

/* SMTPUTF8 bits of the C record: requested by the client, or detected. */
#define CLEANUP_SMTPUTF8_REQUESTED (1 << 0)
#define CLEANUP_SMTPUTF8_HEADER (1 << 1)
#define CLEANUP_SMTPUTF8_SENDER (1 << 2)

/* Address classes of canonical_classes and masquerade_classes. */
#define CLEANUP_CLASS_ENV_FROM (1 << 0)
#define CLEANUP_CLASS_ENV_RCPT (1 << 1)
#define CLEANUP_CLASS_HDR_FROM (1 << 2)
#define CLEANUP_CLASS_HDR_RCPT (1 << 3)

/* Which maps propagate_unmatched_extensions applies to. */
#define CLEANUP_EXT_PROP_CANONICAL (1 << 0)
#define CLEANUP_EXT_PROP_VIRTUAL (1 << 1)

/* cleanup_init.c: configuration turned into tables, once per process. */
extern MAPS *cleanup_comm_canon_maps;
extern MAPS *cleanup_send_canon_maps;
extern MAPS *cleanup_rcpt_canon_maps;
extern int cleanup_comm_canon_flags;
extern int cleanup_send_canon_flags;
extern int cleanup_rcpt_canon_flags;
extern ARGV *cleanup_masq_domains;
extern MATCH_LIST *cleanup_masq_exceptions;
extern int cleanup_masq_flags;
extern MAPS *cleanup_virt_alias_maps;
extern MAPS *cleanup_send_bcc_maps;
extern MAPS *cleanup_rcpt_bcc_maps;
extern MAPS *cleanup_header_checks;
extern MAPS *cleanup_mimehdr_checks;
extern MAPS *cleanup_nesthdr_checks;
extern MAPS *cleanup_body_checks;
extern int cleanup_ext_prop_mask;
extern MATCH_LIST *cleanup_local_domains;
extern VSTRING *cleanup_reject_chars;
extern VSTRING *cleanup_strip_chars;
extern void cleanup_init_tables(void);
extern int cleanup_is_local(const char *domain, void *context);
extern int cleanup_parse_classes(const char *name, const char *value);

/* cleanup_state.c */
extern CLEANUP_STATE *cleanup_state_alloc(void);
extern void cleanup_state_free(CLEANUP_STATE *state);
extern void cleanup_attr_update(CLEANUP_STATE *state, const char *name, const char *value);
extern const char *cleanup_attr_find(CLEANUP_STATE *state, const char *name);
extern int cleanup_is_ascii(const char *str);

/* cleanup_api.c */
extern CLEANUP_STATE *cleanup_open(void);
extern void cleanup_control(CLEANUP_STATE *state, int flags);
extern void cleanup_record(CLEANUP_STATE *state, int type, const char *buf, ssize_t len);
extern int cleanup_flush(CLEANUP_STATE *state);
extern void cleanup_free(CLEANUP_STATE *state);

/* cleanup_bounce.c */
extern int cleanup_bounce(CLEANUP_STATE *state);

/* cleanup_out.c */
extern void cleanup_out(CLEANUP_STATE *state, int type, const char *buf, ssize_t len);
extern void cleanup_out_string(CLEANUP_STATE *state, int type, const char *str);
extern void cleanup_out_format(CLEANUP_STATE *state, int type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
extern void cleanup_out_header(CLEANUP_STATE *state, VSTRING *header);
extern void cleanup_fold_header(CLEANUP_STATE *state, VSTRING *header);
extern void cleanup_out_size(CLEANUP_STATE *state);

/* cleanup_envelope.c, cleanup_message.c, cleanup_extracted.c */
extern void cleanup_envelope(CLEANUP_STATE *state, int type, const char *buf, ssize_t len);
extern void cleanup_message(CLEANUP_STATE *state, int type, const char *buf, ssize_t len);
extern void cleanup_extracted(CLEANUP_STATE *state, int type, const char *buf, ssize_t len);
extern int cleanup_dsn_notify_ok(int mask);

/* cleanup_checks.c */
#define CLEANUP_ACT_CTXT_HEADER "header"
#define CLEANUP_ACT_CTXT_BODY "body"
#define CLEANUP_ACT_CTXT_ANY "content"
extern const char *cleanup_act(CLEANUP_STATE *state, const char *context, const char *buf,
                               const char *value, const char *map_class);
extern void cleanup_act_log(CLEANUP_STATE *state, const char *action, const char *context,
                            const char *content, const char *text);
extern char *cleanup_dsn_prepend(const char *def_dsn, const char *text);

/* cleanup_addr.c */
extern void cleanup_addr_sender(CLEANUP_STATE *state, const char *addr);
extern void cleanup_addr_recipient(CLEANUP_STATE *state, const char *addr);
extern void cleanup_addr_bcc(CLEANUP_STATE *state, const char *addr);
extern void cleanup_addr_flush_sender_bcc(CLEANUP_STATE *state);
extern void cleanup_out_recipient(CLEANUP_STATE *state, const char *dsn_orcpt, int dsn_notify,
                                  const char *orcpt, const char *recip);

/* cleanup_map11.c, cleanup_map1n.c, cleanup_masquerade.c, cleanup_rewrite.c */
extern int cleanup_map11_internal(CLEANUP_STATE *state, VSTRING *addr, MAPS *maps, int propagate);
extern int cleanup_map11_tree(CLEANUP_STATE *state, TOK822 *tree, MAPS *maps, int propagate);
extern ARGV *cleanup_map1n_internal(CLEANUP_STATE *state, const char *addr, MAPS *maps,
                                    int propagate);
extern ARGV *cleanup_map_lookup(CLEANUP_STATE *state, MAPS *maps, const char *addr, int propagate);
extern int cleanup_masquerade_internal(CLEANUP_STATE *state, VSTRING *addr, ARGV *masq_domains);
extern int cleanup_masquerade_tree(CLEANUP_STATE *state, TOK822 *tree, ARGV *masq_domains);
typedef void (*CLEANUP_REWRITE_FN)(const char *context, const char *addr, VSTRING *result);
extern void cleanup_rewrite_set(CLEANUP_REWRITE_FN fn);
extern int cleanup_rewrite_internal(const char *context, VSTRING *result, const char *addr);
extern int cleanup_rewrite_tree(const char *context, TOK822 *tree);

/* Addresses in a tree: replace the tree's children with a new external address. */
extern void cleanup_tree_set_addr(TOK822 *tree, const char *external);


#endif

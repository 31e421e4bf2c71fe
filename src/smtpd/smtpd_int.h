#ifndef SMTPD_INT_H
#define SMTPD_INT_H

/*
 * smtpd_int - declarations shared by the protocol engine's modules only
 * (smtpd.c, smtpd_chat.c, smtpd_data.c, smtpd_state.c, smtpd_peer.c,
 * smtpd_xforward.c). The access-control module uses smtpd.h alone.
 */

#include "argv.h"
#include "match_list.h"
#include "smtpd.h"

/* EHLO keywords that smtpd_discard_ehlo_keywords can suppress. */
#define EHLO_MASK_8BITMIME (1 << 0)
#define EHLO_MASK_PIPELINING (1 << 1)
#define EHLO_MASK_SIZE (1 << 2)
#define EHLO_MASK_VRFY (1 << 3)
#define EHLO_MASK_ETRN (1 << 4)
#define EHLO_MASK_AUTH (1 << 5)
#define EHLO_MASK_VERP (1 << 6)
#define EHLO_MASK_STARTTLS (1 << 7)
#define EHLO_MASK_XCLIENT (1 << 8)
#define EHLO_MASK_XFORWARD (1 << 9)
#define EHLO_MASK_ENHANCEDSTATUSCODES (1 << 10)
#define EHLO_MASK_DSN (1 << 11)
#define EHLO_MASK_SMTPUTF8 (1 << 12)
#define EHLO_MASK_CHUNKING (1 << 13)
#define EHLO_MASK_SILENT (1 << 15)

/* Values of smtpd_forbid_bare_newline. */
#define BARE_LF_ALLOW 0     /* "no": a bare LF is a line end */
#define BARE_LF_NORMALIZE 1 /* "normalize"/"yes": ... but .<LF> is not end of data */
#define BARE_LF_REJECT 2    /* "reject": refuse input with a bare LF */

/* Per-process settings derived from main.cf (smtpd.c). */
typedef struct SMTPD_CONFIG {
    MATCH_LIST *xclient_hosts;
    MATCH_LIST *xforward_hosts;
    MATCH_LIST *event_limit_exceptions;
    MATCH_LIST *bare_lf_exclusions;
    MATCH_LIST *verp_clients;
    MATCH_LIST *noop_commands;
    MATCH_LIST *forbidden_commands;
    int ehlo_discard_mask;           /* smtpd_discard_ehlo_keywords */
    struct MAPS *ehlo_discard_maps;  /* smtpd_discard_ehlo_keyword_address_maps */
    struct MAPS *reject_footer_maps; /* smtpd_reject_footer_maps */
    struct MAPS *command_filter;     /* smtpd_command_filter */
    int bare_lf_mode;                /* BARE_LF_* */
    int input_transp;                /* receive_override_options mask */
    int tls_required;                /* smtpd_tls_security_level = encrypt */
    int haproxy;                     /* smtpd_upstream_proxy_protocol = haproxy */
    const char *unavailable_reply;   /* milters/proxy filter configured: MAIL gets this */
    int milter_hold;                 /* milter_default_action = quarantine */
} SMTPD_CONFIG;

extern SMTPD_CONFIG smtpd_config;

/* Per-session engine state that the checks need not see. */
typedef struct SMTPD_SESSION {
    int ehlo_discard_mask; /* EHLO_MASK_* in force for this client */
    int bare_lf_mode;      /* BARE_LF_* for this client */
    int anvil_connected;   /* tell anvil at disconnect */
    int bdat_active;       /* a BDAT transaction is in progress */
    int bdat_error;        /* ... that failed: discard later chunks */
    const char *reason;    /* why the session ended, for the log */
    ARGV *history;         /* transcript for the postmaster notice */
} SMTPD_SESSION;

/* smtpd_peer.c */
extern int smtpd_peer_from_proxy(SMTPD_STATE *state);

/* smtpd_chat.c */
extern void smtpd_chat_reply(SMTPD_STATE *state, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
extern void smtpd_chat_query(SMTPD_STATE *state);
extern void smtpd_chat_set_session(SMTPD_SESSION *session);

/* smtpd_notify.c */
extern void smtpd_notify_append(SMTPD_STATE *state, const char *prefix, const char *text);
extern void smtpd_notify_trim(SMTPD_STATE *state);
extern void smtpd_notify_send(SMTPD_STATE *state);
extern void smtpd_notify_free(SMTPD_SESSION *session);

/* smtpd_data.c */
extern int smtpd_data_cmd(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_bdat_cmd(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_open_stream(SMTPD_STATE *state);
extern void smtpd_mail_reset(SMTPD_STATE *state);

/* smtpd_envelope.c */
extern int smtpd_mail_cmd(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_rcpt_cmd(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_vrfy_cmd(SMTPD_STATE *state, int argc, char **argv);

/* smtpd_xforward.c */
extern int smtpd_xclient_cmd(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_xforward_cmd(SMTPD_STATE *state, int argc, char **argv);

/* smtpd.c */
extern SMTPD_SESSION *smtpd_session;
extern struct ANVIL_CLNT *smtpd_anvil;
extern int smtpd_event_limit_exempt(SMTPD_STATE *state);
extern void smtpd_log_reject(SMTPD_STATE *state, const char *what, const char *reply);

#endif

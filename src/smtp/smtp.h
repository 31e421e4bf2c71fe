#ifndef SMTP_H
#define SMTP_H

/*
 * smtp - internal interfaces of the SMTP/LMTP delivery agent.
 *
 * One program speaks both protocols. The settings that Postfix keeps twice
 * (smtp_* and lmtp_*) are read once into smtp_cfg, through the table in
 * smtp_params.c, so that the protocol code never asks which one it runs.
 */

#include <time.h>

#include "argv.h"
#include "deliver_request.h"
#include "dns_lookup.h"
#include "dsn_buf.h"
#include "htable.h"
#include "vstream.h"
#include "vstring.h"

/* Per-protocol settings (smtp_* or lmtp_* parameters). */
typedef struct SMTP_CFG {
    int lmtp;           /* speak LMTP */
    const char *prefix; /* "smtp_" or "lmtp_" */
    int connect_timeout;
    int helo_timeout;
    int mail_timeout;
    int rcpt_timeout;
    int data_init_timeout;
    int data_xfer_timeout;
    int data_done_timeout;
    int quit_timeout;
    int rset_timeout;
    int skip_5xx_greeting;
    int line_length_limit;
    int mx_address_limit;
    int mx_session_limit;
    int cache_on_demand;
    int cache_time_limit;
    int reuse_count_limit;
    int reuse_time_limit;
    int randomize_addresses;
    int skip_quit_response;
    int defer_if_no_mx_address;
    int never_send_ehlo;
    int always_send_ehlo;
    int assume_final;
    int quote_rfc821_envelope;
    int per_request_deadline;
    int min_data_rate;
    int send_xforward;
    int xforward_timeout;
    int balance_inet_protocols;
    int pix_delay_time;
    int pix_threshold_time;
    char *pix_workarounds;
    char *helo_name;
    char *tcp_port;
    char *bind_address;
    char *bind_address6;
    char *address_preference;
    char *fallback_relay;
    char *host_lookup;
    char *cache_destinations;
    char *discard_ehlo_keywords;
    char *dns_support_level;
} SMTP_CFG;

extern SMTP_CFG smtp_cfg;

/* smtp_params_init - fill smtp_cfg from the smtp_* or lmtp_* parameters */
extern void smtp_params_init(int lmtp);

/* The name of a per-protocol parameter ("smtp_helo_name" or "lmtp_lhlo_name"). */
extern const char *smtp_param_name(const char *smtp_name);

/* Server features, from the EHLO reply and from how we got the session. */
#define SMTP_FEATURE_ESMTP (1 << 0)
#define SMTP_FEATURE_8BITMIME (1 << 1)
#define SMTP_FEATURE_PIPELINING (1 << 2)
#define SMTP_FEATURE_SIZE (1 << 3)
#define SMTP_FEATURE_DSN (1 << 4)
#define SMTP_FEATURE_SMTPUTF8 (1 << 5)
#define SMTP_FEATURE_ENHANCED (1 << 6)
#define SMTP_FEATURE_FROM_CACHE (1 << 7)
#define SMTP_FEATURE_BEST_MX (1 << 8)
#define SMTP_FEATURE_XFORWARD_NAME (1 << 9) /* XFORWARD attributes the server takes */
#define SMTP_FEATURE_XFORWARD_ADDR (1 << 10)
#define SMTP_FEATURE_XFORWARD_PORT (1 << 11)
#define SMTP_FEATURE_XFORWARD_PROTO (1 << 12)
#define SMTP_FEATURE_XFORWARD_HELO (1 << 13)
#define SMTP_FEATURE_XFORWARD_IDENT (1 << 14)
#define SMTP_FEATURE_XFORWARD_DOMAIN (1 << 15)
#define SMTP_FEATURE_PIX_NO_ESMTP (1 << 16)      /* PIX firewall: HELO only */
#define SMTP_FEATURE_PIX_DELAY_DOTCRLF (1 << 17) /* PIX firewall: pause before "." */

/* One connection to a server. */
typedef struct SMTP_SESSION {
    VSTREAM *stream;
    char *host;         /* server name (for unix-domain: $myhostname) */
    char *addr;         /* printable address (for unix-domain: the path) */
    unsigned port;      /* TCP port, host order; 0 for unix-domain */
    char *namaddr;      /* host[addr] */
    char *namaddrport;  /* host[addr]:port, or host[addr] without port */
    int features;       /* SMTP_FEATURE_* */
    long size_limit;    /* SIZE announced by the server; 0 = none */
    int reuse_count;    /* transactions before the current one */
    time_t expire_time; /* stop reusing after this (reuse_time_limit) */
    int bad;            /* 1: unusable for another transaction; 2: not even for QUIT */
    char *endp_label;   /* cache key by physical endpoint */
    ARGV *history;      /* transcript for the postmaster ("Out: "/"In:  " lines) */
    int error_mask;     /* MAIL_ERROR_* classes seen (notify_classes) */
} SMTP_SESSION;

extern SMTP_SESSION *smtp_session_alloc(VSTREAM *stream, const char *host, const char *addr,
                                        unsigned port, int reuse_count, time_t expire_time);
extern void smtp_session_free(SMTP_SESSION *session);

/* One server reply. */
typedef struct SMTP_RESP {
    int code;        /* three-digit reply code */
    const char *dsn; /* enhanced status code, real or made up */
    const char *str; /* the whole reply, lines joined with "\n" */
    VSTRING *dsn_buf;
    VSTRING *str_buf;
} SMTP_RESP;

/* Recipient marks, in RECIPIENT u.status during one request. */
#define SMTP_RCPT_TODO 0 /* not yet handled */
#define SMTP_RCPT_KEEP 1 /* soft failure here: try the next server */
#define SMTP_RCPT_DROP 2 /* final for this request (logged) */

/* The state of one delivery request. */
typedef struct SMTP_STATE {
    DELIVER_REQUEST *request;
    VSTREAM *src;          /* queue file */
    SMTP_SESSION *session; /* current session, or null */
    SMTP_RESP resp;        /* last reply */
    DSN_BUF *why;          /* the latest failure */
    int status;            /* 0, or DEL_STAT_DEFER */
    int rcpt_left;         /* recipients not marked DROP */
    int final_server;      /* soft errors are final here */
    int loop_detect;       /* mail to port 25: check for mail to myself */
    int cache_load;        /* may use cached connections */
    int cache_store;       /* may save connections */
    char *dest_label;      /* logical destination for caching, or null */
    int dest_saved;        /* a session was saved under dest_label */
    HTABLE *cache_used;    /* endpoints taken from the cache in this request */
    VSTRING *buf;          /* scratch */
} SMTP_STATE;

/* smtp_connect - deliver one request: destinations, sessions, failures. */
extern int smtp_connect(SMTP_STATE *state);

/* Protocol engine (smtp_proto.c). All return 0 when the session can go on. */
extern int smtp_helo(SMTP_STATE *state);
extern int smtp_xfer(SMTP_STATE *state);
extern void smtp_quit(SMTP_STATE *state);
extern int smtp_rset(SMTP_STATE *state);

/* Line I/O and replies (smtp_chat.c). */
extern void smtp_chat_cmd(SMTP_SESSION *session, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
extern SMTP_RESP *smtp_chat_resp(SMTP_STATE *state);
extern void smtp_chat_notify(SMTP_STATE *state);

/* Failure and success reporting (smtp_trouble.c). */
extern int smtp_site_fail(SMTP_STATE *state, const char *mta, SMTP_RESP *resp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
extern int smtp_mesg_fail(SMTP_STATE *state, const char *mta, SMTP_RESP *resp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
extern void smtp_rcpt_fail(SMTP_STATE *state, RECIPIENT *rcpt, const char *mta, SMTP_RESP *resp,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));
extern int smtp_sess_fail(SMTP_STATE *state);
extern int smtp_stream_except(SMTP_STATE *state, int code, const char *where);
extern void smtp_rcpt_done(SMTP_STATE *state, SMTP_RESP *resp, RECIPIENT *rcpt);
extern void smtp_rcpt_drop(SMTP_STATE *state, RECIPIENT *rcpt);

/* Address lookup (smtp_addr.c). */
extern int smtp_family_enabled(int family);
extern DNS_RR *smtp_domain_addr(const char *name, int loop_detect, DSN_BUF *why, int *found_myself);
extern DNS_RR *smtp_host_addr(const char *name, int loop_detect, DSN_BUF *why);

/* Connection cache client (smtp_reuse.c). */
extern SMTP_SESSION *smtp_reuse_dest(SMTP_STATE *state, const char *dest_label);
extern SMTP_SESSION *smtp_reuse_endp(SMTP_STATE *state, const char *endp_label);
extern int smtp_save_session(SMTP_STATE *state, SMTP_SESSION *session);
extern const char *smtp_endp_label(VSTRING *buf, const char *addr, unsigned port);

#endif

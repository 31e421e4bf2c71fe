#ifndef SMTPD_H
#define SMTPD_H

/*
 * smtpd - the state of one SMTP server session, shared by the protocol
 * engine (smtpd.c and friends) and the access-control module
 * (smtpd_check.c and friends).
 *
 * Ownership: the protocol engine creates and resets every field; the
 * checks read the client/session/transaction fields and write only the
 * fields marked "checks write" below. All strings are null-terminated and
 * owned by the state (mystrdup'ed); a null pointer means "not known / not
 * given" unless said otherwise. See /work/wt/smtpd-API-READY.md for the
 * contract in prose.
 */

#include <sys/time.h>
#include <time.h>

#include "argv.h"
#include "mail_stream.h"
#include "vstream.h"
#include "vstring.h"

/* The outcome of a host name lookup (name_status, reverse_name_status). */
#define SMTPD_PEER_CODE_OK 2     /* name found (and, for name, confirmed) */
#define SMTPD_PEER_CODE_TEMP 4   /* temporary lookup failure */
#define SMTPD_PEER_CODE_PERM 5   /* no name, or not confirmed: "unknown" */
#define SMTPD_PEER_CODE_FORGED 6 /* reverse name exists but does not map back */

/* The value of an unknown client name/address, as Postfix writes it. */
#define CLIENT_NAME_UNKNOWN "unknown"
#define CLIENT_ADDR_UNKNOWN "unknown"
#define CLIENT_PORT_UNKNOWN "unknown"
#define CLIENT_HELO_UNKNOWN 0
#define CLIENT_PROTO_UNKNOWN "unknown"

/*
 * A deferred decision: DEFER_IF_PERMIT / DEFER_IF_REJECT and their kind.
 * "active" says one is pending; reason holds the complete SMTP reply
 * ("450 4.7.1 ..."), dsn its enhanced status code, class the restriction
 * class (SMTPD_NAME_* below) that caused it, for logging.
 */
typedef struct SMTPD_DEFER {
    int active;
    VSTRING *reason;
    VSTRING *dsn;
    const char *class;
} SMTPD_DEFER;

/* Restriction class names, for logs and policy requests ("reject: RCPT"). */
#define SMTPD_NAME_CLIENT "Client host"
#define SMTPD_NAME_REV_CLIENT "Unverified Client host"
#define SMTPD_NAME_CCERT "Client certificate"
#define SMTPD_NAME_SASL_USER "SASL login name"
#define SMTPD_NAME_HELO "Helo command"
#define SMTPD_NAME_SENDER "Sender address"
#define SMTPD_NAME_RECIPIENT "Recipient address"
#define SMTPD_NAME_ETRN "Etrn command"
#define SMTPD_NAME_DATA "Data command"
#define SMTPD_NAME_EOD "End-of-data"

/*
 * XFORWARD: attributes an authorized front end (a content filter's SMTP
 * client) forwards about the original client. They go to cleanup for the
 * Received: header and logging only; access control keeps using the
 * real client. Null means "not forwarded". namaddr/rfc_addr are derived.
 */
typedef struct SMTPD_XFORWARD {
    char *name;      /* NAME= (original client host name) */
    char *addr;      /* ADDR= (without "IPv6:") */
    char *port;      /* PORT= */
    char *namaddr;   /* name[addr]:port as logged */
    char *rfc_addr;  /* addr in Received: form ("IPv6:..." for v6) */
    char *helo_name; /* HELO= */
    char *ident;     /* IDENT= (original queue id) */
    char *protocol;  /* PROTO= (SMTP, ESMTP) */
    char *domain;    /* SOURCE= LOCAL -> "local", REMOTE -> "remote" */
    int flags;       /* SMTPD_XFORWARD_FLAG_* seen in this transaction */
} SMTPD_XFORWARD;

#define SMTPD_XFORWARD_FLAG_NAME (1 << 0)
#define SMTPD_XFORWARD_FLAG_ADDR (1 << 1)
#define SMTPD_XFORWARD_FLAG_PROTO (1 << 2)
#define SMTPD_XFORWARD_FLAG_HELO (1 << 3)
#define SMTPD_XFORWARD_FLAG_IDENT (1 << 4)
#define SMTPD_XFORWARD_FLAG_DOMAIN (1 << 5)
#define SMTPD_XFORWARD_FLAG_PORT (1 << 6)

/*
 * Session flags (state->flags). The ILL_PIPELINING flag is what
 * reject_unauth_pipelining tests (with vstream_peek() on state->client for
 * input that is already waiting).
 */
#define SMTPD_FLAG_HANGUP (1 << 0)         /* disconnect after this reply */
#define SMTPD_FLAG_ILL_PIPELINING (1 << 1) /* improper pipelining was seen */
#define SMTPD_FLAG_AUTH_USED (1 << 2)      /* SASL AUTH was used (later issue) */
#define SMTPD_FLAG_SMTPUTF8 (1 << 3)       /* MAIL FROM ... SMTPUTF8 */
#define SMTPD_FLAG_EHLO (1 << 4)           /* the client said EHLO */
#define SMTPD_FLAG_BARE_LF (1 << 5)        /* a bare LF was seen in this session */
#define SMTPD_FLAG_XCLIENT (1 << 6)        /* XCLIENT replaced the client */

/* The session: one per SMTP connection (or per stdin session with -S). */
typedef struct SMTPD_STATE {
    int flags;         /* SMTPD_FLAG_* */
    char *service;     /* master.cf service name ("smtp", "submission") */
    VSTREAM *client;   /* the SMTP client connection */
    VSTRING *buffer;   /* the current command line */
    VSTRING *addr_buf; /* scratch for an address as received */
    int stand_alone;   /* smtpd -S (sendmail -bs): no access checks run */
    time_t arrival_time;
    struct timeval start_time; /* of the current transaction */

    /* The client, as looked up at connect time (or replaced by XCLIENT). */
    char *name;              /* verified host name or "unknown" */
    char *reverse_name;      /* reverse (PTR) name or "unknown" */
    char *addr;              /* printable address, without "IPv6:" */
    char *port;              /* client TCP port or "unknown" */
    char *namaddr;           /* name[addr] (name[addr]:port with port logging) */
    char *rfc_addr;          /* address for Received:, "IPv6:" for v6 */
    int addr_family;         /* AF_INET, AF_INET6 or AF_UNSPEC (stand-alone) */
    int name_status;         /* SMTPD_PEER_CODE_* for name */
    int reverse_name_status; /* SMTPD_PEER_CODE_* for reverse_name */
    char *dest_addr;         /* server (local) address of the connection */
    char *dest_port;         /* server (local) port */

    /* Session state. */
    char *helo_name;       /* HELO/EHLO argument, or null before HELO */
    char *protocol;        /* "SMTP" or "ESMTP" (XCLIENT may change it) */
    const char *where;     /* the command being processed: "CONNECT",
                            * "HELO"/"EHLO" (as SMTPD_AFTER_*), "MAIL", "RCPT",
                            * "DATA", "END-OF-MESSAGE", "VRFY", "ETRN" */
    int error_count;       /* for smtpd_soft/hard_error_limit */
    int error_mask;        /* MAIL_ERROR_* classes seen (notify_classes) */
    int junk_cmds;         /* NOOP/VRFY/ETRN/RSET count (junk limit) */
    int rcpt_overshoot;    /* RCPTs over smtpd_recipient_limit */
    char *rewrite_context; /* "local" or "remote": set by smtpd_check_rewrite() */
    char *instance;        /* unique per transaction (policy "instance=") */
    int seqno;             /* transaction number in this session */

    /* The current mail transaction. */
    char *queue_id;    /* null until cleanup was contacted */
    MAIL_STREAM *dest; /* the cleanup stream, or null */
    VSTREAM *cleanup;  /* dest->stream, or null */
    int err;           /* CLEANUP_STAT_* of the transaction so far */
    char *sender;      /* MAIL FROM address (internal form, "" for <>),
                        * null before MAIL FROM */
    char *recipient;   /* RCPT TO address of the current command */
    char *encoding;    /* BODY=: "7bit", "8bitmime" or null */
    char *verp_delims; /* XVERP delimiters or null */
    char *dsn_envid;   /* ENVID= (xtext-decoded) or null */
    int dsn_ret;       /* RET=FULL/HDRS as DSN_RET_* or 0 */
    int dsn_notify;    /* NOTIFY= of the current RCPT as DSN_NOTIFY_* */
    char *dsn_orcpt;   /* ORCPT= of the current RCPT, "type;addr" */
    int rcpt_count;    /* accepted recipients in this transaction */
    long msg_size;     /* SIZE= from MAIL FROM (0 if not given) */
    long act_size;     /* bytes of content actually received */
    char *etrn_name;   /* ETRN argument while checking ETRN */

    /* Restriction state, kept across the stages of a transaction. */
    SMTPD_DEFER defer_if_reject; /* checks write */
    SMTPD_DEFER defer_if_permit; /* checks write */
    int defer_if_permit_client;  /* checks write: pending from client stage */
    int defer_if_permit_helo;    /* checks write */
    int defer_if_permit_sender;  /* checks write */
    int recursion;               /* checks write: restriction class depth */
    int warn_if_reject;          /* checks write: in warn_if_reject mode */
    VSTRING *expand_buf;         /* checks write: scratch for reply text */
    int access_denied;           /* set by engine when the client check at
                                  * connect time rejected: every command
                                  * but QUIT/RSET/NOOP gets this reply */
    char *access_denied_reply;   /* that reply */

    /*
     * Actions requested by the checks for the current transaction. The
     * engine hands them to cleanup before the message content
     * (REC_TYPE_FILT, REC_TYPE_RDR, REC_TYPE_FLGS, prepended headers) and
     * again, with the BCC recipients and whatever the end-of-data
     * restrictions added, at the start of the extracted segment; it frees
     * them at the end of the transaction.
     * The checks must not write to the cleanup stream themselves.
     */
    int discard;          /* checks write: DISCARD (accept, drop silently) */
    char *saved_filter;   /* checks write: FILTER transport:destination */
    char *saved_redirect; /* checks write: REDIRECT address */
    ARGV *saved_bcc;      /* checks write: BCC addresses (or null) */
    int saved_flags;      /* checks write: CLEANUP_FLAG_HOLD, _DISCARD */
    int saved_delay;      /* checks write: DELAY seconds (0 = none) */
    ARGV *prepend;        /* checks write: PREPEND header lines (or null) */

    /* XCLIENT / XFORWARD. */
    SMTPD_XFORWARD xforward;
    int xclient_allowed;  /* client is in smtpd_authorized_xclient_hosts */
    int xforward_allowed; /* client is in smtpd_authorized_xforward_hosts */

    /* SASL: not implemented yet; always null (a later issue). */
    char *sasl_method;
    char *sasl_username;
    char *sasl_sender;

    /* TLS: not implemented yet; always null (a later issue). */
    void *tls_context;
} SMTPD_STATE;

/* Stand-alone mode test, for checks that must not run there. */
#define SMTPD_STAND_ALONE(state) ((state)->stand_alone)

/* Values of state->where. */
#define SMTPD_AFTER_CONNECT "CONNECT"
#define SMTPD_AFTER_EOM "END-OF-MESSAGE"
#define SMTPD_CMD_HELO "HELO"
#define SMTPD_CMD_EHLO "EHLO"
#define SMTPD_CMD_MAIL "MAIL"
#define SMTPD_CMD_RCPT "RCPT"
#define SMTPD_CMD_DATA "DATA"
#define SMTPD_CMD_BDAT "BDAT"
#define SMTPD_CMD_VRFY "VRFY"
#define SMTPD_CMD_ETRN "ETRN"

/*
 * The name/address for logging: the XFORWARD'ed client when there is one
 * (as Postfix's log lines show the original client), else the client.
 */
#define SMTPD_PROXY_NAMADDR(s) ((s)->xforward.namaddr ? (s)->xforward.namaddr : (s)->namaddr)

/* smtpd_state.c: the engine's life-cycle functions (engine only). */
extern void smtpd_state_init(SMTPD_STATE *state, VSTREAM *stream, const char *service);
extern void smtpd_state_reset(SMTPD_STATE *state);

/* smtpd_peer.c: client name and address (engine only). */
extern void smtpd_peer_init(SMTPD_STATE *state);
extern void smtpd_peer_reset(SMTPD_STATE *state);
extern void smtpd_peer_namaddr(SMTPD_STATE *state);

/* smtpd_xforward.c */
extern void smtpd_xforward_init(SMTPD_STATE *state);
extern void smtpd_xforward_reset(SMTPD_STATE *state);

#endif

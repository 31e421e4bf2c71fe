#ifndef QMGR_H
#define QMGR_H

/*
 * qmgr - the queue manager's in-core structures and the functions that the
 * qmgr modules share.
 *
 * The picture (see README_FILES/SCHEDULER_README):
 *
 *   QMGR_MESSAGE    one queue file in the active queue, with the batch of
 *                   recipients read so far
 *   QMGR_TRANSPORT  one master.cf delivery service ("smtp", "local", ...):
 *                   its destination queues and its jobs
 *   QMGR_QUEUE      one destination (next hop, or recipient@nexthop when
 *                   the transport takes one recipient per delivery) of one
 *                   transport: concurrency window, todo and busy entries
 *   QMGR_JOB        one message within one transport; the scheduler picks
 *                   jobs, and may let a small job preempt a big one
 *   QMGR_PEER       one job's share of one queue
 *   QMGR_ENTRY      one delivery request: up to the transport's recipient
 *                   limit of recipients of one message for one queue
 *
 * Everything runs in one thread on the event loop. Entries move from a
 * queue's todo list to its busy list when handed to a delivery agent, and
 * disappear when the agent answers (or the entry is deferred). When the
 * last entry of a message is gone, qmgr_active_done() decides the fate of
 * the queue file.
 */

#include <sys/time.h>
#include <time.h>

#include "dsn.h"
#include "htable.h"
#include "msg_stats.h"
#include "recipient_list.h"
#include "vstream.h"
#include "vstring.h"

typedef struct QMGR_MESSAGE QMGR_MESSAGE;
typedef struct QMGR_TRANSPORT QMGR_TRANSPORT;
typedef struct QMGR_QUEUE QMGR_QUEUE;
typedef struct QMGR_JOB QMGR_JOB;
typedef struct QMGR_PEER QMGR_PEER;
typedef struct QMGR_ENTRY QMGR_ENTRY;

/*
 * Intrusive doubly linked lists: a list head has prev (last) and next
 * (first); a member has prev and next links inside itself.
 */
#define QMGR_LIST_HEAD(type)                                                                       \
    struct {                                                                                       \
        type *next;                                                                                \
        type *prev;                                                                                \
    }
#define QMGR_LIST_LINK(type)                                                                       \
    struct {                                                                                       \
        type *next;                                                                                \
        type *prev;                                                                                \
    }
#define QMGR_LIST_INIT(head) ((head).next = (head).prev = 0)
#define QMGR_LIST_APPEND(head, obj, link)                                                          \
    do {                                                                                           \
        (obj)->link.next = 0;                                                                      \
        (obj)->link.prev = (head).prev;                                                            \
        if ((head).prev)                                                                           \
            (head).prev->link.next = (obj);                                                        \
        else                                                                                       \
            (head).next = (obj);                                                                   \
        (head).prev = (obj);                                                                       \
    } while (0)
#define QMGR_LIST_PREPEND(head, obj, link)                                                         \
    do {                                                                                           \
        (obj)->link.prev = 0;                                                                      \
        (obj)->link.next = (head).next;                                                            \
        if ((head).next)                                                                           \
            (head).next->link.prev = (obj);                                                        \
        else                                                                                       \
            (head).prev = (obj);                                                                   \
        (head).next = (obj);                                                                       \
    } while (0)
/* Insert obj in front of member "before" (which is on the list). */
#define QMGR_LIST_INSERT_BEFORE(head, before, obj, link)                                           \
    do {                                                                                           \
        (obj)->link.next = (before);                                                               \
        (obj)->link.prev = (before)->link.prev;                                                    \
        if ((before)->link.prev)                                                                   \
            (before)->link.prev->link.next = (obj);                                                \
        else                                                                                       \
            (head).next = (obj);                                                                   \
        (before)->link.prev = (obj);                                                               \
    } while (0)
#define QMGR_LIST_UNLINK(head, obj, link)                                                          \
    do {                                                                                           \
        if ((obj)->link.next)                                                                      \
            (obj)->link.next->link.prev = (obj)->link.prev;                                        \
        else                                                                                       \
            (head).prev = (obj)->link.prev;                                                        \
        if ((obj)->link.prev)                                                                      \
            (obj)->link.prev->link.next = (obj)->link.next;                                        \
        else                                                                                       \
            (head).next = (obj)->link.next;                                                        \
        (obj)->link.next = (obj)->link.prev = 0;                                                   \
    } while (0)

/*
 * Messages.
 */
struct QMGR_MESSAGE {
    int flags;                   /* non-zero: some recipients must be tried again */
    int qflags;                  /* QMGR_SCAN_* and QMGR_FLUSH_* from the scan */
    int tflags;                  /* trace flags (sendmail -v, -bv, DSN success) */
    long tflags_offset;          /* the A trace_flags= record, killed after a report */
    int rflags;                  /* QMGR_READ_FLAG_*, including the C record's flags */
    int refcount;                /* entries (todo and busy) that refer to this message */
    int single_rcpt;             /* VERP: one recipient per delivery */
    struct timeval arrival_time; /* T record */
    time_t create_time;          /* c record or T */
    struct timeval active_time;  /* when it entered the active queue */
    time_t queued_time;          /* the job order key */
    long data_offset;            /* first content record */
    long data_size;              /* content size (C record field 1) */
    long cont_length;            /* message length as logged (C field 5) */
    int rcpt_total;              /* C field 3: recipients at arrival */
    long warn_offset;            /* of the W record, 0 if none */
    time_t warn_time;            /* next delay warning, 0 if none */
    long rcpt_offset;            /* where the next recipient batch starts, 0 = all read */
    int rcpt_unread;             /* estimate of recipients not yet read */
    int rcpt_limit;              /* in-core allowance: the minimum plus its jobs' slots */
    time_t refill_time;          /* last recipient read */
    int refill_wanted;           /* on the refill list */
    QMGR_LIST_LINK(QMGR_MESSAGE) refill_peers;
    char *queue_name;
    char *queue_id;
    char *encoding;
    int smtputf8;
    char *sender;
    char *dsn_envid;
    int dsn_ret;
    char *verp_delims;
    char *filter_xport;
    char *inspect_xport;
    char *redirect_addr;
    char *client_name;
    char *client_addr;
    char *client_port;
    char *client_proto;
    char *client_helo;
    char *sasl_method;
    char *sasl_username;
    char *sasl_sender;
    char *log_ident;
    char *rewrite_context;
    RECIPIENT_LIST rcpt_list; /* the batch in core (u.queue: where each goes) */
    int rcpt_count;           /* in-core recipients not yet disposed of */
    QMGR_LIST_HEAD(QMGR_JOB) job_list;
};

/* Scan and flush flags carried by a message. */
#define QMGR_SCAN_START (1 << 0)   /* start a scan */
#define QMGR_SCAN_ALL (1 << 1)     /* ignore the deferred queue time stamps */
#define QMGR_FLUSH_ONCE (1 << 2)   /* forget dead destinations once (F) */
#define QMGR_FLUSH_DFXP (1 << 3)   /* ignore defer_transports for this message */
#define QMGR_FLUSH_EACH (1 << 4)   /* revive dead queues for this message */
#define QMGR_FORCE_EXPIRE (1 << 5) /* postsuper -e/-f: return to sender now */

/* Reader flags; the low bits come from the C record (cleanup's hints). */
#define QMGR_READ_FLAG_NONE 0
#define QMGR_READ_FLAG_MIXED_RCPT_OTHER (1 << 0) /* recipients mixed with other records */
#define QMGR_READ_FLAG_USER (QMGR_READ_FLAG_MIXED_RCPT_OTHER)
#define QMGR_READ_FLAG_SEEN_ALL_NON_RCPT (1 << 16) /* reader: all envelope info known */
#define QMGR_READ_FLAG_NOTIFY_SUCCESS (1 << 17)    /* some recipient wants NOTIFY=SUCCESS */

/* Result of qmgr_message_alloc() for a file that an agent still has locked. */
#define QMGR_MESSAGE_LOCKED ((QMGR_MESSAGE *)1)

extern int qmgr_message_count;   /* messages in the active queue */
extern int qmgr_recipient_count; /* recipients in core */

extern QMGR_MESSAGE *qmgr_message_alloc(const char *queue_name, const char *queue_id, int qflags,
                                        mode_t mode);
extern QMGR_MESSAGE *qmgr_message_realloc(QMGR_MESSAGE *message);
extern void qmgr_message_refill_request(QMGR_MESSAGE *message);
extern void qmgr_message_refill_pending(void);
extern void qmgr_message_free(QMGR_MESSAGE *message);
extern void qmgr_message_update_warn(QMGR_MESSAGE *message);
extern void qmgr_message_kill_record(QMGR_MESSAGE *message, long offset);
extern int qmgr_message_mark_done(QMGR_MESSAGE *message, long offset);
extern int qmgr_message_rcpt_todo(QMGR_MESSAGE *message, long offset);

/* The resolver that qmgr_message uses (tests substitute their own). */
typedef struct QMGR_RESOLVED {
    VSTRING *transport;
    VSTRING *nexthop;
    VSTRING *recipient;
    int flags;
} QMGR_RESOLVED;

typedef void (*QMGR_RESOLVE_FN)(const char *sender, const char *address, QMGR_RESOLVED *reply);
extern QMGR_RESOLVE_FN qmgr_resolve_fn;
extern void qmgr_resolve_default(const char *sender, const char *address, QMGR_RESOLVED *reply);

#define QMGR_RESOLVE_FLAG_FAIL (1 << 3)   /* resolver could not decide: defer */
#define QMGR_RESOLVE_CLASS_LOCAL (1 << 8) /* the address is local */

/*
 * Transports.
 */
struct QMGR_TRANSPORT {
    int flags;                  /* QMGR_TRANSPORT_STAT_* */
    int pending;                /* connections being set up */
    int busy;                   /* deliveries in progress */
    char *name;                 /* master.cf service name */
    int dest_concurrency_limit; /* per destination */
    int init_dest_concurrency;  /* initial window */
    int recipient_limit;        /* recipients per delivery (_destination_recipient_limit) */
    int process_limit;          /* master.cf maxproc (0 = unlimited) */
    int slot_cost;              /* _delivery_slot_cost */
    int slot_loan;              /* _delivery_slot_loan */
    int slot_loan_factor;       /* 100 - _delivery_slot_discount */
    int min_slots;              /* _minimum_delivery_slots */
    int fail_cohort_limit;      /* _destination_concurrency_failed_cohort_limit */
    int rate_delay;             /* _destination_rate_delay: pause between deliveries */
    int refill_limit;           /* _recipient_refill_limit: refill when this many are done */
    int refill_delay;           /* _recipient_refill_delay: or when the last refill is this old */
    int rcpt_unused;            /* recipient slots in the pool (_recipient_limit); below 0
                                   when preempting jobs borrowed from the extra pool */
    int rcpt_per_stack;         /* _extra_recipient_limit: the extra pool for preemption */
    QMGR_JOB *job_next_unread;  /* first job by arrival whose message is not fully read */
    double pos_feedback;        /* numerator of the positive feedback */
    int pos_per_window;         /* feedback divided by the window */
    double neg_feedback;
    int neg_per_window;
    HTABLE *queue_byname;
    QMGR_LIST_HEAD(QMGR_QUEUE) queue_list; /* round robin order */
    QMGR_LIST_HEAD(QMGR_JOB) job_list;     /* scheduler order */
    QMGR_LIST_HEAD(QMGR_JOB) job_bytime;   /* arrival order */
    int blocker_tag;                       /* bumped when a queue may have become selectable */
    DSN *dsn;                              /* why the transport is suspended */
    QMGR_LIST_LINK(QMGR_TRANSPORT) peers;  /* all transports, round robin */
};

#define QMGR_TRANSPORT_STAT_DEAD (1 << 1)
#define QMGR_TRANSPORT_THROTTLED(t) ((t)->flags & QMGR_TRANSPORT_STAT_DEAD)

/* At most this many connection attempts per transport at a time. */
#define QMGR_TRANSPORT_MAX_PEND 2

typedef void (*QMGR_TRANSPORT_ALLOC_NOTIFY)(QMGR_TRANSPORT *transport, VSTREAM *stream);

extern QMGR_TRANSPORT *qmgr_transport_create(const char *name);
extern QMGR_TRANSPORT *qmgr_transport_find(const char *name);
extern QMGR_TRANSPORT *qmgr_transport_select(void);
extern void qmgr_transport_alloc(QMGR_TRANSPORT *transport, QMGR_TRANSPORT_ALLOC_NOTIFY notify);
extern void qmgr_transport_throttle(QMGR_TRANSPORT *transport, const DSN *dsn);
extern void qmgr_transport_unthrottle(QMGR_TRANSPORT *transport);
extern void qmgr_transport_unavailable(QMGR_TRANSPORT *transport);
extern int qmgr_transport_has_work(QMGR_TRANSPORT *transport);
extern void qmgr_transport_flush_dead(void);
extern int qmgr_transport_count(void);

/* Where a transport's master.cf process limit comes from (tests replace it). */
typedef int (*QMGR_MAXPROC_FN)(const char *transport);
extern QMGR_MAXPROC_FN qmgr_maxproc_fn;
extern int qmgr_maxproc_default(const char *transport);

/*
 * Destination queues and the concurrency window.
 */
struct QMGR_QUEUE {
    int dflags;          /* delivery request flags for this destination */
    char *name;          /* nexthop, or recipient@nexthop */
    char *nexthop;       /* what the delivery agent is told */
    int todo_refcount;   /* entries waiting */
    int busy_refcount;   /* entries being delivered */
    int window;          /* concurrency window; 0 = dead (suspended) */
    double success;      /* positive feedback accumulator */
    double failure;      /* negative feedback accumulator */
    double fail_cohorts; /* failed pseudo-cohorts since the last success */
    QMGR_TRANSPORT *transport;
    QMGR_LIST_HEAD(QMGR_ENTRY) todo;
    QMGR_LIST_HEAD(QMGR_ENTRY) busy;
    QMGR_LIST_LINK(QMGR_QUEUE) peers; /* on the transport's queue list */
    DSN *dsn;                         /* why the destination is dead */
    time_t clog_time_to_warn;
    int blocker_tag;
};

/*
 * Window values below 1 are states: dead (throttled, with a reason), or
 * suspended for the transport's rate delay after a delivery (a suspended
 * queue takes new entries but starts no delivery, and stays in memory even
 * when empty, so that the next message to it waits too).
 */
#define QMGR_QUEUE_STAT_THROTTLED 0
#define QMGR_QUEUE_STAT_SUSPENDED (-1)
#define QMGR_QUEUE_THROTTLED(q) ((q)->window == QMGR_QUEUE_STAT_THROTTLED)
#define QMGR_QUEUE_SUSPENDED(q) ((q)->window == QMGR_QUEUE_STAT_SUSPENDED)
/* May one more delivery start for this destination? */
#define QMGR_QUEUE_READY(q) ((q)->window > (q)->busy_refcount && (q)->todo_refcount > 0)

extern int qmgr_queue_count;

extern QMGR_QUEUE *qmgr_queue_create(QMGR_TRANSPORT *transport, const char *name,
                                     const char *nexthop);
extern QMGR_QUEUE *qmgr_queue_find(QMGR_TRANSPORT *transport, const char *name);
extern void qmgr_queue_done(QMGR_QUEUE *queue);
extern void qmgr_queue_throttle(QMGR_QUEUE *queue, const DSN *dsn);
extern void qmgr_queue_unthrottle(QMGR_QUEUE *queue);
extern void qmgr_queue_success(QMGR_QUEUE *queue);
extern void qmgr_queue_suspend(QMGR_QUEUE *queue, int delay);
extern double qmgr_feedback_amount(double numerator, int per_window, int window);
extern int qmgr_feedback_parse(const char *value, double *numerator, int *per_window);

/*
 * Jobs and peers: the preemptive scheduler.
 */
struct QMGR_JOB {
    QMGR_MESSAGE *message;
    QMGR_TRANSPORT *transport;
    QMGR_LIST_LINK(QMGR_JOB) message_peers;   /* on the message's job list */
    QMGR_LIST_LINK(QMGR_JOB) transport_peers; /* scheduler order */
    QMGR_LIST_LINK(QMGR_JOB) time_peers;      /* arrival order */
    HTABLE *peer_byname;
    QMGR_LIST_HEAD(QMGR_PEER) peer_list;
    QMGR_PEER *peer_next; /* round robin over the job's destinations */
    int entries_todo;     /* entries not yet handed out */
    int entries_busy;     /* entries being delivered */
    int selected_entries; /* entries handed out so far */
    long slots_available; /* credit for letting others preempt, in 1/slot_cost units */
    int rcpt_count;       /* in-core recipients of this job */
    int rcpt_limit;       /* recipient slots borrowed from the transport's pool */
    int blocker_tag;      /* == transport's: known to have nothing selectable */
};

struct QMGR_PEER {
    QMGR_JOB *job;
    QMGR_QUEUE *queue;
    int refcount;                          /* entries, todo and busy */
    QMGR_LIST_HEAD(QMGR_ENTRY) entry_list; /* todo entries, in order */
    QMGR_LIST_LINK(QMGR_PEER) peers;       /* on the job's peer list */
};

extern QMGR_JOB *qmgr_job_obtain(QMGR_MESSAGE *message, QMGR_TRANSPORT *transport);
extern void qmgr_job_free(QMGR_JOB *job);
extern QMGR_ENTRY *qmgr_job_entry_select(QMGR_TRANSPORT *transport);
extern long qmgr_job_entries_left(QMGR_JOB *job);
extern void qmgr_job_move_limits(QMGR_JOB *job);
extern QMGR_PEER *qmgr_peer_obtain(QMGR_JOB *job, QMGR_QUEUE *queue);
extern void qmgr_peer_free(QMGR_PEER *peer);

/*
 * Entries: one delivery request each.
 */
struct QMGR_ENTRY {
    VSTREAM *stream; /* connection to the delivery agent while busy */
    QMGR_MESSAGE *message;
    RECIPIENT_LIST rcpt_list;
    QMGR_QUEUE *queue;
    QMGR_PEER *peer;
    QMGR_LIST_LINK(QMGR_ENTRY) queue_peers; /* on the queue's todo or busy list */
    QMGR_LIST_LINK(QMGR_ENTRY) peer_peers;  /* on the peer's list while todo */
};

#define QMGR_QUEUE_TODO 1
#define QMGR_QUEUE_BUSY 2

extern QMGR_ENTRY *qmgr_entry_create(QMGR_PEER *peer, QMGR_MESSAGE *message);
extern void qmgr_entry_select_mark(QMGR_ENTRY *entry);
extern void qmgr_entry_done(QMGR_ENTRY *entry, int which);
extern void qmgr_entry_refill(QMGR_MESSAGE *message, QMGR_TRANSPORT *transport);

/*
 * Deferral by qmgr itself, and the notices it asks for.
 */
extern void qmgr_defer_recipient(QMGR_MESSAGE *message, RECIPIENT *rcpt, const DSN *dsn);
extern void qmgr_defer_todo(QMGR_QUEUE *queue, const DSN *dsn);
extern void qmgr_defer_transport(QMGR_TRANSPORT *transport, const DSN *dsn);
extern void qmgr_bounce_recipient(QMGR_MESSAGE *message, RECIPIENT *rcpt, const DSN *dsn);

/*
 * The status services (bounce/defer/trace/sent clients). qmgr calls them
 * through this table so that module tests can watch what it asks for.
 */
/* How an asynchronous notice request ends: 0 done, -1 try again later. */
typedef void (*QMGR_NOTIFY_DONE)(int status, QMGR_MESSAGE *message);

typedef struct QMGR_NOTIFY {
    /* Log a recipient as deferred (defer log) or bounced (bounce log). */
    int (*defer_append)(QMGR_MESSAGE *message, RECIPIENT *rcpt, const char *relay, const DSN *dsn);
    int (*bounce_append)(QMGR_MESSAGE *message, RECIPIENT *rcpt, const char *relay, const DSN *dsn);
    /* Log a recipient as delivered (used for the discarded double bounce). */
    int (*sent)(QMGR_MESSAGE *message, RECIPIENT *rcpt, const char *relay, const DSN *dsn);
    /*
     * Turn the bounce log into a notice, the defer log into a bounce or a
     * warning, the trace log into a report. These run asynchronously and
     * call done exactly once (possibly before they return).
     */
    void (*bounce_flush)(QMGR_MESSAGE *message, QMGR_NOTIFY_DONE done);
    void (*defer_flush)(QMGR_MESSAGE *message, QMGR_NOTIFY_DONE done);
    void (*defer_warn)(QMGR_MESSAGE *message, QMGR_NOTIFY_DONE done);
    void (*trace_flush)(QMGR_MESSAGE *message, QMGR_NOTIFY_DONE done);
} QMGR_NOTIFY;

extern QMGR_NOTIFY qmgr_notify;
extern void qmgr_notify_init(void);

/*
 * Queue scans.
 */
typedef struct QMGR_SCAN QMGR_SCAN;

extern QMGR_SCAN *qmgr_scan_create(const char *queue_name);
extern void qmgr_scan_free(QMGR_SCAN *scan);
extern void qmgr_scan_request(QMGR_SCAN *scan, int flags);
extern char *qmgr_scan_next(QMGR_SCAN *scan);
extern const char *qmgr_scan_queue(QMGR_SCAN *scan);
extern int qmgr_scan_flags(QMGR_SCAN *scan);
extern int qmgr_scan_busy(QMGR_SCAN *scan);

/*
 * The active queue.
 */
extern int qmgr_active_feed(QMGR_SCAN *scan, const char *queue_id);
extern void qmgr_active_drain(void);
extern void qmgr_active_done(QMGR_MESSAGE *message);
extern void qmgr_active_recover(void);
extern int qmgr_backoff_delay(time_t now, time_t create_time, int min_backoff, int max_backoff);

/*
 * Delivery.
 */
extern void qmgr_deliver(QMGR_TRANSPORT *transport, VSTREAM *stream);
extern int qmgr_deliver_concurrency;

/* Delivery agent reply status. */
#define QMGR_DELIVER_STAT_OK 0
#define QMGR_DELIVER_STAT_DEFER 1
#define QMGR_DELIVER_STAT_CRASH (-1)

/*
 * Configuration that the modules share (read once in qmgr.c).
 */
extern int qmgr_defer_xport_match(const char *transport);

#endif

#ifndef MAIL_SERVER_H
#define MAIL_SERVER_H

/*
 * mail_server - the skeletons that every daemon is built on.
 *
 * A daemon's main() hands its argument vector, its service function and a
 * list of tagged options to one of:
 *
 *   single_server_main   one client at a time (smtpd, smtp, local, cleanup)
 *   multi_server_main    many clients multiplexed on the event loop
 *                        (trivial-rewrite, proxymap)
 *   event_server_main    fully event-driven clients (tlsmgr-style)
 *   trigger_server_main  one-shot wakeup requests (pickup, qmgr, flush)
 *   dgram_server_main    datagrams on a unix-dgram socket (postlogd)
 *
 * and never gets control back. The options list is a series of tag/value
 * pairs ended by 0, best written with the CA_MAIL_SERVER_* macros, which
 * check the value types at compile time:
 *
 *   single_server_main(argc, argv, my_service,
 *                      CA_MAIL_SERVER_PRE_INIT(my_pre_init),
 *                      CA_MAIL_SERVER_SOLITARY,
 *                      0);
 *
 * The skeleton reads main.cf, applies the -o overrides from master.cf,
 * opens the log, runs pre_init as root, chroots and drops to mail_owner as
 * master.cf says, runs post_init, then serves until max_use clients or
 * max_idle seconds or until the master goes away.
 */

#include <sys/types.h>

#include "vstream.h"

typedef void (*MAIL_SERVER_INIT_FN)(char *service_name, char **argv);
typedef int (*MAIL_SERVER_LOOP_FN)(char *service_name, char **argv);
typedef void (*MAIL_SERVER_EXIT_FN)(char *service_name, char **argv);
typedef void (*MAIL_SERVER_ACCEPT_FN)(char *service_name, char **argv);
typedef void (*MAIL_SERVER_DISCONN_FN)(VSTREAM *stream, char *service_name, char **argv);
typedef void (*MAIL_SERVER_POST_ACCEPT_FN)(VSTREAM *stream, char *service_name, char **argv);

typedef void (*SINGLE_SERVER_FN)(VSTREAM *stream, char *service_name, char **argv);
typedef void (*MULTI_SERVER_FN)(VSTREAM *stream, char *service_name, char **argv);
typedef void (*EVENT_SERVER_FN)(VSTREAM *stream, char *service_name, char **argv);
typedef void (*TRIGGER_SERVER_FN)(char *buf, ssize_t len, char *service_name, char **argv);
typedef void (*DGRAM_SERVER_FN)(char *buf, ssize_t len, char *service_name, char **argv);

/*
 * Tags.
 */
#define MAIL_SERVER_PRE_INIT 1       /* MAIL_SERVER_INIT_FN, as root */
#define MAIL_SERVER_POST_INIT 2      /* MAIL_SERVER_INIT_FN, unprivileged */
#define MAIL_SERVER_LOOP 3           /* MAIL_SERVER_LOOP_FN, before each wait */
#define MAIL_SERVER_EXIT 4           /* MAIL_SERVER_EXIT_FN, before a voluntary exit */
#define MAIL_SERVER_PRE_ACCEPT 5     /* MAIL_SERVER_ACCEPT_FN, before accept() */
#define MAIL_SERVER_PRE_DISCONN 6    /* MAIL_SERVER_DISCONN_FN, multi/event only */
#define MAIL_SERVER_SOLITARY 7       /* no value: master.cf maxproc must be 1 */
#define MAIL_SERVER_UNLIMITED 8      /* no value: master.cf maxproc must be 0 */
#define MAIL_SERVER_PRIVILEGED 9     /* no value: master.cf unpriv must be n */
#define MAIL_SERVER_IN_FLOW_DELAY 10 /* no value: pace clients by flow tokens */
#define MAIL_SERVER_WATCHDOG 11      /* int *: seconds of no progress before abort */
#define MAIL_SERVER_SLOW_EXIT 12     /* MAIL_SERVER_EXIT_FN, multi/event drain */
#define MAIL_SERVER_POST_ACCEPT 13   /* MAIL_SERVER_POST_ACCEPT_FN, new client (multi/event) */

/* Compile-time type checks for the tagged values. */
static inline MAIL_SERVER_INIT_FN mail_server_init_fn(MAIL_SERVER_INIT_FN fn)
{
    return (fn);
}
static inline MAIL_SERVER_LOOP_FN mail_server_loop_fn(MAIL_SERVER_LOOP_FN fn)
{
    return (fn);
}
static inline MAIL_SERVER_EXIT_FN mail_server_exit_fn(MAIL_SERVER_EXIT_FN fn)
{
    return (fn);
}
static inline MAIL_SERVER_ACCEPT_FN mail_server_accept_fn(MAIL_SERVER_ACCEPT_FN fn)
{
    return (fn);
}
static inline MAIL_SERVER_DISCONN_FN mail_server_disconn_fn(MAIL_SERVER_DISCONN_FN fn)
{
    return (fn);
}
static inline MAIL_SERVER_POST_ACCEPT_FN mail_server_post_accept_fn(MAIL_SERVER_POST_ACCEPT_FN fn)
{
    return (fn);
}
static inline int *mail_server_int_ptr(int *p)
{
    return (p);
}

#define CA_MAIL_SERVER_PRE_INIT(v) MAIL_SERVER_PRE_INIT, mail_server_init_fn(v)
#define CA_MAIL_SERVER_POST_INIT(v) MAIL_SERVER_POST_INIT, mail_server_init_fn(v)
#define CA_MAIL_SERVER_LOOP(v) MAIL_SERVER_LOOP, mail_server_loop_fn(v)
#define CA_MAIL_SERVER_EXIT(v) MAIL_SERVER_EXIT, mail_server_exit_fn(v)
#define CA_MAIL_SERVER_PRE_ACCEPT(v) MAIL_SERVER_PRE_ACCEPT, mail_server_accept_fn(v)
#define CA_MAIL_SERVER_PRE_DISCONN(v) MAIL_SERVER_PRE_DISCONN, mail_server_disconn_fn(v)
#define CA_MAIL_SERVER_POST_ACCEPT(v) MAIL_SERVER_POST_ACCEPT, mail_server_post_accept_fn(v)
#define CA_MAIL_SERVER_SOLITARY MAIL_SERVER_SOLITARY
#define CA_MAIL_SERVER_UNLIMITED MAIL_SERVER_UNLIMITED
#define CA_MAIL_SERVER_PRIVILEGED MAIL_SERVER_PRIVILEGED
#define CA_MAIL_SERVER_IN_FLOW_DELAY MAIL_SERVER_IN_FLOW_DELAY
#define CA_MAIL_SERVER_WATCHDOG(v) MAIL_SERVER_WATCHDOG, mail_server_int_ptr(v)
#define CA_MAIL_SERVER_SLOW_EXIT(v) MAIL_SERVER_SLOW_EXIT, mail_server_exit_fn(v)

extern void single_server_main(int argc, char **argv, SINGLE_SERVER_FN service, ...)
    __attribute__((noreturn));
extern void multi_server_main(int argc, char **argv, MULTI_SERVER_FN service, ...)
    __attribute__((noreturn));
extern void event_server_main(int argc, char **argv, EVENT_SERVER_FN service, ...)
    __attribute__((noreturn));
extern void trigger_server_main(int argc, char **argv, TRIGGER_SERVER_FN service, ...)
    __attribute__((noreturn));
extern void dgram_server_main(int argc, char **argv, DGRAM_SERVER_FN service, ...)
    __attribute__((noreturn));

/*
 * Multi and event servers: the service keeps the client stream; it calls
 * *_disconnect() when done with it. *_drain() makes the process stop
 * accepting and exit once its clients are gone (0 on success).
 */
extern void multi_server_disconnect(VSTREAM *stream);
extern int multi_server_drain(void);
extern void event_server_disconnect(VSTREAM *stream);
extern int event_server_drain(void);

#endif

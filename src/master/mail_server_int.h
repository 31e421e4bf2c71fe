#ifndef MAIL_SERVER_INT_H
#define MAIL_SERVER_INT_H

/* mail_server_int - what the five skeletons share (not for daemons) */

#include <stdarg.h>

#include "mail_server.h"

typedef struct MAIL_SERVER {
    const char *kind;    /* "single_server", ... for messages */
    char *service_name;  /* -n, else the program name */
    char *transport;     /* -t */
    char **argv;         /* arguments after the options */
    int socket_count;    /* -s */
    int solitary;        /* -l: master.cf maxproc is 1 */
    int unlimited;       /* -z: master.cf maxproc is 0 */
    int unprivileged;    /* -u: drop to mail_owner */
    int chroot;          /* -c: chroot to queue_directory */
    int daemon_mode;     /* cleared by -d (run from a terminal) */
    int debug_me;        /* -D: run debugger_command */
    int stand_alone;     /* -S: serve standard input once */
    int log_stderr;      /* -V: also log to standard error */
    int retire_time;     /* -r: exit after this many seconds */
    unsigned generation; /* from the environment */
    MAIL_SERVER_INIT_FN pre_init;
    MAIL_SERVER_INIT_FN post_init;
    MAIL_SERVER_LOOP_FN loop;
    MAIL_SERVER_EXIT_FN on_exit;
    MAIL_SERVER_EXIT_FN slow_exit;
    MAIL_SERVER_ACCEPT_FN pre_accept;
    MAIL_SERVER_DISCONN_FN pre_disconn;
    MAIL_SERVER_POST_ACCEPT_FN post_accept; /* e.g. a protocol announcement */
    int in_flow_delay;                      /* pace clients by flow tokens */
    int watchdog;                           /* seconds, 0 = none */
    int need_solitary;
    int need_unlimited;
    int need_privileged;
    int use_count; /* clients served */
} MAIL_SERVER;

#define MAIL_SERVER_OPTS_STREAM "+cdDi:lm:n:o:r:s:St:uvVz"
#define MAIL_SERVER_OPTS_TRIGGER "+cdDi:lm:n:o:s:t:uvVz"

extern void mail_server_init(MAIL_SERVER *ms, const char *kind, const char *opts, int argc,
                             char **argv, va_list ap);
extern void mail_server_drop_privileges(MAIL_SERVER *ms);
extern void mail_server_exit(MAIL_SERVER *ms) __attribute__((noreturn));
extern void mail_server_watch_master(MAIL_SERVER *ms, void (*abort_fn)(int, void *));
extern int mail_server_notify(MAIL_SERVER *ms, int status);
extern void mail_server_listen_all(MAIL_SERVER *ms, void (*fn)(int, void *));
extern void mail_server_unlisten_all(MAIL_SERVER *ms);
extern void mail_server_run(MAIL_SERVER *ms) __attribute__((noreturn));
extern int mail_server_accept(MAIL_SERVER *ms, int listen_fd);
extern void mail_server_idle_timer(MAIL_SERVER *ms, void (*fn)(int, void *), int on);
extern void mail_server_flow_delay(MAIL_SERVER *ms);
extern void mail_server_close_inherited(MAIL_SERVER *ms);
/* Fatal unless -t names one of these (null-terminated); -S needs none. */
extern void mail_server_need_transport(MAIL_SERVER *ms, ...);

/* mail_server_clients.c: clients of event_server and multi_server. */
typedef void (*MAIL_SERVER_WAKEUP_FN)(int fd); /* serve a client just accepted */
extern void mail_server_clients_run(MAIL_SERVER *ms, MAIL_SERVER_WAKEUP_FN wakeup,
                                    MAIL_SERVER_WAKEUP_FN stand_alone) __attribute__((noreturn));
extern void mail_server_clients_disconnect(VSTREAM *stream);
extern int mail_server_clients_drain(void);

#endif

#ifndef MASTER_H
#define MASTER_H

/* master - internal interfaces of the master daemon */

#include <sys/types.h>
#include <time.h>

#include "argv.h"

/*
 * One service: a master.cf entry with its listeners, its status channel and
 * its process accounting.
 */
typedef struct MASTER_SERV {
    int flags;             /* MASTER_FLAG_* */
    char *ext_name;        /* service name as written in master.cf */
    char *name;            /* endpoint: queue-relative path, or host:port */
    int type;              /* MASTER_SERV_TYPE_* */
    int wakeup_time;       /* seconds between wakeups, 0 = none */
    ARGV *listen_addrs;    /* inet: one "addr:port" per listener */
    int *listen_fds;       /* listeners, -1 while closed */
    int listen_fd_count;   /* number of listeners */
    int max_proc;          /* process limit, 0 = unlimited */
    char *path;            /* absolute command path */
    ARGV *args;            /* argument vector for exec */
    char *conf_key;        /* everything that forces a restart on change */
    int avail_proc;        /* idle processes */
    int total_proc;        /* all processes */
    int throttle_delay;    /* seconds to wait after a bad start */
    int status_fd[2];      /* status socket pair: master end, child end */
    time_t busy_warn_time; /* last "reached its process limit" warning */
    time_t stress_until;   /* pass "-o stress=yes" until then (inet) */
    struct MASTER_SERV *next;
} MASTER_SERV;

#define MASTER_FLAG_THROTTLE (1 << 0)   /* start-up is failing: wait */
#define MASTER_FLAG_MARK (1 << 1)       /* seen in the new configuration */
#define MASTER_FLAG_CONDWAKE (1 << 2)   /* wake up only once used */
#define MASTER_FLAG_INETHOST (1 << 3)   /* inet service with explicit host */
#define MASTER_FLAG_LOCAL_ONLY (1 << 4) /* loopback-only inet listener */
#define MASTER_FLAG_LISTEN (1 << 5)     /* master watches the listeners */
#define MASTER_FLAG_WAKEUP (1 << 6)     /* the wakeup timer runs */
#define MASTER_FLAG_FULL (1 << 7)       /* watching only to warn about limit */

#define MASTER_SERV_TYPE_UNIX 1
#define MASTER_SERV_TYPE_INET 2
#define MASTER_SERV_TYPE_FIFO 3
#define MASTER_SERV_TYPE_PASS 4
#define MASTER_SERV_TYPE_UXDG 5

#define MASTER_THROTTLED(s) ((s)->flags & MASTER_FLAG_THROTTLE)
#define MASTER_LIMIT_OK(limit, count) ((limit) == 0 || (count) < (limit))

/*
 * One child process.
 */
typedef struct MASTER_PROC {
    MASTER_SERV *serv; /* null once the service is gone */
    pid_t pid;
    unsigned gen;  /* generation handed to the child */
    int avail;     /* MASTER_STAT_* as last reported */
    int use_count; /* clients served, as far as we know */
} MASTER_PROC;

/*
 * master.c: options that change how services are started.
 */
extern int master_detach;    /* 0 with -d: children get -d too */
extern int master_init_mode; /* -i: reap orphans as PID 1 */

/*
 * master_ent.c: read master.cf into a list of services.
 */
extern MASTER_SERV *master_ent_load(const char *path, int fatal_errors);
extern void master_ent_free(MASTER_SERV *serv);
extern void master_ent_free_list(MASTER_SERV *head);

/*
 * master_conf.c: start, reload and stop the service table.
 */
extern MASTER_SERV *master_head;
extern void master_config(void);
extern int master_refresh(void);
extern void master_stop_all(void);

/*
 * master_listen.c
 */
extern int master_listen_init(MASTER_SERV *serv);
extern void master_listen_cleanup(MASTER_SERV *serv);

/*
 * master_status.c, master_avail.c
 */
extern void master_status_init(MASTER_SERV *serv);
extern void master_status_cleanup(MASTER_SERV *serv);
extern void master_avail_listen(MASTER_SERV *serv);
extern void master_avail_cleanup(MASTER_SERV *serv);
extern void master_avail_more(MASTER_SERV *serv, MASTER_PROC *proc);
extern void master_avail_less(MASTER_SERV *serv, MASTER_PROC *proc);

/*
 * master_spawn.c
 */
extern void master_spawn(MASTER_SERV *serv);
extern void master_reap_child(void);
extern void master_delete_children(MASTER_SERV *serv);
extern void master_detach_children(MASTER_SERV *serv);
extern void master_kill_all(int sig);
extern MASTER_PROC *master_proc_find(pid_t pid);
extern void master_throttle(MASTER_SERV *serv);
extern void master_throttle_cleanup(MASTER_SERV *serv);
extern int master_child_count(void);

/*
 * master_wakeup.c
 */
extern void master_wakeup_init(MASTER_SERV *serv);
extern void master_wakeup_cleanup(MASTER_SERV *serv);
extern void master_wakeup_used(MASTER_SERV *serv);

/*
 * master_sig.c
 */
extern void master_sig_init(void);

/*
 * master_flow.c
 */
extern void master_flow_init(void);
extern int master_flow_pipe[2];

#endif

#ifndef MASTER_PROTO_H
#define MASTER_PROTO_H

/* master_proto - what the master and its children agree on */

/*
 * Transport names, as in the second master.cf column and the child's -t.
 */
#define MASTER_XPORT_NAME_UNIX "unix"
#define MASTER_XPORT_NAME_UXDG "unix-dgram"
#define MASTER_XPORT_NAME_FIFO "fifo"
#define MASTER_XPORT_NAME_INET "inet"
#define MASTER_XPORT_NAME_PASS "pass"

/*
 * Descriptors that a child finds open when it starts. 3 and 4 are the two
 * ends of the mail flow-control pipe, 5 is the status channel to the master
 * (a socket pair: EOF on it means the master went away or dropped the
 * service), and the listeners start at 6.
 */
#define MASTER_FLOW_READ 3
#define MASTER_FLOW_WRITE 4
#define MASTER_STATUS_FD 5
#define MASTER_LISTEN_FD 6

/*
 * The environment variable with the process generation (octal). The master
 * ignores status reports whose generation does not match the child it
 * started, so a confused or lying child cannot skew another's accounting.
 */
#define MASTER_GEN_NAME "GENERATION"

/*
 * A status report. It is sent in native byte order because both ends run
 * on the same host from the same build.
 */
typedef struct MASTER_STATUS {
    int pid;      /* the child's process id */
    unsigned gen; /* the child's generation */
    int avail;    /* MASTER_STAT_TAKEN or MASTER_STAT_AVAIL */
} MASTER_STATUS;

#define MASTER_STAT_TAKEN 0 /* busy with a client */
#define MASTER_STAT_AVAIL 1 /* idle, waiting for a client */

extern int master_notify(int pid, unsigned generation, int status);

#endif

#ifndef PIPE_COMMAND_H
#define PIPE_COMMAND_H

/*
 * pipe_command - deliver a queued message to an external command, as
 * local(8) (|command, mailbox_command) and pipe(8) do.
 */

#include <sys/types.h>

#include "dsn_buf.h"
#include "vstream.h"

typedef struct PIPE_CMD {
    const char *command;    /* command line, or null when argv is given */
    char **argv;            /* argument vector (no shell), or null */
    uid_t uid;              /* run as this user (must not be 0) */
    gid_t gid;              /* and group (the only group) */
    char **env;             /* "NAME=value" settings, null-terminated, or null */
    char **export_env;      /* names kept from our environment, or null */
    const char *shell;      /* local_command_shell ("/path/sh -c"), or null/"" */
    const char *cwd;        /* working directory, or null: stay where we are */
    const char *chroot_dir; /* change root first (pipe(8) chroot=), or null */
    int time_limit;         /* seconds before the command is killed; 0 = none */
    /* What goes to the command's standard input (see mail_copy.h). */
    const char *sender;
    const char *orig_rcpt;
    const char *delivered;
    VSTREAM *src;    /* queue file */
    off_t offset;    /* message content offset */
    int copy_flags;  /* MAIL_COPY_* */
    const char *eol; /* line ending */
} PIPE_CMD;

/* Outcomes. */
#define PIPE_STAT_OK 0      /* delivered */
#define PIPE_STAT_DEFER 1   /* try again later (why: 4.x.x) */
#define PIPE_STAT_BOUNCE 2  /* give up (why: 5.x.x) */
#define PIPE_STAT_CORRUPT 3 /* the queue file is damaged */

/*
 * pipe_command - run the command with the message on its standard input,
 * collect a limited amount of its output, and map its exit status through
 * sysexits.h: 0 is success, EX_TEMPFAIL and the like defer, other codes
 * bounce, output that starts with an enhanced status code overrides that.
 * On success why's reason holds the command's (cleaned) output.
 * why gets the status and reason ("Command died with status 1: \"cmd\".
 * Command output: ...", "Command time limit exceeded: \"cmd\"", ...).
 */
extern int pipe_command(const PIPE_CMD *cmd, DSN_BUF *why);

/* pipe_command_needs_shell - 1 when the command line needs /bin/sh. */
extern int pipe_command_needs_shell(const char *command);

/* pipe_command_status - the outcome for a wait() status and output (tests). */
extern int pipe_command_status(int wait_status, int timed_out, const char *command,
                               const char *output, DSN_BUF *why);

#endif

/*
 * smtp-sink - a parallel SMTP/LMTP test server that accepts mail and throws
 * it away (or captures it to files), for measuring clients.
 *
 * One process serves every session from one event loop (events.h): the
 * listening sockets accept while fewer than -m sessions are open, and each
 * session is a small state machine over a non-blocking socket with its own
 * bounded input buffer and an output buffer. All complete command lines that
 * a client has sent are answered in order and the replies go out in one
 * write, which is what makes command pipelining cheap. A session whose
 * replies cannot be written stops reading until they can, so a client that
 * never reads cannot make the server buffer without bound.
 *
 * Per-command behaviour comes from the -f/-r/-q/-Q/-s/-W options, kept in
 * one command table. Delayed replies (-w, -W), the delayed first data read
 * (-H) and the premature abort (-A) pause a session with a timer; a single
 * once-a-second sweep enforces the -t idle limit so that busy sessions do
 * not have to move a timer on every command. Capture files are handled by
 * sink_dump.c.
 *
 * Errors in the command line are fatal. Errors of one session (timeouts,
 * resets, garbage, overlong command lines) end that session only.
 */

#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "argv.h"
#include "events.h"
#include "iostuff.h"
#include "listen.h"
#include "msg.h"
#include "myaddrinfo.h"
#include "mymalloc.h"
#include "sane_accept.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#include "sink_dump.h"
#include "stone_date.h"

/*
 * Per-command policy, from the command-line options.
 */
#define SINK_POL_HARD 0x01 /* -f: reject with the hard reply */
#define SINK_POL_SOFT 0x02 /* -r: reject with the soft reply */
#define SINK_POL_DROP 0x04 /* -q: disconnect without reply */
#define SINK_POL_421 0x08  /* -Q: reply 421 and disconnect */
#define SINK_POL_LOG 0x10  /* -s: send the command to syslog */

typedef struct SINK_SESS SINK_SESS;

typedef struct SINK_CMD {
    const char *name; /* lower case, as given to the options */
    void (*action)(SINK_SESS *, const char *);
    int *enabled; /* null: always recognized */
    int policy;   /* SINK_POL_* */
    int delay;    /* seconds before the reply */
    int odds;     /* 0: fixed delay; else random multiple */
} SINK_CMD;

/*
 * Session state.
 */
#define SINK_RBUF_SIZE 16384 /* input buffer */
#define SINK_LINE_LIMIT 2046 /* longest command line, without CRLF */
#define SINK_WBUF_HIGH 65536 /* stop answering until replies drain */

#define SINK_AFTER_RESUME 0 /* pause ends: send the reply, go on */
#define SINK_AFTER_ABORT 1  /* pause ends: 550 and hang up (-A) */

struct SINK_SESS {
    int fd;
    char addr[80];             /* client address for the dump headers */
    char rbuf[SINK_RBUF_SIZE]; /* input not yet processed */
    size_t rpos;               /* first unprocessed byte */
    size_t rlen;               /* bytes in rbuf */
    VSTRING *wbuf;             /* replies not yet written */
    size_t wpos;               /* first unwritten byte */
    int mask;                  /* events currently enabled */
    int in_data;               /* inside DATA */
    int data_bol;              /* DATA input is at the start of a line */
    int closing;               /* hang up once the replies are out */
    int paused;                /* waiting for a timer; do not process input */
    int after_pause;           /* SINK_AFTER_* */
    int next_pause;            /* -A/-H delay to start once DATA is answered */
    int next_after;            /* SINK_AFTER_* for next_pause */
    VSTRING *held_reply;       /* reply to send when the pause ends */
    int mail_seen;             /* MAIL accepted */
    int rcpt_count;            /* RCPT accepted in this transaction */
    const char *proto;         /* SMTP, ESMTP or LMTP */
    VSTRING *helo_args;        /* null until HELO/EHLO/LHLO */
    VSTRING *mail_args;
    ARGV *rcpt_args;
    SINK_DUMP *dump; /* capture of the message in progress */
    time_t deadline; /* idle limit */
    SINK_SESS *prev;
    SINK_SESS *next;
};

/*
 * Options.
 */
static char *var_hostname = "smtp-sink";
static int var_esmtp = 1;
static int var_8bitmime = 1;
static int var_auth = 1;
static int var_xclient = 1;
static int var_xforward = 1;
static int var_enhanced = 1;
static int var_dsn = 1;
static int var_pipelining = 1;
static int var_lmtp = 0;
static int var_smtp = 1; /* HELO recognized: not in LMTP mode */
static int var_ehlo = 1; /* EHLO recognized: SMTP with ESMTP */
static int var_pix = 0;
static int var_count = 0;
static int var_abort_delay = -1;
static int var_data_read_delay = 0;
static int var_max_sessions = 256;
static int var_message_limit = 0;
static int var_session_limit = 0;
static int var_timeout = 100;
static int var_window = 0;
static char *var_soft_reply = "450 4.3.0 Error: command failed";
static char *var_hard_reply = "500 5.3.0 Error: command failed";
static char *var_dump_single;
static char *var_dump_append;
static char *var_start_string;
static size_t var_start_len;

/*
 * Run-time state.
 */
static SINK_SESS sink_sessions = {.prev = &sink_sessions, .next = &sink_sessions};
static int sink_open_count; /* sessions in progress */
static int sink_sess_count; /* sessions ended */
static int sink_quit_count; /* QUIT commands */
static int sink_mesg_count; /* messages received */
static int sink_listen_fds[2];
static int sink_listen_count;
static int sink_accepting;

static void sink_helo(SINK_SESS *, const char *);
static void sink_ehlo(SINK_SESS *, const char *);
static void sink_ok(SINK_SESS *, const char *);
static void sink_mail(SINK_SESS *, const char *);
static void sink_rcpt(SINK_SESS *, const char *);
static void sink_data(SINK_SESS *, const char *);
static void sink_dot(SINK_SESS *, const char *);
static void sink_rset(SINK_SESS *, const char *);
static void sink_quit(SINK_SESS *, const char *);

static SINK_CMD sink_cmds[] = {
    {"connect", 0, 0, 0, 0, 0},
    {"helo", sink_helo, &var_smtp, 0, 0, 0},
    {"ehlo", sink_ehlo, &var_ehlo, 0, 0, 0},
    {"lhlo", sink_ehlo, &var_lmtp, 0, 0, 0},
    {"xclient", sink_ok, &var_xclient, 0, 0, 0},
    {"xforward", sink_ok, &var_xforward, 0, 0, 0},
    {"auth", sink_ok, 0, 0, 0, 0},
    {"mail", sink_mail, 0, 0, 0, 0},
    {"rcpt", sink_rcpt, 0, 0, 0, 0},
    {"data", sink_data, 0, 0, 0, 0},
    {".", sink_dot, 0, 0, 0, 0},
    {"rset", sink_rset, 0, 0, 0, 0},
    {"noop", sink_ok, 0, 0, 0, 0},
    {"vrfy", sink_ok, 0, 0, 0, 0},
    {"quit", sink_quit, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0},
};

#define SINK_CMD_CONNECT (sink_cmds + 0)
#define SINK_CMD_DATA (sink_cmds + 9)
#define SINK_CMD_DOT (sink_cmds + 10)

static void sink_event(int event, void *context);
static void sink_process(SINK_SESS *sess);

/* sink_cmd_find - command table entry by name, or null */
static SINK_CMD *sink_cmd_find(const char *name, size_t len)
{
    SINK_CMD *cmd;

    for (cmd = sink_cmds; cmd->name; cmd++)
        if (strlen(cmd->name) == len && strncasecmp(cmd->name, name, len) == 0)
            return (cmd);
    return (0);
}

/* sink_cmd_policy - add a policy flag to each command in a list */
static void sink_cmd_policy(const char *list, int flag)
{
    ARGV *names = argv_split(list, ", \t\r\n");
    SINK_CMD *cmd;
    int i;

    for (i = 0; i < names->argc; i++) {
        if ((cmd = sink_cmd_find(names->argv[i], strlen(names->argv[i]))) == 0)
            msg_fatal("unknown command: %s", names->argv[i]);
        cmd->policy |= flag;
    }
    argv_free(names);
}

/* sink_int_arg - numeric option value, or -1 when it is not one */
static int sink_int_arg(const char *value, int min)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(value, &end, 10);
    if (*value == 0 || *end != 0 || errno != 0 || n < min || n > 0x7fffffff)
        return (-1);
    return ((int)n);
}

/* sink_int_opt - numeric option value, or fatal with the option's own complaint */
static int sink_int_opt(const char *what, const char *value, int min)
{
    int n;

    if ((n = sink_int_arg(value, min)) < 0)
        msg_fatal("bad %s: %s", what, value);
    return (n);
}

/* sink_cmd_delay - parse -W command:delay[:odds] */
static void sink_cmd_delay(const char *arg)
{
    char *copy = mystrdup(arg);
    char *delay;
    char *odds;
    SINK_CMD *cmd;

    if ((delay = split_at(copy, ':')) == 0 || *delay == 0)
        msg_fatal("invalid command delay argument: %s", arg);
    odds = split_at(delay, ':');
    if ((cmd = sink_cmd_find(copy, strlen(copy))) == 0)
        msg_fatal("unknown command: %s", copy);
    if (!alldig(delay) || (odds && (!alldig(odds) || atoi(odds) < 1 || atoi(odds) > 99)))
        msg_fatal("invalid command delay argument: %s", arg);
    cmd->delay = atoi(delay);
    cmd->odds = odds ? atoi(odds) : 0;
    myfree(copy);
}

/* sink_cmd_wait - the delay for one use of a command */
static int sink_cmd_wait(const SINK_CMD *cmd)
{
    int rolls = 0;

    if (cmd->odds == 0)
        return (cmd->delay);
    while (random() % 100 < cmd->odds)
        rolls++;
    return (cmd->delay * rolls);
}

/* sink_counters - the -c progress line */
static void sink_counters(void)
{
    if (var_count) {
        vstream_fprintf(VSTREAM_OUT, "sess=%d quit=%d mesg=%d\r", sink_sess_count, sink_quit_count,
                        sink_mesg_count);
        vstream_fflush(VSTREAM_OUT);
    }
}

/* sink_reply - queue one reply line */
static void sink_reply(SINK_SESS *sess, const char *text)
{
    VSTRING *out = sess->paused ? sess->held_reply : sess->wbuf;

    vstring_strcat(out, text);
    vstring_strcat(out, "\r\n");
}

/* sink_set_events - enable exactly the events the session needs now */
static void sink_set_events(SINK_SESS *sess)
{
    int want;

    if (VSTRING_LEN(sess->wbuf) > sess->wpos)
        want = EVENT_WRITE;
    else if (sess->closing || sess->paused)
        want = 0;
    else
        want = EVENT_READ;
    if (want == sess->mask)
        return;
    if (sess->mask)
        event_disable_readwrite(sess->fd);
    if (want == EVENT_READ)
        event_enable_read(sess->fd, sink_event, sess);
    else if (want == EVENT_WRITE)
        event_enable_write(sess->fd, sink_event, sess);
    sess->mask = want;
}

static void sink_listen_enable(int on);

/* sink_sess_free - end a session and account for it */
static void sink_sess_free(SINK_SESS *sess)
{
    if (msg_verbose)
        msg_info("disconnect");
    event_cancel_timer(sink_event, sess);
    if (sess->mask)
        event_disable_readwrite(sess->fd);
    if (close(sess->fd) < 0)
        msg_warn("close: %m");
    if (sess->dump)
        sink_dump_discard(sess->dump);
    sess->prev->next = sess->next;
    sess->next->prev = sess->prev;
    vstring_free(sess->wbuf);
    vstring_free(sess->held_reply);
    if (sess->helo_args)
        vstring_free(sess->helo_args);
    vstring_free(sess->mail_args);
    argv_free(sess->rcpt_args);
    myfree(sess);
    sink_open_count--;
    sink_sess_count++;
    sink_counters();
    if (var_session_limit > 0 && sink_sess_count >= var_session_limit)
        exit(0);
    if (!sink_accepting)
        sink_listen_enable(1);
}

/* sink_flush - write queued replies; returns 0, or -1 when the session is gone */
static int sink_flush(SINK_SESS *sess)
{
    ssize_t n;
    size_t len = VSTRING_LEN(sess->wbuf) - sess->wpos;

    if (len > 0) {
        n = write(sess->fd, vstring_str(sess->wbuf) + sess->wpos, len);
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
            if (msg_verbose)
                msg_info("write: %m");
            sink_sess_free(sess);
            return (-1);
        }
        if (n > 0) {
            sess->wpos += n;
            sess->deadline = event_time() + var_timeout;
        }
        if (sess->wpos == VSTRING_LEN(sess->wbuf)) {
            VSTRING_RESET(sess->wbuf);
            sess->wpos = 0;
        }
    }
    if (sess->closing && VSTRING_LEN(sess->wbuf) == 0) {
        sink_sess_free(sess);
        return (-1);
    }
    sink_set_events(sess);
    return (0);
}

/* sink_txn_reset - forget the mail transaction */
static void sink_txn_reset(SINK_SESS *sess)
{
    sess->mail_seen = 0;
    sess->rcpt_count = 0;
    VSTRING_RESET(sess->mail_args);
    argv_truncate(sess->rcpt_args, 0);
}

/* sink_args_after_colon - the text after "FROM:" or "TO:", or "" */
static const char *sink_args_after_colon(const char *args)
{
    const char *colon = strchr(args, ':');

    return (colon ? skipblanks(colon + 1) : "");
}

/* sink_helo - HELO: plain SMTP greeting */
static void sink_helo(SINK_SESS *sess, const char *args)
{
    char buf[300];

    sink_txn_reset(sess);
    if (sess->helo_args == 0)
        sess->helo_args = vstring_alloc(32);
    vstring_strcpy(sess->helo_args, args);
    sess->proto = "SMTP";
    snprintf(buf, sizeof(buf), "250 %s", var_hostname);
    sink_reply(sess, buf);
}

/* sink_ehlo - EHLO and LHLO: greeting with the extension list */
static void sink_ehlo(SINK_SESS *sess, const char *args)
{
    char buf[300];

    sink_txn_reset(sess);
    if (sess->helo_args == 0)
        sess->helo_args = vstring_alloc(32);
    vstring_strcpy(sess->helo_args, args);
    sess->proto = var_lmtp ? "LMTP" : "ESMTP";
    snprintf(buf, sizeof(buf), "250-%s", var_hostname);
    sink_reply(sess, buf);
    if (var_pipelining)
        sink_reply(sess, "250-PIPELINING");
    if (var_8bitmime)
        sink_reply(sess, "250-8BITMIME");
    if (var_auth)
        sink_reply(sess, "250-AUTH PLAIN LOGIN");
    if (var_xclient)
        sink_reply(sess, "250-XCLIENT NAME HELO");
    if (var_xforward)
        sink_reply(sess, "250-XFORWARD NAME ADDR PROTO HELO");
    if (var_enhanced)
        sink_reply(sess, "250-ENHANCEDSTATUSCODES");
    if (var_dsn)
        sink_reply(sess, "250-DSN");
    /* The list always ends with an empty last line, as the original does. */
    sink_reply(sess, "250 ");
}

/* sink_ok - commands that are accepted and otherwise ignored */
static void sink_ok(SINK_SESS *sess, const char *args)
{
    sink_reply(sess, "250 2.0.0 Ok");
}

/* sink_mail - MAIL FROM */
static void sink_mail(SINK_SESS *sess, const char *args)
{
    if (sess->mail_seen) {
        sink_reply(sess, "503 5.5.1 Error: nested MAIL command");
        return;
    }
    sess->mail_seen = 1;
    vstring_strcpy(sess->mail_args, sink_args_after_colon(args));
    sink_reply(sess, "250 2.1.0 Ok");
}

/* sink_rcpt - RCPT TO */
static void sink_rcpt(SINK_SESS *sess, const char *args)
{
    if (!sess->mail_seen) {
        sink_reply(sess, "503 5.5.1 Error: need MAIL command");
        return;
    }
    sess->rcpt_count++;
    if (var_dump_single || var_dump_append)
        argv_add(sess->rcpt_args, sink_args_after_colon(args), (char *)0);
    sink_reply(sess, "250 2.1.5 Ok");
}

/* sink_dump_start - open the capture file and write the generated headers */
static void sink_dump_start(SINK_SESS *sess)
{
    VSTRING *hdr = vstring_alloc(512);
    int i;

    if (var_dump_single)
        sess->dump = sink_dump_open(var_dump_single, SINK_DUMP_SINGLE);
    else
        sess->dump = sink_dump_open(var_dump_append, SINK_DUMP_APPEND);
    if (sess->dump == 0) {
        vstring_free(hdr);
        return;
    }
    if (var_start_string)
        sink_dump_write(sess->dump, var_start_string, var_start_len);
    vstring_sprintf(hdr, "X-Client-Addr: %s\nX-Client-Proto: %s\n", sess->addr, sess->proto);
    if (sess->helo_args)
        vstring_sprintf_append(hdr, "X-Helo-Args: %s\n", vstring_str(sess->helo_args));
    vstring_sprintf_append(hdr, "X-Mail-Args: %s\n", vstring_str(sess->mail_args));
    for (i = 0; i < sess->rcpt_args->argc; i++)
        vstring_sprintf_append(hdr, "X-Rcpt-Args: %s\n", sess->rcpt_args->argv[i]);
    /* Without HELO the Received: header names the client by its address. */
    vstring_strcat(hdr, "Received: from ");
    if (sess->helo_args)
        vstring_strcat(hdr, vstring_str(sess->helo_args));
    else
        vstring_sprintf_append(hdr, "[%s]", sess->addr);
    vstring_sprintf_append(hdr, " ([%s])\n\tby %s (smtp-sink) with %s id %s;\n\t%s\n", sess->addr,
                           var_hostname, sess->proto, sink_dump_id(sess->dump),
                           stone_date(event_time()));
    sink_dump_write(sess->dump, vstring_str(hdr), VSTRING_LEN(hdr));
    vstring_free(hdr);
}

/* sink_pause - stop processing input for a while */
static void sink_pause(SINK_SESS *sess, int seconds, int after)
{
    sess->paused = 1;
    sess->after_pause = after;
    event_request_timer(sink_event, sess, seconds);
}

/* sink_data - DATA */
static void sink_data(SINK_SESS *sess, const char *args)
{
    if (sess->rcpt_count == 0) {
        sink_reply(sess, "503 5.5.1 Error: need RCPT command");
        return;
    }
    sink_reply(sess, "354 End data with <CR><LF>.<CR><LF>");
    sess->in_data = 1;
    sess->data_bol = 1;
    if (var_dump_single || var_dump_append)
        sink_dump_start(sess);
    if (var_abort_delay == 0) {
        sink_reply(sess, "550 This violates SMTP");
        sess->closing = 1;
    } else if (var_abort_delay > 0) {
        sess->next_pause = var_abort_delay;
        sess->next_after = SINK_AFTER_ABORT;
    } else if (var_data_read_delay > 0) {
        sess->next_pause = var_data_read_delay;
        sess->next_after = SINK_AFTER_RESUME;
    }
}

/* sink_next_pause - start the -A or -H pause that DATA asked for */
static void sink_next_pause(SINK_SESS *sess)
{
    if (!sess->paused && !sess->closing && sess->next_pause > 0) {
        sink_pause(sess, sess->next_pause, sess->next_after);
        sess->next_pause = 0;
    }
}

/* sink_data_end - account for a received message and finish its capture */
static void sink_data_end(SINK_SESS *sess)
{
    sess->in_data = 0;
    sink_mesg_count++;
    sink_counters();
    if (sess->dump) {
        sink_dump_write(sess->dump, "\n", 1);
        sink_dump_close(sess->dump);
        sess->dump = 0;
    }
    sink_txn_reset(sess);
}

/* sink_dot - end of message, or a stray "." outside DATA */
static void sink_dot(SINK_SESS *sess, const char *args)
{
    int replies = 1;

    if (sess->in_data) {
        if (var_lmtp)
            replies = sess->rcpt_count;
        sink_data_end(sess);
    }
    while (replies-- > 0)
        sink_reply(sess, var_lmtp ? "250 2.2.0 Ok" : "250 2.0.0 Ok");
}

/* sink_rset - RSET */
static void sink_rset(SINK_SESS *sess, const char *args)
{
    sink_txn_reset(sess);
    sink_reply(sess, "250 2.1.0 Ok");
}

/* sink_quit - QUIT */
static void sink_quit(SINK_SESS *sess, const char *args)
{
    sink_quit_count++;
    sink_reply(sess, "221 Bye");
    sess->closing = 1;
}

/* sink_reject_count - how many copies of a rejection the command gets */
static int sink_reject_count(SINK_SESS *sess, const SINK_CMD *cmd)
{
    /* An LMTP server answers the end of data once per recipient. */
    return (cmd == SINK_CMD_DOT && var_lmtp && sess->in_data ? sess->rcpt_count : 1);
}

/* sink_command - apply the policy for one command, then run it */
static void sink_command(SINK_SESS *sess, SINK_CMD *cmd, const char *args)
{
    int n;
    int wait;

    if (cmd->policy & SINK_POL_DROP) {
        sess->closing = 1;
        return;
    }
    if (cmd->policy & SINK_POL_421) {
        sink_reply(sess, "421 4.0.0 Server closing connection");
        sess->closing = 1;
        return;
    }
    if ((wait = sink_cmd_wait(cmd)) > 0)
        sink_pause(sess, wait, SINK_AFTER_RESUME);
    if (cmd->policy & (SINK_POL_HARD | SINK_POL_SOFT)) {
        for (n = sink_reject_count(sess, cmd); n > 0; n--)
            sink_reply(sess, (cmd->policy & SINK_POL_HARD) ? var_hard_reply : var_soft_reply);
        if (cmd == SINK_CMD_DOT && sess->in_data)
            sink_data_end(sess);
        return;
    }
    if (cmd->action)
        cmd->action(sess, args);
}

/* sink_command_line - one command line from the client */
static void sink_command_line(SINK_SESS *sess, char *line)
{
    char *args;
    SINK_CMD *cmd;
    size_t len;

    if (msg_verbose)
        msg_info("%s", line);
    line = skipblanks(line);
    len = strcspn(line, " \t");
    args = skipblanks(line + len);
    cmd = (len > 0) ? sink_cmd_find(line, len) : 0;
    if (cmd == SINK_CMD_CONNECT || (cmd && cmd->enabled && !*cmd->enabled))
        cmd = 0;
    if (cmd && (cmd->policy & SINK_POL_LOG))
        syslog(LOG_INFO, "%s", line);
    if (cmd == 0) {
        sink_reply(sess, len > 0 ? "500 5.5.1 Error: unknown command"
                                 : "500 5.5.2 Error: unknown command");
        return;
    }
    sink_command(sess, cmd, args);
    sink_next_pause(sess);
}

/* sink_data_line - one line (or a piece of a long one) of message content */
static void sink_data_line(SINK_SESS *sess, const char *line, size_t len, int complete)
{
    int bol = sess->data_bol;

    sess->data_bol = complete;
    if (bol && complete && len == 1 && line[0] == '.') {
        sink_command(sess, SINK_CMD_DOT, "");
        return;
    }
    if (sess->dump) {
        if (bol && len > 0 && line[0] == '.')
            line++, len--;
        sink_dump_write(sess->dump, line, len);
        if (complete)
            sink_dump_write(sess->dump, "\n", 1);
    }
}

/* sink_take_line - next complete input line without CRLF; 0 if none yet */
static char *sink_take_line(SINK_SESS *sess, size_t *len)
{
    char *start = sess->rbuf + sess->rpos;
    char *nl = memchr(start, '\n', sess->rlen - sess->rpos);
    char *end;

    if (nl == 0)
        return (0);
    sess->rpos = nl + 1 - sess->rbuf;
    end = (nl > start && nl[-1] == '\r') ? nl - 1 : nl;
    *end = 0;
    *len = end - start;
    return (start);
}

/* sink_line_too_long - a command line over the limit ends the session */
static void sink_line_too_long(SINK_SESS *sess)
{
    msg_warn("command line too long");
    sess->closing = 1;
}

/* sink_take_partial - consume an incomplete DATA line, if it is safe to */
static int sink_take_partial(SINK_SESS *sess)
{
    size_t len = sess->rlen - sess->rpos;
    char *start = sess->rbuf + sess->rpos;

    /* Keep what could still become the "." line, or a CR that may precede LF. */
    if (sess->data_bol && len < 2)
        return (0);
    if (len > 0 && start[len - 1] == '\r')
        len--;
    if (len == 0)
        return (0);
    sink_data_line(sess, start, len, 0);
    sess->rpos += len;
    return (1);
}

/* sink_process - handle every complete unit of buffered input */
static void sink_process(SINK_SESS *sess)
{
    char *line;
    size_t len;

    while (!sess->paused && !sess->closing && VSTRING_LEN(sess->wbuf) < SINK_WBUF_HIGH) {
        if ((line = sink_take_line(sess, &len)) != 0) {
            if (sess->in_data)
                sink_data_line(sess, line, len, 1);
            else if (len > SINK_LINE_LIMIT)
                sink_line_too_long(sess);
            else
                sink_command_line(sess, line);
            continue;
        }
        if (sess->in_data) {
            if (!sink_take_partial(sess))
                break;
        } else if (sess->rlen - sess->rpos > SINK_LINE_LIMIT) {
            sink_line_too_long(sess);
        } else {
            break;
        }
    }
    if (sess->rpos == sess->rlen) {
        sess->rpos = sess->rlen = 0;
    } else if (sess->rpos > 0 && sess->rlen == sizeof(sess->rbuf)) {
        memmove(sess->rbuf, sess->rbuf + sess->rpos, sess->rlen - sess->rpos);
        sess->rlen -= sess->rpos;
        sess->rpos = 0;
    }
    if (var_message_limit > 0 && sink_mesg_count >= var_message_limit) {
        /* Give the client its reply before going away. */
        non_blocking(sess->fd, BLOCKING);
        (void)write_buf(sess->fd, vstring_str(sess->wbuf) + sess->wpos,
                        VSTRING_LEN(sess->wbuf) - sess->wpos, 1);
        exit(0);
    }
    (void)sink_flush(sess);
}

/* sink_read - take what the client sent */
static void sink_read(SINK_SESS *sess)
{
    ssize_t n;

    if (sess->rpos > 0 && sess->rlen == sizeof(sess->rbuf)) {
        memmove(sess->rbuf, sess->rbuf + sess->rpos, sess->rlen - sess->rpos);
        sess->rlen -= sess->rpos;
        sess->rpos = 0;
    }
    if (sess->rlen == sizeof(sess->rbuf))
        msg_panic("sink_read: input buffer full");
    n = read(sess->fd, sess->rbuf + sess->rlen, sizeof(sess->rbuf) - sess->rlen);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        if (n < 0 && msg_verbose)
            msg_info("read: %m");
        sink_sess_free(sess);
        return;
    }
    sess->rlen += n;
    sess->deadline = event_time() + var_timeout;
    sink_process(sess);
}

/* sink_pause_done - a delay is over: release the held reply and go on */
static void sink_pause_done(SINK_SESS *sess)
{
    sess->paused = 0;
    vstring_strcat(sess->wbuf, vstring_str(sess->held_reply));
    VSTRING_RESET(sess->held_reply);
    if (sess->after_pause == SINK_AFTER_ABORT) {
        sink_reply(sess, "550 This violates SMTP");
        sess->closing = 1;
    }
    sink_next_pause(sess);
    sess->deadline = event_time() + var_timeout;
    sink_process(sess);
}

/* sink_event - every event of a session */
static void sink_event(int event, void *context)
{
    SINK_SESS *sess = (SINK_SESS *)context;

    if (event == EVENT_TIME)
        sink_pause_done(sess);
    else if (event == EVENT_WRITE) {
        if (sink_flush(sess) == 0 && VSTRING_LEN(sess->wbuf) == 0)
            sink_process(sess);
    } else if (event == EVENT_READ)
        sink_read(sess);
    else
        sink_sess_free(sess);
}

/* sink_sweep - end the sessions that have been idle too long */
static void sink_sweep(int event, void *context)
{
    SINK_SESS *sess;
    SINK_SESS *next;
    time_t now = event_time();

    for (sess = sink_sessions.next; sess != &sink_sessions; sess = next) {
        next = sess->next;
        if (!sess->paused && now > sess->deadline) {
            msg_warn("%s timeout", sess->mask == EVENT_WRITE ? "write" : "read");
            sink_sess_free(sess);
        }
    }
    event_request_timer(sink_sweep, 0, 1);
}

/* sink_peer_addr - the client address as the dump headers show it */
static void sink_peer_addr(SINK_SESS *sess)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    VSTRING *addr = vstring_alloc(64);

    strcpy(sess->addr, "localhost");
    if (getpeername(sess->fd, (struct sockaddr *)&ss, &len) == 0 &&
        (ss.ss_family == AF_INET || ss.ss_family == AF_INET6) &&
        sockaddr_to_hostaddr((struct sockaddr *)&ss, len, addr, (VSTRING *)0) == 0)
        snprintf(sess->addr, sizeof(sess->addr), "%s%s", ss.ss_family == AF_INET6 ? "ipv6:" : "",
                 vstring_str(addr));
    vstring_free(addr);
}

/* sink_window - apply the -T window size to a socket */
static void sink_window(int fd)
{
    if (var_window > 0 &&
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &var_window, sizeof(var_window)) < 0)
        msg_warn("setsockopt SO_RCVBUF %d: %m", var_window);
}

/* sink_sess_start - set up a new session and greet the client */
static void sink_sess_start(int fd)
{
    SINK_SESS *sess = (SINK_SESS *)mymalloc(sizeof(*sess));
    char buf[300];

    sess->rpos = sess->rlen = 0;
    sess->fd = fd;
    sess->wbuf = vstring_alloc(1024);
    sess->wpos = 0;
    sess->mask = 0;
    sess->in_data = sess->closing = sess->paused = sess->mail_seen = sess->rcpt_count = 0;
    sess->data_bol = sess->after_pause = sess->next_pause = sess->next_after = 0;
    sess->held_reply = vstring_alloc(64);
    sess->helo_args = 0;
    sess->mail_args = vstring_alloc(64);
    sess->rcpt_args = argv_alloc(4);
    sess->dump = 0;
    sess->proto = var_lmtp ? "LMTP" : "SMTP";
    sess->deadline = event_time() + var_timeout;
    sess->next = &sink_sessions;
    sess->prev = sink_sessions.prev;
    sess->prev->next = sess;
    sink_sessions.prev = sess;
    sink_open_count++;
    non_blocking(fd, NON_BLOCKING);
    close_on_exec(fd, CLOSE_ON_EXEC);
    sink_window(fd);
    sink_peer_addr(sess);
    if (msg_verbose)
        msg_info("connect from %s", sess->addr);
    if (var_pix)
        snprintf(buf, sizeof(buf), "220 ********");
    else
        snprintf(buf, sizeof(buf), "220 %s%s", var_hostname, var_esmtp ? " ESMTP" : "");
    /* The connect policy may replace the greeting, delay it, or hang up. */
    sink_command(sess, SINK_CMD_CONNECT, "");
    if (!sess->closing && !(SINK_CMD_CONNECT->policy & (SINK_POL_HARD | SINK_POL_SOFT)))
        sink_reply(sess, buf);
    (void)sink_flush(sess);
}

/* sink_accept - take new connections while there is room */
static void sink_accept(int event, void *context)
{
    int listen_fd = (int)(long)context;
    int fd;

    while (sink_open_count < var_max_sessions) {
        if ((fd = sane_accept(listen_fd, (struct sockaddr *)0, (socklen_t *)0)) < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                msg_warn("accept: %m");
            return;
        }
        sink_sess_start(fd);
    }
    sink_listen_enable(0);
}

/* sink_listen_enable - start or stop accepting on every listener */
static void sink_listen_enable(int on)
{
    int i;

    for (i = 0; i < sink_listen_count; i++) {
        if (on)
            event_enable_read(sink_listen_fds[i], sink_accept, (void *)(long)sink_listen_fds[i]);
        else
            event_disable_readwrite(sink_listen_fds[i]);
    }
    sink_accepting = on;
}

/* sink_ipv6_usable - whether this host can make IPv6 sockets at all */
static int sink_ipv6_usable(void)
{
    int fd = socket(AF_INET6, SOCK_STREAM, 0);

    if (fd < 0)
        return (0);
    close(fd);
    return (1);
}

/* sink_listen - open the listening socket(s) for the endpoint argument */
static void sink_listen(const char *endpoint, int backlog, int family)
{
    const char *addr = endpoint;
    char *wild;

    if (strncmp(addr, "unix:", 5) == 0) {
        sink_listen_fds[sink_listen_count++] = unix_listen(addr + 5, backlog, NON_BLOCKING);
        return;
    }
    if (strncmp(addr, "inet:", 5) == 0)
        addr += 5;
    if (*addr == ':' || strchr(addr, ':') == 0) {
        /* No host: the wildcard address of each permitted protocol. */
        const char *port = (*addr == ':') ? addr + 1 : addr;

        if (family != AF_INET6) {
            wild = concatenate("0.0.0.0:", port, (char *)0);
            sink_listen_fds[sink_listen_count++] = inet_listen(wild, backlog, NON_BLOCKING);
            myfree(wild);
        }
        if (family == AF_INET6 || (family == AF_UNSPEC && sink_ipv6_usable())) {
            wild = concatenate("[::]:", port, (char *)0);
            sink_listen_fds[sink_listen_count++] = inet_listen(wild, backlog, NON_BLOCKING);
            myfree(wild);
        }
        return;
    }
    sink_listen_fds[sink_listen_count++] = inet_listen(addr, backlog, NON_BLOCKING);
}

/* sink_drop_privileges - chroot and switch user after the sockets exist */
static void sink_drop_privileges(const char *root_dir, const char *user)
{
    struct passwd *pw = 0;

    if (user && (pw = getpwnam(user)) == 0)
        msg_fatal("unknown user: %s", user);
    if (root_dir) {
        if (chroot(root_dir) < 0)
            msg_fatal("chroot %s: %m", root_dir);
        if (chdir("/") < 0)
            msg_fatal("chdir /: %m");
    }
    if (pw) {
        if (setgid(pw->pw_gid) < 0)
            msg_fatal("setgid %ld: %m", (long)pw->pw_gid);
        if (geteuid() == 0 && initgroups(user, pw->pw_gid) < 0)
            msg_fatal("initgroups %s: %m", user);
        if (setuid(pw->pw_uid) < 0)
            msg_fatal("setuid %ld: %m", (long)pw->pw_uid);
    }
}

/* sink_usage - complain about the command line */
static void sink_usage(const char *myname)
{
    msg_fatal("usage: %s [-468acCeEFLNpPv] [-A abort_delay] [-b soft_bounce_reply] "
              "[-B hard_bounce_reply] [-d dump-template] [-D dump-template] [-f commands] "
              "[-h hostname] [-H delay] [-m max_concurrency] [-M message_quit_count] "
              "[-n quit_count] [-q commands] [-Q commands] [-r commands] [-R root-dir] "
              "[-s commands] [-S start-string] [-t timeout] [-T windowsize] [-u user_privs] "
              "[-w delay] [-W command:delay[:odds]] [host]:port backlog",
              myname);
}

/* sink_reply_arg - validate a -b/-B reply text */
static char *sink_reply_arg(const char *what, char *text)
{
    if (strlen(text) < 3 || text[0] < '2' || text[0] > '5' || text[1] < '0' || text[1] > '9' ||
        text[2] < '0' || text[2] > '9' || strpbrk(text, "\r\n") != 0)
        msg_fatal("bad %s error reply: %s", what, text);
    return (text);
}

/* main - parse options, listen, drop privileges, serve */
int main(int argc, char **argv)
{
    int ch;
    int family = AF_UNSPEC;
    int backlog;
    char *user = 0;
    char *root_dir = 0;
    int log_open = 0;

    msg_stderr_init(argv[0]);
    signal(SIGPIPE, SIG_IGN);
    srandom((unsigned)getpid() ^ (unsigned)time((time_t *)0));
    while ((ch = getopt(argc, argv, "468aA:b:B:cCd:D:eEf:Fh:H:Lm:M:n:NpPq:Q:r:R:s:S:t:T:u:vw:W:")) >
           0) {
        switch (ch) {
        case '4':
            family = AF_INET;
            break;
        case '6':
            family = AF_INET6;
            break;
        case '8':
            var_8bitmime = 0;
            break;
        case 'a':
            var_auth = 0;
            break;
        case 'A':
            if ((var_abort_delay = sink_int_arg(optarg, 0)) < 0)
                sink_usage(argv[0]);
            break;
        case 'b':
            var_soft_reply = sink_reply_arg("soft", optarg);
            break;
        case 'B':
            var_hard_reply = sink_reply_arg("hard", optarg);
            break;
        case 'c':
            var_count = 1;
            break;
        case 'C':
            var_xclient = 0;
            break;
        case 'd':
            var_dump_single = optarg;
            break;
        case 'D':
            var_dump_append = optarg;
            break;
        case 'e':
            var_esmtp = 0;
            break;
        case 'E':
            var_enhanced = 0;
            break;
        case 'f':
            sink_cmd_policy(optarg, SINK_POL_HARD);
            var_pipelining = 0;
            break;
        case 'F':
            var_xforward = 0;
            break;
        case 'h':
            if (*optarg == 0 || strlen(optarg) > 255 || strpbrk(optarg, " \t\r\n"))
                msg_fatal("bad -h hostname: %s", optarg);
            var_hostname = optarg;
            break;
        case 'H':
            var_data_read_delay = sink_int_opt("data read delay", optarg, 0);
            break;
        case 'L':
            var_lmtp = 1;
            break;
        case 'm':
            var_max_sessions = sink_int_opt("concurrency limit", optarg, 1);
            break;
        case 'M':
            var_message_limit = sink_int_opt("message quit count", optarg, 1);
            break;
        case 'n':
            var_session_limit = sink_int_opt("quit count", optarg, 1);
            break;
        case 'N':
            var_dsn = 0;
            break;
        case 'p':
            var_pipelining = 0;
            break;
        case 'P':
            var_pix = 1;
            var_esmtp = 0;
            break;
        case 'q':
            sink_cmd_policy(optarg, SINK_POL_DROP);
            break;
        case 'Q':
            sink_cmd_policy(optarg, SINK_POL_421);
            break;
        case 'r':
            sink_cmd_policy(optarg, SINK_POL_SOFT);
            var_pipelining = 0;
            break;
        case 'R':
            root_dir = optarg;
            break;
        case 's':
            sink_cmd_policy(optarg, SINK_POL_LOG);
            log_open = 1;
            break;
        case 'S':
            var_start_string = sink_dump_unescape(optarg, &var_start_len);
            break;
        case 't':
            var_timeout = sink_int_opt("timeout", optarg, 1);
            break;
        case 'T':
            var_window = sink_int_opt("TCP window size", optarg, 1);
            break;
        case 'u':
            user = optarg;
            break;
        case 'v':
            msg_verbose++;
            break;
        case 'w':
            if ((SINK_CMD_DATA->delay = sink_int_arg(optarg, 0)) < 0)
                sink_usage(argv[0]);
            SINK_CMD_DATA->odds = 0;
            break;
        case 'W':
            sink_cmd_delay(optarg);
            break;
        default:
            sink_usage(argv[0]);
        }
    }
    if (argc - optind != 2)
        sink_usage(argv[0]);
    if (var_dump_single && var_dump_append)
        msg_fatal("specify at most one of -d and -D");
    var_smtp = !var_lmtp;
    var_ehlo = !var_lmtp && var_esmtp;
    if (getuid() == 0 && user == 0)
        msg_fatal("-u option is required if running as root");
    if ((backlog = sink_int_arg(argv[optind + 1], 1)) < 0)
        sink_usage(argv[0]);
    sink_listen(argv[optind], backlog, family);
    for (ch = 0; ch < sink_listen_count; ch++)
        sink_window(sink_listen_fds[ch]);
    if (log_open)
        openlog(basename_of(argv[0]), LOG_PID, LOG_MAIL);
    sink_drop_privileges(root_dir, user);
    sink_listen_enable(1);
    event_request_timer(sink_sweep, 0, 1);
    for (;;)
        event_loop(-1);
}

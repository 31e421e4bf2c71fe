/*
 * smtp-source - a parallel SMTP/LMTP load generator: it sends a number of
 * test messages to one server over one or more simultaneous sessions.
 *
 * Every session is a state machine on a non-blocking socket driven by the
 * event loop (events.h), so -s sessions run in parallel in one process. A
 * session sends one command, waits for its complete (possibly multi-line)
 * reply and goes on; there is no command pipelining. The message body is
 * built once (from -l, -F or the built-in text) and every session sends it
 * from that shared buffer behind its own per-message headers, so large
 * messages cost no copying.
 *
 * Messages are handed out from one global count: a session takes the next
 * message when it begins a transaction, and without -d it hangs up after
 * each message and connects again while messages are left.
 *
 * An unexpected reply is fatal (exit status 1, "<stage> rejected: <reply>")
 * unless -A is given, when it becomes a warning and the session recovers
 * with RSET where the transaction cannot go on. A lost connection, a reply
 * timeout or a failed connect is always fatal, as is a bad command line.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "connect.h"
#include "events.h"
#include "host_port.h"
#include "iostuff.h"
#include "msg.h"
#include "myaddrinfo.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#include "stone_date.h"

/*
 * Session states: what the session waits for.
 */
#define SRC_BANNER 0 /* server greeting */
#define SRC_HELO 1   /* HELO or LHLO reply */
#define SRC_MAIL 2   /* MAIL reply */
#define SRC_RCPT 3   /* RCPT replies */
#define SRC_DATA 4   /* DATA reply */
#define SRC_DOT 5    /* end-of-data reply (one per recipient in LMTP) */
#define SRC_RSET 6   /* RSET reply after a rejection (-A) */
#define SRC_DELAY 7  /* -w/-R pause before the next message */

#define SRC_REPLY_LIMIT 4096 /* longest reply line kept */
#define SRC_REPLY_LINES 100  /* most lines in one reply */
#define SRC_TIMEOUT 300      /* seconds to wait for a reply or to send */
#define SRC_CONN_TIMEOUT 30  /* seconds to wait for a connection */

typedef struct SRC_SESS {
    int fd;
    int state;
    VSTRING *out; /* command or message headers to send */
    size_t out_pos;
    size_t body_pos;     /* progress in the shared body, when sending one */
    size_t tail_pos;     /* progress in the end-of-data line */
    int sending_message; /* out is followed by body and "." */
    VSTRING *in;         /* input not yet parsed */
    size_t in_pos;
    int reading;    /* waiting for a reply */
    VSTRING *line;  /* reply line being received */
    VSTRING *reply; /* first line of the complete reply */
    int reply_lines;
    int rcpt_left;    /* RCPT commands still to send */
    int rcpt_ok;      /* recipients accepted */
    int replies_left; /* end-of-data replies still expected */
    int counted;      /* the -c counter saw this message */
    int message_id;   /* the number of the message in progress */
} SRC_SESS;

/*
 * Options.
 */
static int var_allow_reject;   /* -A */
static int var_count;          /* -c */
static int var_conn_tries = 1; /* -C */
static int var_reuse;          /* -d */
static char *var_sender;       /* -f */
static char *var_recipient;    /* -t */
static int var_lmtp;           /* -L */
static int var_messages = 1;   /* -m */
static char *var_myhostname;   /* -M */
static int var_number_rcpts;   /* -N */
static int var_old_mode;       /* -o */
static int var_rcpts = 1;      /* -r */
static int var_random_delay;   /* -R */
static int var_sessions = 1;   /* -s */
static char *var_subject;      /* -S */
static int var_window;         /* -T */
static int var_fixed_delay;    /* -w */
static char *var_server;       /* resolved endpoint */
static int var_unix;           /* server is a UNIX-domain socket */
static int var_preformatted;   /* -F: the file has its own headers */

/*
 * Run-time state.
 */
static char *src_body; /* message content, CRLF, dot-stuffed */
static size_t src_body_len;
static int src_messages_left; /* not yet handed to a session */
static int src_sessions_active;
static int src_done_count;         /* completed DATA transactions, for -c */
static unsigned long src_rcpt_seq; /* -N numbering */

static const char src_tail[] = ".\r\n";

static void src_event(int event, void *context);
static void src_session_start(void);

/* src_send - queue a command line and start sending it */
static void src_send(SRC_SESS *sess, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void src_send(SRC_SESS *sess, const char *fmt, ...)
{
    va_list ap;

    VSTRING_RESET(sess->out);
    sess->out_pos = 0;
    sess->sending_message = 0;
    va_start(ap, fmt);
    vstring_vsprintf(sess->out, fmt, ap);
    va_end(ap);
    if (msg_verbose)
        msg_info("> %s", vstring_str(sess->out));
    vstring_strcat(sess->out, "\r\n");
    sess->reading = 0;
    event_disable_readwrite(sess->fd);
    event_enable_write(sess->fd, src_event, sess);
    event_request_timer(src_event, sess, SRC_TIMEOUT);
}

/* src_doing - what the session was doing, for "lost connection while ..." */
static const char *src_doing(const SRC_SESS *sess)
{
    switch (sess->state) {
    case SRC_BANNER:
        return ("reading server greeting");
    case SRC_HELO:
        return (var_lmtp ? "sending LHLO" : "sending HELO");
    case SRC_MAIL:
        return ("sending sender");
    case SRC_RCPT:
        return ("sending recipient");
    case SRC_DATA:
        return ("sending DATA command");
    case SRC_DOT:
    case SRC_RSET:
        return ("sending message");
    default:
        return ("waiting");
    }
}

/* src_session_free - hang up */
static void src_session_free(SRC_SESS *sess)
{
    event_cancel_timer(src_event, sess);
    event_disable_readwrite(sess->fd);
    if (close(sess->fd) < 0)
        msg_warn("close: %m");
    vstring_free(sess->out);
    vstring_free(sess->in);
    vstring_free(sess->line);
    vstring_free(sess->reply);
    myfree(sess);
    src_sessions_active--;
}

/* src_quit - say goodbye, hang up, and start another session if there is work */
static int src_quit(SRC_SESS *sess)
{
    static const char quit[] = "QUIT\r\n";

    if (msg_verbose)
        msg_info("> QUIT");
    /* Like the original, do not wait for the reply to QUIT. */
    (void)write(sess->fd, quit, sizeof(quit) - 1);
    src_session_free(sess);
    if (src_messages_left > 0)
        src_session_start();
    return (0);
}

static int src_quit(SRC_SESS *sess);

/* src_rejected - an unexpected reply: fatal, or with -A a warning; 0 when the session ended */
static int src_rejected(const char *what, SRC_SESS *sess)
{
    if (!var_allow_reject)
        msg_fatal("%s: %s", what, vstring_str(sess->reply));
    msg_warn("%s: %s", what, vstring_str(sess->reply));
    /* After the greeting, a 421 reply means the server hangs up: the session is over. */
    if (sess->state != SRC_BANNER && strncmp(vstring_str(sess->reply), "421", 3) == 0)
        return (src_quit(sess));
    return (1);
}

/* src_rset - abandon the transaction */
static void src_rset(SRC_SESS *sess)
{
    sess->state = SRC_RSET;
    src_send(sess, "RSET");
}

/* src_message_text - the per-message header block */
static void src_message_text(SRC_SESS *sess)
{
    VSTRING_RESET(sess->out);
    sess->out_pos = 0;
    if (!var_old_mode && !var_preformatted) {
        vstring_sprintf(sess->out,
                        "From: <%s>\r\nTo: <%s>\r\nDate: %s\r\n"
                        "Message-Id: <%04x.%04x.%04x@%s>\r\n",
                        var_sender, var_recipient, stone_date(time((time_t *)0)),
                        (unsigned)getpid() & 0xffff, (unsigned)sess->fd & 0xffff,
                        (unsigned)sess->message_id & 0xffff, var_myhostname);
        if (var_subject)
            vstring_sprintf_append(sess->out, "Subject: %s\r\n", var_subject);
        vstring_strcat(sess->out, "\r\n");
    }
    sess->body_pos = 0;
    sess->tail_pos = 0;
    sess->sending_message = 1;
    sess->reading = 0;
    event_disable_readwrite(sess->fd);
    event_enable_write(sess->fd, src_event, sess);
    event_request_timer(src_event, sess, SRC_TIMEOUT);
}

/* src_send_rcpt - the next RCPT TO command */
static void src_send_rcpt(SRC_SESS *sess)
{
    int k = sess->rcpt_left--;

    /* Recipients are numbered down to 1, which has no number; -N numbers them all. */
    if (var_number_rcpts)
        src_send(sess, "RCPT TO:<%lu%s>", ++src_rcpt_seq, var_recipient);
    else if (k > 1)
        src_send(sess, "RCPT TO:<%d%s>", k, var_recipient);
    else
        src_send(sess, "RCPT TO:<%s>", var_recipient);
}

/* src_start_message - send MAIL FROM for the message the session took */
static void src_start_message(SRC_SESS *sess)
{
    sess->rcpt_left = var_rcpts;
    sess->rcpt_ok = 0;
    sess->state = SRC_MAIL;
    src_send(sess, "MAIL FROM:<%s>", var_sender);
}

/* src_message_done - one transaction is over; what next (0: session gone) */
static int src_message_done(SRC_SESS *sess)
{
    int delay;

    if (src_messages_left <= 0 || !var_reuse)
        return (src_quit(sess));
    sess->message_id = --src_messages_left;
    delay = var_fixed_delay;
    if (var_random_delay > 0)
        delay += (int)(random() % (var_random_delay + 1));
    if (delay > 0) {
        sess->state = SRC_DELAY;
        sess->reading = 0;
        event_disable_readwrite(sess->fd);
        event_request_timer(src_event, sess, delay);
        return (1);
    }
    src_start_message(sess);
    return (1);
}

/* src_next_message - after the greeting: begin the first transaction */
static int src_next_message(SRC_SESS *sess)
{
    src_start_message(sess);
    return (1);
}

/* src_reply_ok - whether the reply has the expected class */
static int src_reply_ok(const SRC_SESS *sess, int want)
{
    return (vstring_str(sess->reply)[0] == want);
}

/* src_count - the -c progress counter */
static void src_count(void)
{
    src_done_count++;
    if (var_count) {
        vstream_fprintf(VSTREAM_OUT, "%d\r", src_done_count);
        vstream_fflush(VSTREAM_OUT);
    }
}

/* src_reply - act on one complete server reply; 0 when the session is gone */
static int src_reply(SRC_SESS *sess)
{
    if (msg_verbose)
        msg_info("< %s", vstring_str(sess->reply));
    switch (sess->state) {
    case SRC_BANNER:
        if (!src_reply_ok(sess, '2') && !src_rejected("rejected at server banner", sess))
            return (0);
        if (var_old_mode)
            return (src_next_message(sess));
        else {
            sess->state = SRC_HELO;
            src_send(sess, "%s %s", var_lmtp ? "LHLO" : "HELO", var_myhostname);
        }
        break;
    case SRC_HELO:
        if (!src_reply_ok(sess, '2') &&
            !src_rejected(var_lmtp ? "LHLO rejected" : "HELO rejected", sess))
            return (0);
        return (src_next_message(sess));
    case SRC_MAIL:
        if (!src_reply_ok(sess, '2')) {
            if (!src_rejected("sender rejected", sess))
                return (0);
            src_rset(sess);
            break;
        }
        sess->state = SRC_RCPT;
        src_send_rcpt(sess);
        break;
    case SRC_RCPT:
        if (src_reply_ok(sess, '2'))
            sess->rcpt_ok++;
        else if (!src_rejected("recipient rejected", sess))
            return (0);
        if (sess->rcpt_left > 0) {
            src_send_rcpt(sess);
        } else if (sess->rcpt_ok == 0) {
            src_rset(sess);
        } else {
            sess->state = SRC_DATA;
            src_send(sess, "DATA");
        }
        break;
    case SRC_DATA:
        if (!src_reply_ok(sess, '3')) {
            if (!src_rejected("data rejected", sess))
                return (0);
            src_rset(sess);
            break;
        }
        sess->state = SRC_DOT;
        sess->replies_left = var_lmtp ? sess->rcpt_ok : 1;
        sess->counted = 0;
        src_message_text(sess);
        break;
    case SRC_DOT:
        /* The counter moves on the first answer, before it is judged. */
        if (!sess->counted++)
            src_count();
        if (!src_reply_ok(sess, '2') && !src_rejected("end of data rejected", sess))
            return (0);
        if (--sess->replies_left > 0)
            break;
        return (src_message_done(sess));
    case SRC_RSET:
        if (!src_reply_ok(sess, '2') && !src_rejected("rset rejected", sess))
            return (0);
        return (src_message_done(sess));
    default:
        msg_panic("src_reply: unexpected reply in state %d", sess->state);
    }
    return (1);
}

/* src_parse - act on the buffered replies; 0 when the session is gone */
static int src_parse(SRC_SESS *sess)
{
    const char *text;
    int ch;

    while (sess->reading && sess->in_pos < VSTRING_LEN(sess->in)) {
        if ((ch = vstring_str(sess->in)[sess->in_pos++]) != '\n') {
            if (VSTRING_LEN(sess->line) < SRC_REPLY_LIMIT)
                VSTRING_ADDCH(sess->line, ch);
            continue;
        }
        if (VSTRING_LEN(sess->line) > 0 && vstring_end(sess->line)[-1] == '\r')
            vstring_truncate(sess->line, VSTRING_LEN(sess->line) - 1);
        text = vstring_str(sess->line);
        if (sess->reply_lines++ == 0)
            vstring_strcpy(sess->reply, text);
        if (sess->reply_lines > SRC_REPLY_LINES)
            msg_fatal("too many reply lines while %s", src_doing(sess));
        /* "xyz-text" continues a reply; anything else ends it. */
        if (VSTRING_LEN(sess->line) >= 4 && text[3] == '-') {
            VSTRING_RESET(sess->line);
            continue;
        }
        VSTRING_RESET(sess->line);
        sess->reply_lines = 0;
        text = vstring_str(sess->reply);
        if (VSTRING_LEN(sess->reply) < 3 || text[0] < '1' || text[0] > '5')
            msg_fatal("malformed reply while %s: %s", src_doing(sess),
                      printable(vstring_str(sess->reply), '?'));
        if (src_reply(sess) == 0)
            return (0);
    }
    if (sess->in_pos == VSTRING_LEN(sess->in)) {
        VSTRING_RESET(sess->in);
        sess->in_pos = 0;
    }
    return (1);
}

/* src_read - take what the server sent */
static void src_read(SRC_SESS *sess)
{
    ssize_t n;

    vstring_space(sess->in, 4096);
    n = read(sess->fd, vstring_end(sess->in), 4096);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0)
        msg_fatal("lost connection while %s", src_doing(sess));
    sess->in->len += n;
    VSTRING_TERMINATE(sess->in);
    (void)src_parse(sess);
}

/* src_write - send what is queued; then wait for the reply */
static void src_write(SRC_SESS *sess)
{
    struct iovec iov[3];
    int cnt = 0;
    ssize_t n;
    size_t out_left = VSTRING_LEN(sess->out) - sess->out_pos;
    size_t body_left = sess->sending_message ? src_body_len - sess->body_pos : 0;
    size_t tail_left = sess->sending_message ? sizeof(src_tail) - 1 - sess->tail_pos : 0;

    if (out_left > 0) {
        iov[cnt].iov_base = vstring_str(sess->out) + sess->out_pos;
        iov[cnt++].iov_len = out_left;
    }
    if (body_left > 0) {
        iov[cnt].iov_base = src_body + sess->body_pos;
        iov[cnt++].iov_len = body_left;
    }
    if (tail_left > 0) {
        iov[cnt].iov_base = (char *)src_tail + sess->tail_pos;
        iov[cnt++].iov_len = tail_left;
    }
    if (cnt > 0) {
        if ((n = writev(sess->fd, iov, cnt)) < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            msg_fatal("lost connection while %s", src_doing(sess));
        }
        event_request_timer(src_event, sess, SRC_TIMEOUT);
        n -= (ssize_t)out_left;
        if (n < 0) {
            sess->out_pos = VSTRING_LEN(sess->out) + n;
            return;
        }
        sess->out_pos = VSTRING_LEN(sess->out);
        sess->body_pos += ((size_t)n < body_left ? (size_t)n : body_left);
        n -= (ssize_t)body_left;
        if (n < 0)
            return;
        sess->tail_pos += n;
        if ((size_t)n < tail_left)
            return;
    }
    /* Everything is out: wait for the answer. */
    sess->reading = 1;
    event_disable_readwrite(sess->fd);
    event_enable_read(sess->fd, src_event, sess);
    if (VSTRING_LEN(sess->in) > sess->in_pos)
        (void)src_parse(sess);
}

/* src_event - every event of a session */
static void src_event(int event, void *context)
{
    SRC_SESS *sess = (SRC_SESS *)context;

    switch (event) {
    case EVENT_READ:
        src_read(sess);
        break;
    case EVENT_WRITE:
        src_write(sess);
        break;
    case EVENT_TIME:
        if (sess->state == SRC_DELAY)
            src_start_message(sess);
        else
            msg_fatal("timeout while %s", src_doing(sess));
        break;
    default:
        msg_fatal("lost connection while %s", src_doing(sess));
    }
}

/* src_connect - a connected socket, retrying refused connections per -C */
static int src_connect(void)
{
    int attempt;
    int fd;

    for (attempt = 1; /* see below */; attempt++) {
        if (var_unix)
            fd = unix_connect(var_server, NON_BLOCKING, SRC_CONN_TIMEOUT);
        else
            fd = inet_connect(var_server, NON_BLOCKING, SRC_CONN_TIMEOUT);
        if (fd >= 0)
            return (fd);
        if (attempt >= var_conn_tries || (errno != ECONNREFUSED && errno != ECONNRESET))
            msg_fatal("connect: %m");
        msg_warn("connect: %m");
    }
}

/* src_session_start - connect and wait for the greeting */
static void src_session_start(void)
{
    SRC_SESS *sess = (SRC_SESS *)mymalloc(sizeof(*sess));

    sess->fd = src_connect();
    close_on_exec(sess->fd, CLOSE_ON_EXEC);
    if (var_window > 0) {
        if (setsockopt(sess->fd, SOL_SOCKET, SO_RCVBUF, &var_window, sizeof(var_window)) < 0 ||
            setsockopt(sess->fd, SOL_SOCKET, SO_SNDBUF, &var_window, sizeof(var_window)) < 0)
            msg_warn("setsockopt window size %d: %m", var_window);
    }
    sess->state = SRC_BANNER;
    sess->out = vstring_alloc(256);
    sess->out_pos = 0;
    sess->body_pos = sess->tail_pos = 0;
    sess->sending_message = 0;
    sess->in = vstring_alloc(4096);
    sess->in_pos = 0;
    sess->reading = 1;
    sess->line = vstring_alloc(128);
    sess->reply = vstring_alloc(128);
    sess->reply_lines = 0;
    sess->rcpt_left = sess->rcpt_ok = sess->replies_left = sess->counted = 0;
    /* Each connection takes its first message now, so none connects in vain. */
    sess->message_id = --src_messages_left;
    src_sessions_active++;
    event_enable_read(sess->fd, src_event, sess);
    event_request_timer(src_event, sess, SRC_TIMEOUT);
}

/* src_body_default - the built-in four-line body */
static void src_body_default(void)
{
    VSTRING *buf = vstring_alloc(100);
    int i;

    for (i = 1; i <= 4; i++)
        vstring_sprintf_append(buf, "La de da de da %d.\r\n", i);
    src_body_len = VSTRING_LEN(buf);
    src_body = vstring_export(buf);
}

/* src_body_length - a body of exactly length payload bytes (-l) */
static void src_body_length(int length)
{
    int i;

    /*
     * Lines are 80 bytes including CRLF and start with a line-number digit;
     * the last line is whatever is left over, and gets its own CRLF.
     */
    src_body = mymalloc((size_t)length + 2);
    memset(src_body, 'X', length);
    for (i = 80; i < length; i += 80) {
        src_body[i - 80] = "0123456789"[(i / 80) % 10];
        src_body[i - 2] = '\r';
        src_body[i - 1] = '\n';
    }
    memcpy(src_body + length, "\r\n", 2);
    src_body_len = (size_t)length + 2;
}

/* src_body_file - a pre-formatted message from a file (-F) */
static void src_body_file(const char *path)
{
    VSTREAM *fp;
    VSTRING *line = vstring_alloc(200);
    VSTRING *buf = vstring_alloc(4096);

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0)
        msg_fatal("open %s: %m", path);
    while (vstring_get_nonl(line, fp) != VSTREAM_EOF) {
        if (VSTRING_LEN(line) > 0 && vstring_end(line)[-1] == '\r')
            vstring_truncate(line, VSTRING_LEN(line) - 1);
        if (vstring_str(line)[0] == '.')
            VSTRING_ADDCH(buf, '.');
        vstring_memcat(buf, vstring_str(line), VSTRING_LEN(line));
        vstring_strcat(buf, "\r\n");
    }
    if (vstream_ferror(fp))
        msg_fatal("read %s: %m", path);
    (void)vstream_fclose(fp);
    vstring_free(line);
    /* An empty file gets the built-in body; any other an empty line at the end. */
    if (VSTRING_LEN(buf) == 0) {
        vstring_free(buf);
        src_body_default();
        return;
    }
    vstring_strcat(buf, "\r\n");
    src_body_len = VSTRING_LEN(buf);
    src_body = vstring_export(buf);
}

/* src_number - a positive option value, or fatal */
static int src_number(const char *what, const char *value)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(value, &end, 10);
    if (*value == 0 || *end != 0 || errno != 0 || n <= 0 || n > 0x7fffffff)
        msg_fatal("bad %s: %s", what, value);
    return ((int)n);
}

/* src_endpoint - the server address in the form inet_connect() wants */
static char *src_endpoint(const char *arg, int family)
{
    char *buf;
    char *host;
    char *port;
    const char *err;
    struct addrinfo *res0;
    struct addrinfo *res;
    VSTRING *addr;
    char *result;
    int aierr;

    if (strncmp(arg, "unix:", 5) == 0) {
        var_unix = 1;
        return (mystrdup(arg + 5));
    }
    if (strncmp(arg, "inet:", 5) == 0)
        arg += 5;
    buf = mystrdup(arg);
    if ((err = host_port(buf, &host, "localhost", &port, "smtp")) != 0)
        msg_fatal("%s: %s", arg, err);
    if (family == AF_UNSPEC) {
        result = concatenate("[", host, "]:", port, (char *)0);
        myfree(buf);
        return (result);
    }
    /* -4 or -6: pick an address of that family now, and connect to it. */
    if ((aierr = hostname_to_sockaddr(host, port, SOCK_STREAM, &res0)) != 0)
        msg_fatal("host or service %s not found: %s", arg, myaddrinfo_strerror(aierr));
    for (res = res0; res != 0 && res->ai_family != family; res = res->ai_next)
        /* void */;
    if (res == 0)
        msg_fatal("%s: no IPv%d address", host, family == AF_INET ? 4 : 6);
    addr = vstring_alloc(64);
    if (sockaddr_to_hostaddr(res->ai_addr, res->ai_addrlen, addr, (VSTRING *)0) != 0)
        msg_fatal("%s: cannot convert address", host);
    result = concatenate("[", vstring_str(addr), "]:", port, (char *)0);
    vstring_free(addr);
    freeaddrinfo(res0);
    myfree(buf);
    return (result);
}

/* src_usage - complain about the command line */
static void src_usage(const char *myname)
{
    msg_fatal("usage: %s -46AcdLNov -s sess -l msglen -m msgs -C count -M myhostname -f from "
              "-F file -t to -r rcptcount -R delay -S subject -T windowsize -w delay host[:port]",
              myname);
}

/* main - parse options, prepare the message, run the sessions */
int main(int argc, char **argv)
{
    int ch;
    int family = AF_UNSPEC;
    int length = 0;
    char *file = 0;
    char hostname[256];
    int i;

    msg_stderr_init(argv[0]);
    signal(SIGPIPE, SIG_IGN);
    srandom((unsigned)getpid() ^ (unsigned)time((time_t *)0));
    while ((ch = getopt(argc, argv, "46AcC:df:F:l:LNm:M:or:R:s:S:t:T:vw:")) > 0) {
        switch (ch) {
        case '4':
            family = AF_INET;
            break;
        case '6':
            family = AF_INET6;
            break;
        case 'A':
            var_allow_reject = 1;
            break;
        case 'c':
            var_count = 1;
            break;
        case 'C':
            var_conn_tries = src_number("connection count", optarg);
            break;
        case 'd':
            var_reuse = 1;
            break;
        case 'f':
            var_sender = optarg;
            break;
        case 'F':
            file = optarg;
            break;
        case 'l':
            length = src_number("message length", optarg);
            break;
        case 'L':
            var_lmtp = 1;
            break;
        case 'm':
            var_messages = src_number("message count", optarg);
            break;
        case 'M':
            var_myhostname = optarg;
            break;
        case 'N':
            var_number_rcpts = 1;
            break;
        case 'o':
            var_old_mode = 1;
            break;
        case 'r':
            var_rcpts = src_number("recipient count", optarg);
            break;
        case 'R':
            var_random_delay = src_number("random delay", optarg);
            break;
        case 's':
            var_sessions = src_number("session count", optarg);
            break;
        case 'S':
            var_subject = optarg;
            break;
        case 't':
            var_recipient = optarg;
            break;
        case 'T':
            var_window = src_number("TCP window size", optarg);
            break;
        case 'v':
            msg_verbose++;
            break;
        case 'w':
            var_fixed_delay = src_number("fixed delay", optarg);
            break;
        default:
            src_usage(argv[0]);
        }
    }
    if (argc - optind != 1)
        src_usage(argv[0]);
    if (var_myhostname == 0) {
        if (gethostname(hostname, sizeof(hostname)) < 0)
            msg_fatal("gethostname: %m");
        hostname[sizeof(hostname) - 1] = 0;
        var_myhostname = hostname;
    }
    if (var_sender == 0)
        var_sender = concatenate("foo@", var_myhostname, (char *)0);
    if (var_recipient == 0)
        var_recipient = concatenate("foo@", var_myhostname, (char *)0);
    if (file) {
        var_preformatted = 1;
        src_body_file(file);
    } else if (length > 0) {
        src_body_length(length);
    } else {
        src_body_default();
    }
    var_server = src_endpoint(argv[optind], family);
    src_messages_left = var_messages;
    for (i = 0; i < var_sessions && src_messages_left > 0; i++)
        src_session_start();
    while (src_sessions_active > 0)
        event_loop(-1);
    if (var_count) {
        vstream_fputs("\n", VSTREAM_OUT);
        vstream_fflush(VSTREAM_OUT);
    }
    return (0);
}

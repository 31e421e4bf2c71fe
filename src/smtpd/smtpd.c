/*
 * smtpd - the SMTP server (see man/man8/smtpd.8).
 *
 * A single-threaded single_server daemon: one process serves one SMTP
 * session at a time, either on a connection accepted from a master.cf
 * listener, or with -S on standard input/output (sendmail -bs).
 *
 * This module holds main(), the per-process configuration, the session
 * (connect-time limits, greeting, the command loop with its error, junk
 * and pipelining rules, the disconnect statistics) and the simple commands:
 * HELO, EHLO, RSET, NOOP, QUIT, ETRN. MAIL/RCPT/VRFY are in
 * smtpd_envelope.c, DATA/BDAT and the cleanup hand-off in smtpd_data.c,
 * XCLIENT/XFORWARD in smtpd_xforward.c, replies in smtpd_chat.c. Access
 * control is smtpd_check.c's (API in smtpd_check.h).
 *
 * Failure: a lost connection or timeout ends the session with the log
 * lines Postfix writes ("lost connection after CMD from host[addr]",
 * "timeout after ..."); configuration errors are fatal at start-up.
 */

#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "anvil_clnt.h"
#include "argv.h"
#include "dict.h"
#include "flush_clnt.h"
#include "input_transp.h"
#include "iostuff.h"
#include "mail_conf.h"
#include "mail_error.h"
#include "mail_params.h"
#include "mail_server.h"
#include "maps.h"
#include "match_list.h"
#include "msg.h"
#include "mymalloc.h"
#include "name_mask.h"
#include "smtp_stream.h"
#include "smtpd_check.h"
#include "smtpd_int.h"
#include "stringops.h"
#include "valid_hostname.h"
#include "valid_utf8_string.h"

SMTPD_CONFIG smtpd_config;
SMTPD_SESSION *smtpd_session;
ANVIL_CLNT *smtpd_anvil;
static int smtpd_stand_alone;

/* The commands. FLAG_LIMIT: counts as junk; FLAG_LAST: must end a pipelined group. */
#define CMD_FLAG_LIMIT (1 << 0)
#define CMD_FLAG_LAST (1 << 1)
#define CMD_FLAG_PRE_TLS (1 << 2) /* allowed when TLS is required but not active */

typedef struct SMTPD_CMD {
    const char *name;
    int (*action)(SMTPD_STATE *, int, char **);
    int flags;
    int success_count;
    int total_count;
} SMTPD_CMD;

static int helo_cmd(SMTPD_STATE *, int, char **);
static int ehlo_cmd(SMTPD_STATE *, int, char **);
static int rset_cmd(SMTPD_STATE *, int, char **);
static int noop_cmd(SMTPD_STATE *, int, char **);
static int etrn_cmd(SMTPD_STATE *, int, char **);
static int quit_cmd(SMTPD_STATE *, int, char **);

static SMTPD_CMD smtpd_cmd_table[] = {
    {"HELO", helo_cmd, CMD_FLAG_LIMIT | CMD_FLAG_LAST | CMD_FLAG_PRE_TLS, 0, 0},
    {"EHLO", ehlo_cmd, CMD_FLAG_LIMIT | CMD_FLAG_LAST | CMD_FLAG_PRE_TLS, 0, 0},
    {"XCLIENT", smtpd_xclient_cmd, CMD_FLAG_PRE_TLS, 0, 0},
    {"XFORWARD", smtpd_xforward_cmd, 0, 0, 0},
    {"MAIL", smtpd_mail_cmd, 0, 0, 0},
    {"RCPT", smtpd_rcpt_cmd, 0, 0, 0},
    {"DATA", smtpd_data_cmd, CMD_FLAG_LAST, 0, 0},
    {"BDAT", smtpd_bdat_cmd, 0, 0, 0},
    {"RSET", rset_cmd, CMD_FLAG_LIMIT, 0, 0},
    {"NOOP", noop_cmd, CMD_FLAG_LIMIT | CMD_FLAG_LAST | CMD_FLAG_PRE_TLS, 0, 0},
    {"VRFY", smtpd_vrfy_cmd, CMD_FLAG_LIMIT | CMD_FLAG_LAST, 0, 0},
    {"ETRN", etrn_cmd, CMD_FLAG_LIMIT, 0, 0},
    {"QUIT", quit_cmd, CMD_FLAG_PRE_TLS, 0, 0},
    {0, 0, 0, 0, 0},
};

/* Unrecognized commands, for the statistics. */
static SMTPD_CMD smtpd_unknown_cmd = {"UNKNOWN", 0, 0, 0, 0};

static const NAME_MASK ehlo_mask_table[] = {
    {"8BITMIME", EHLO_MASK_8BITMIME},
    {"AUTH", EHLO_MASK_AUTH},
    {"ETRN", EHLO_MASK_ETRN},
    {"PIPELINING", EHLO_MASK_PIPELINING},
    {"SIZE", EHLO_MASK_SIZE},
    {"VERP", EHLO_MASK_VERP},
    {"VRFY", EHLO_MASK_VRFY},
    {"XCLIENT", EHLO_MASK_XCLIENT},
    {"XFORWARD", EHLO_MASK_XFORWARD},
    {"STARTTLS", EHLO_MASK_STARTTLS},
    {"ENHANCEDSTATUSCODES", EHLO_MASK_ENHANCEDSTATUSCODES},
    {"DSN", EHLO_MASK_DSN},
    {"SMTPUTF8", EHLO_MASK_SMTPUTF8},
    {"CHUNKING", EHLO_MASK_CHUNKING},
    {"SILENT-DISCARD", EHLO_MASK_SILENT},
    {0, 0},
};

/* smtpd_ehlo_mask - keyword names to a mask; unknown names are ignored */
static int smtpd_ehlo_mask(const char *names)
{
    return (name_mask_opt("ehlo keyword", ehlo_mask_table, names,
                          NAME_MASK_ANY_CASE | NAME_MASK_IGNORE));
}

/* smtpd_log_reject - "QUEUEID: reject: CMD from host[addr]: reply; from=<> ..." */
void smtpd_log_reject(SMTPD_STATE *state, const char *what, const char *reply)
{
    VSTRING *buf = vstring_alloc(200);

    vstring_sprintf(buf, "%s: %s: %s from %s: %s;", state->queue_id ? state->queue_id : "NOQUEUE",
                    what, state->where, state->namaddr, reply);
    if (state->sender)
        vstring_sprintf_append(buf, " from=<%s>", state->sender);
    if (state->recipient)
        vstring_sprintf_append(buf, " to=<%s>", state->recipient);
    vstring_sprintf_append(buf, " proto=%s", state->protocol);
    if (state->helo_name)
        vstring_sprintf_append(buf, " helo=<%s>", state->helo_name);
    msg_info("%s", vstring_str(buf));
    vstring_free(buf);
}

/* smtpd_event_limit_exempt - is this client exempt from anvil limits? */
int smtpd_event_limit_exempt(SMTPD_STATE *state)
{
    if (SMTPD_STAND_ALONE(state) || smtpd_anvil == 0)
        return (1);
    return (namadr_list_match(smtpd_config.event_limit_exceptions, state->name, state->addr));
}

/* helo_name_arg - the HELO/EHLO argument: all words, as Postfix keeps them */
static char *helo_name_arg(int argc, char **argv)
{
    ARGV *words = argv_alloc(argc);
    char *name;
    int i;

    for (i = 1; i < argc; i++)
        argv_add(words, argv[i], (char *)0);
    name = argv_join(words, " ");
    argv_free(words);
    return (printable(name, '?'));
}

/* helo_set - remember the HELO name and protocol; a new HELO resets the transaction */
static int helo_set(SMTPD_STATE *state, int argc, char **argv, const char *proto)
{
    char *name;
    char *err;

    if (argc < 2) {
        smtpd_chat_reply(state, "501 Syntax: %s hostname", argv[0]);
        return (-1);
    }
    name = helo_name_arg(argc, argv);
    if (!SMTPD_STAND_ALONE(state) && !var_smtpd_delay_reject &&
        (err = smtpd_check_helo(state, name)) != 0) {
        state->error_mask |= MAIL_ERROR_POLICY;
        smtpd_chat_reply(state, "%s", err);
        myfree(name);
        return (-1);
    }
    smtpd_mail_reset(state);
    if (state->helo_name)
        myfree(state->helo_name);
    state->helo_name = name;
    myfree(state->protocol);
    state->protocol = mystrdup(proto);
    return (0);
}

/* helo_cmd - HELO hostname */
static int helo_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    if (helo_set(state, argc, argv, "SMTP") < 0)
        return (-1);
    state->flags &= ~SMTPD_FLAG_EHLO;
    smtpd_chat_reply(state, "250 %s", var_myhostname);
    return (0);
}

/* ehlo_keyword - one more EHLO reply line */
static void ehlo_keyword(VSTRING *reply, const char *fmt, ...)
{
    va_list ap;

    vstring_strcat(reply, "\n250 ");
    va_start(ap, fmt);
    vstring_vsprintf_append(reply, fmt, ap);
    va_end(ap);
}

/* ehlo_cmd - EHLO hostname: the keyword list */
static int ehlo_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    VSTRING *reply;
    int mask = smtpd_session->ehlo_discard_mask;

    if (argc < 2) {
        smtpd_chat_reply(state, "501 Syntax: EHLO hostname");
        return (-1);
    }
    if (helo_set(state, argc, argv, "ESMTP") < 0)
        return (-1);
    state->flags |= SMTPD_FLAG_EHLO;
    smtpd_notify_trim(state);
    if ((mask & ~EHLO_MASK_SILENT) && !(mask & EHLO_MASK_SILENT))
        msg_info("discarding EHLO keywords: %s",
                 str_name_mask_opt((VSTRING *)0, "discard mask", ehlo_mask_table,
                                   mask & ~EHLO_MASK_SILENT, NAME_MASK_IGNORE));
    reply = vstring_alloc(200);
    vstring_sprintf(reply, "250 %s", var_myhostname);
    if (!(mask & EHLO_MASK_PIPELINING))
        ehlo_keyword(reply, "PIPELINING");
    if (!(mask & EHLO_MASK_SIZE)) {
        if (var_message_size_limit > 0)
            ehlo_keyword(reply, "SIZE %lu", (unsigned long)var_message_size_limit);
        else
            ehlo_keyword(reply, "SIZE");
    }
    if (!(mask & EHLO_MASK_VRFY) && !var_disable_vrfy_command)
        ehlo_keyword(reply, "VRFY");
    if (!(mask & EHLO_MASK_ETRN))
        ehlo_keyword(reply, "ETRN");
    if (!(mask & EHLO_MASK_XCLIENT) && state->xclient_allowed)
        ehlo_keyword(reply,
                     "XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT");
    if (!(mask & EHLO_MASK_XFORWARD) && state->xforward_allowed)
        ehlo_keyword(reply, "XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT");
    if (!(mask & EHLO_MASK_ENHANCEDSTATUSCODES))
        ehlo_keyword(reply, "ENHANCEDSTATUSCODES");
    if (!(mask & EHLO_MASK_8BITMIME))
        ehlo_keyword(reply, "8BITMIME");
    if (!(mask & EHLO_MASK_DSN))
        ehlo_keyword(reply, "DSN");
    if (!(mask & EHLO_MASK_SMTPUTF8) && var_smtputf8_enable)
        ehlo_keyword(reply, "SMTPUTF8");
    if (!(mask & EHLO_MASK_CHUNKING))
        ehlo_keyword(reply, "CHUNKING");
    smtpd_chat_reply(state, "%s", vstring_str(reply));
    vstring_free(reply);
    return (0);
}

/* rset_cmd - RSET: end the transaction */
static int rset_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    if (argc != 1) {
        smtpd_chat_reply(state, "501 5.5.4 Syntax: RSET");
        return (-1);
    }
    smtpd_mail_reset(state);
    smtpd_notify_trim(state);
    smtpd_chat_reply(state, "250 2.0.0 Ok");
    return (0);
}

/* noop_cmd - NOOP (arguments are allowed and ignored) */
static int noop_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    smtpd_chat_reply(state, "250 2.0.0 Ok");
    return (0);
}

/* quit_cmd - QUIT */
static int quit_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    smtpd_chat_reply(state, "221 2.0.0 Bye");
    state->flags |= SMTPD_FLAG_HANGUP;
    return (0);
}

/* etrn_cmd - ETRN domain: ask the fast flush service to deliver */
static int etrn_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    char *err;
    const char *site;

    if (var_smtpd_helo_required && state->helo_name == 0) {
        smtpd_chat_reply(state, "503 Error: send HELO/EHLO first");
        return (-1);
    }
    if (state->sender != 0) {
        smtpd_chat_reply(state, "503 Error: MAIL transaction in progress");
        return (-1);
    }
    if (argc != 2) {
        smtpd_chat_reply(state, "500 Syntax: ETRN domain");
        return (-1);
    }
    site = argv[1];
    if (*site == '@' || *site == '#')
        site++;
    if (!valid_hostname(site, 0) && !valid_hostaddr(site, 0)) {
        smtpd_chat_reply(state, "501 Error: invalid parameter syntax");
        return (-1);
    }
    if (SMTPD_STAND_ALONE(state)) {
        msg_warn("do not use ETRN in \"sendmail -bs\" mode");
        smtpd_chat_reply(state, "458 Unable to queue messages");
        return (-1);
    }
    state->etrn_name = mystrdup(site);
    err = smtpd_check_etrn(state, state->etrn_name);
    myfree(state->etrn_name);
    state->etrn_name = 0;
    if (err != 0) {
        state->error_mask |= MAIL_ERROR_POLICY;
        smtpd_chat_reply(state, "%s", err);
        return (-1);
    }
    switch (flush_send_site(site)) {
    case FLUSH_STAT_OK:
        smtpd_chat_reply(state, "250 Queuing started");
        return (0);
    case FLUSH_STAT_DENY:
        msg_info("reject: ETRN %.100s... from %s", site, state->namaddr);
        smtpd_chat_reply(state, "459 <%s>: service unavailable", site);
        return (-1);
    case FLUSH_STAT_BAD:
        msg_warn("bad ETRN %.100s... from %s", site, state->namaddr);
        smtpd_chat_reply(state, "458 Unable to queue messages");
        return (-1);
    default:
        msg_warn("unable to talk to fast flush service");
        smtpd_chat_reply(state, "458 Unable to queue messages");
        return (-1);
    }
}

/* smtpd_split - split a command line into words, in place */
static int smtpd_split(char *line, char **argv, int max)
{
    int argc = 0;
    char *cp = line;
    int quote;
    int angle;

    while (argc < max - 1) {
        while (*cp == ' ' || *cp == '\t')
            cp++;
        if (*cp == 0)
            break;
        argv[argc++] = cp;
        quote = angle = 0;
        for (; *cp; cp++) {
            if (quote && *cp == '\\' && cp[1]) {
                cp++;
            } else if (*cp == '"') {
                quote = !quote;
            } else if (!quote && *cp == '<') {
                angle++;
            } else if (!quote && *cp == '>' && angle > 0) {
                angle--;
            } else if (!quote && !angle && (*cp == ' ' || *cp == '\t')) {
                break;
            }
        }
        if (*cp)
            *cp++ = 0;
    }
    argv[argc] = 0;
    return (argc);
}

/* smtpd_escape - input as C-style escaped text, for logging */
static const char *smtpd_escape(VSTRING *buf, const char *data, size_t len)
{
    size_t i;
    unsigned char ch;

    VSTRING_RESET(buf);
    for (i = 0; i < len && VSTRING_LEN(buf) < 100; i++) {
        ch = data[i];
        if (ch == '\r')
            vstring_strcat(buf, "\\r");
        else if (ch == '\n')
            vstring_strcat(buf, "\\n");
        else if (ch == '\t')
            vstring_strcat(buf, "\\t");
        else if (ch == '\\')
            vstring_strcat(buf, "\\\\");
        else if (ch < 32 || ch >= 127)
            vstring_sprintf_append(buf, "\\%03o", ch);
        else
            VSTRING_ADDCH(buf, ch);
    }
    VSTRING_TERMINATE(buf);
    if (VSTRING_LEN(buf) > 100)
        vstring_truncate(buf, 100);
    return (vstring_str(buf));
}

/* smtpd_pending - is client input waiting? Reads what already arrived. */
static size_t smtpd_pending(SMTPD_STATE *state)
{
    VSTREAM *fp = state->client;
    int ch;

    if (vstream_peek(fp) > 0)
        return (vstream_peek(fp));
    if (peekfd(vstream_fileno(fp)) <= 0)
        return (0);
    /* Pull it into the buffer, so that it can be shown. */
    if ((ch = vstream_getc(fp)) == VSTREAM_EOF)
        return (0);
    vstream_ungetc(fp, ch);
    return (vstream_peek(fp));
}

/* smtpd_ill_pipelining - log (and with smtpd_forbid_unauth_pipelining, refuse) */
static int smtpd_ill_pipelining(SMTPD_STATE *state, const char *after)
{
    VSTRING *buf = vstring_alloc(120);
    VSTREAM *fp = state->client;

    msg_info("improper command pipelining after %s from %s: %s", after, state->namaddr,
             smtpd_escape(buf, fp->rbuf + fp->rpos, fp->rlen - fp->rpos));
    vstring_free(buf);
    state->flags |= SMTPD_FLAG_ILL_PIPELINING;
    if (var_smtpd_forbid_unauth_pipelining) {
        smtpd_chat_reply(state, "554 5.5.0 Error: SMTP protocol synchronization");
        state->flags |= SMTPD_FLAG_HANGUP;
        return (-1);
    }
    return (0);
}

/* smtpd_forbidden - a command that only a web browser or a proxy abuser sends */
static int smtpd_forbidden(const char *cmd)
{
    size_t len = strlen(cmd);

    if (len > 1 && cmd[len - 1] == ':' &&
        strspn(cmd, "abcdefghijklmnopqrstuvwxyz"
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == len - 1)
        return (1);
    return (string_list_match(smtpd_config.forbidden_commands, cmd));
}

/* smtpd_lookup_cmd - the table entry of a command name, or 0 */
static SMTPD_CMD *smtpd_lookup_cmd(const char *name)
{
    SMTPD_CMD *cmdp;

    for (cmdp = smtpd_cmd_table; cmdp->name; cmdp++)
        if (strcasecmp(name, cmdp->name) == 0)
            return (cmdp);
    return (0);
}

/* smtpd_bare_lf_command - a command line with a bare LF, when refused */
static int smtpd_bare_lf_command(SMTPD_STATE *state)
{
    VSTRING *reply;

    if (smtp_line_end != SMTP_LINE_BARE_LF || smtpd_session->bare_lf_mode != BARE_LF_REJECT)
        return (0);
    reply = vstring_alloc(100);
    state->flags |= SMTPD_FLAG_BARE_LF;
    vstring_sprintf(reply, "%d 5.5.2 %s Error: bare <LF> received",
                    var_smtpd_forbid_bare_newline_reject_code, var_myhostname);
    smtpd_log_reject(state, "reject", vstring_str(reply));
    smtpd_chat_reply(state, "%s", vstring_str(reply));
    vstring_free(reply);
    if (var_smtpd_forbid_bare_newline_reject_code == 521)
        state->flags |= SMTPD_FLAG_HANGUP;
    return (1);
}

/* smtpd_command_filter - smtpd_command_filter: replace a command line; -1 after a reply */
static int smtpd_command_filter(SMTPD_STATE *state)
{
    const char *value;

    if (smtpd_config.command_filter == 0)
        return (0);
    if ((value = maps_find(smtpd_config.command_filter, vstring_str(state->buffer), 0)) != 0) {
        msg_info("%s: replacing command \"%.100s\" with \"%.100s\"", state->namaddr,
                 vstring_str(state->buffer), value);
        vstring_strcpy(state->buffer, value);
    } else if (smtpd_config.command_filter->error) {
        msg_warn("%s lookup error for \"%.100s\"", smtpd_config.command_filter->title,
                 vstring_str(state->buffer));
        smtpd_chat_reply(state, "451 4.3.0 Temporary lookup error");
        state->error_count++;
        return (-1);
    }
    return (0);
}

/* smtpd_one_command - read, check and run one command */
static void smtpd_one_command(SMTPD_STATE *state)
{
    int mask;
    char *argv[256];
    int argc;
    SMTPD_CMD *cmdp;
    char *line;

    smtpd_chat_query(state);
    if (smtpd_bare_lf_command(state)) {
        state->error_count++;
        return;
    }
    if (smtpd_command_filter(state) < 0)
        return;
    line = vstring_str(state->buffer);
    if (var_smtputf8_enable && !valid_utf8_string(line, VSTRING_LEN(state->buffer))) {
        state->where = "UNKNOWN";
        smtpd_chat_reply(state, "500 5.5.2 Error: bad UTF-8 syntax");
        state->error_count++;
        state->error_mask |= MAIL_ERROR_PROTOCOL;
        return;
    }
    if ((argc = smtpd_split(line, argv, sizeof(argv) / sizeof(argv[0]))) == 0) {
        state->where = "UNKNOWN";
        smtpd_chat_reply(state, "500 5.5.2 Error: bad syntax");
        state->error_count++;
        state->error_mask |= MAIL_ERROR_PROTOCOL;
        return;
    }
    if (smtpd_forbidden(argv[0])) {
        msg_warn("non-SMTP command from %s: %.100s", state->namaddr, argv[0]);
        smtpd_chat_reply(state, "221 2.7.0 Error: I can break rules, too. Goodbye.");
        state->flags |= SMTPD_FLAG_HANGUP;
        return;
    }
    if ((cmdp = smtpd_lookup_cmd(argv[0])) == 0) {
        state->where = "UNKNOWN";
        smtpd_unknown_cmd.total_count++;
        smtpd_chat_reply(state, "502 5.5.2 Error: command not recognized");
        state->error_count++;
        state->error_mask |= MAIL_ERROR_PROTOCOL;
        return;
    }
    state->where = cmdp->name;
    cmdp->total_count++;
    if (state->access_denied && cmdp->action != quit_cmd) {
        smtpd_chat_reply(state, "503 5.7.0 Error: access denied for %s", state->namaddr);
        state->error_count++;
        return;
    }
    /* RFC 2920: some commands must end a group; without EHLO none may be grouped. */
    if (!(state->flags & SMTPD_FLAG_ILL_PIPELINING) && !SMTPD_STAND_ALONE(state) &&
        ((cmdp->flags & CMD_FLAG_LAST) || !(state->flags & SMTPD_FLAG_EHLO) ||
         (smtpd_session->ehlo_discard_mask & EHLO_MASK_PIPELINING)) &&
        cmdp->action != smtpd_bdat_cmd && smtpd_pending(state) > 0 &&
        smtpd_ill_pipelining(state, cmdp->name) < 0)
        return;
    /* TLS is required, but this build has no TLS: only the harmless commands work. */
    if (smtpd_config.tls_required && !(cmdp->flags & CMD_FLAG_PRE_TLS)) {
        smtpd_chat_reply(state, "530 5.7.0 Must issue a STARTTLS command first");
        state->error_count++;
        return;
    }
    if ((cmdp->flags & CMD_FLAG_LIMIT) && state->junk_cmds++ > var_smtpd_junk_command_limit)
        state->error_count++;
    if (string_list_match(smtpd_config.noop_commands, cmdp->name)) {
        cmdp->success_count++;
        smtpd_chat_reply(state, "250 2.0.0 Ok");
        return;
    }
    mask = state->error_mask;
    if (cmdp->action(state, argc, argv) == 0) {
        cmdp->success_count++;
    } else {
        state->error_count++;
        /* Errors that no one classified are protocol errors. */
        if (state->error_mask == mask)
            state->error_mask |= MAIL_ERROR_PROTOCOL;
    }
}

/* smtpd_anvil_connect - connection count and rate limits; 0 when admitted */
static int smtpd_anvil_connect(SMTPD_STATE *state)
{
    int count;
    int rate;

    if ((var_smtpd_client_connection_count_limit <= 0 &&
         var_smtpd_client_connection_rate_limit <= 0) ||
        smtpd_event_limit_exempt(state))
        return (0);
    if (anvil_clnt_connect(smtpd_anvil, state->service, state->addr, &count, &rate) !=
        ANVIL_STAT_OK)
        return (0);
    smtpd_session->anvil_connected = 1;
    if (var_smtpd_client_connection_count_limit > 0 &&
        count > var_smtpd_client_connection_count_limit) {
        msg_warn("Connection concurrency limit exceeded: %d from %s for service %s", count,
                 state->namaddr, state->service);
        smtpd_chat_reply(state, "421 4.7.0 %s Error: too many connections from %s", var_myhostname,
                         state->addr);
        return (-1);
    }
    if (var_smtpd_client_connection_rate_limit > 0 &&
        rate > var_smtpd_client_connection_rate_limit) {
        msg_warn("Connection rate limit exceeded: %d from %s for service %s", rate, state->namaddr,
                 state->service);
        smtpd_chat_reply(state, "421 4.7.0 %s Error: too many connections from %s", var_myhostname,
                         state->addr);
        return (-1);
    }
    return (0);
}

/* smtpd_greet - limits, connect-time checks, pipelining before the greeting */
static int smtpd_greet(SMTPD_STATE *state)
{
    char *err;

    if (smtpd_anvil_connect(state) < 0)
        return (-1);
    if (!SMTPD_STAND_ALONE(state) && !var_smtpd_delay_reject && !state->xclient_allowed &&
        (err = smtpd_check_client(state)) != 0) {
        state->access_denied = 1;
        state->access_denied_reply = mystrdup(err);
        state->error_mask |= MAIL_ERROR_POLICY;
        smtpd_chat_reply(state, "%s", err);
        state->error_count++;
        return (0);
    }
    if (!SMTPD_STAND_ALONE(state) && smtpd_pending(state) > 0 &&
        smtpd_ill_pipelining(state, state->where) < 0)
        return (-1);
    smtpd_chat_reply(state, "220 %s", var_smtpd_banner);
    return (0);
}

/* smtpd_proto - the whole session, with exceptions for lost connections */
static void smtpd_proto(SMTPD_STATE *state)
{
    jmp_buf jbuf;
    int status;

    smtp_stream_setup(state->client, var_smtpd_timeout, var_smtpd_per_request_deadline);
    status = smtp_stream_setjmp(state->client, &jbuf);
    if (status == 0) {
        if (smtpd_greet(state) == 0) {
            while (!(state->flags & SMTPD_FLAG_HANGUP)) {
                if (state->error_count >= var_smtpd_hard_error_limit) {
                    smtpd_session->reason = "too many errors";
                    smtpd_chat_reply(state, "421 4.7.0 %s Error: too many errors", var_myhostname);
                    break;
                }
                smtpd_one_command(state);
            }
        }
        smtp_flush(state->client);
    } else {
        smtpd_session->reason = status == SMTP_ERR_TIME ? "timeout" : "lost connection";
        if (status == SMTP_ERR_TIME && setjmp(jbuf) == 0) {
            smtp_stream_setup(state->client, var_smtpd_timeout, 0);
            smtpd_chat_reply(state, "421 4.4.2 %s Error: timeout exceeded", var_myhostname);
            smtp_flush(state->client);
        }
    }
    smtp_stream_disarm(state->client);
    if (smtpd_session->reason) {
        if (strcmp(state->where, "DATA content") == 0 || strcmp(state->where, "BDAT content") == 0)
            msg_info("%s after %s (%lu bytes) from %s", smtpd_session->reason,
                     state->where[0] == 'D' ? "DATA" : "BDAT", (unsigned long)state->act_size,
                     state->namaddr);
        else
            msg_info("%s after %s from %s", smtpd_session->reason, state->where, state->namaddr);
    }
    smtpd_mail_reset(state);
}

/* smtpd_stats - " ehlo=1 mail=1 ... commands=5", and reset the counters */
static const char *smtpd_stats(VSTRING *buf)
{
    SMTPD_CMD *cmdp;
    int ok = 0;
    int total = 0;
    char name[32];
    int last = 0;

    VSTRING_RESET(buf);
    for (cmdp = smtpd_cmd_table; !last; cmdp++) {
        if (cmdp->name == 0) {
            cmdp = &smtpd_unknown_cmd;
            last = 1;
        }
        if (cmdp->total_count > 0) {
            snprintf(name, sizeof(name), "%s", cmdp->name);
            lowercase(name);
            vstring_sprintf_append(buf, " %s=%d", name, cmdp->success_count);
            if (cmdp->success_count != cmdp->total_count)
                vstring_sprintf_append(buf, "/%d", cmdp->total_count);
            ok += cmdp->success_count;
            total += cmdp->total_count;
        }
        cmdp->success_count = cmdp->total_count = 0;
    }
    vstring_sprintf_append(buf, " commands=%d", ok);
    if (ok != total)
        vstring_sprintf_append(buf, "/%d", total);
    VSTRING_TERMINATE(buf);
    return (vstring_str(buf));
}

/* smtpd_session_setup - per-client settings that depend on who the client is */
static void smtpd_session_setup(SMTPD_STATE *state, SMTPD_SESSION *session)
{
    const char *value;

    session->ehlo_discard_mask = smtpd_config.ehlo_discard_mask;
    if (smtpd_config.ehlo_discard_maps &&
        (value = maps_find(smtpd_config.ehlo_discard_maps, state->addr, 0)) != 0)
        session->ehlo_discard_mask = smtpd_ehlo_mask(value);
    session->bare_lf_mode = smtpd_config.bare_lf_mode;
    if (session->bare_lf_mode != BARE_LF_ALLOW && !SMTPD_STAND_ALONE(state) &&
        namadr_list_match(smtpd_config.bare_lf_exclusions, state->name, state->addr))
        session->bare_lf_mode = BARE_LF_ALLOW;
    if (!SMTPD_STAND_ALONE(state)) {
        state->xclient_allowed =
            namadr_list_match(smtpd_config.xclient_hosts, state->name, state->addr);
        state->xforward_allowed =
            namadr_list_match(smtpd_config.xforward_hosts, state->name, state->addr);
    }
}

/* smtpd_service - one SMTP session */
static void smtpd_service(VSTREAM *stream, char *service, char **argv)
{
    SMTPD_STATE state;
    SMTPD_SESSION session;
    VSTRING *stats;

    if (argv[0])
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    memset(&session, 0, sizeof(session));
    smtpd_session = &session;
    smtpd_state_init(&state, stream, service);
    state.stand_alone = smtpd_stand_alone;
    if (smtpd_config.haproxy && !smtpd_stand_alone && smtpd_peer_from_proxy(&state) < 0) {
        smtpd_state_reset(&state);
        smtpd_session = 0;
        return;
    }
    vstream_set_timeout(stream, var_smtpd_timeout);
    smtpd_session_setup(&state, &session);
    msg_info("connect from %s", state.namaddr);

    if (var_smtpd_tls_wrappermode && !smtpd_stand_alone)
        msg_warn("Wrapper-mode request dropped from %s for service %s. TLS context "
                 "initialization failed. For details see earlier warnings in your logs.",
                 state.namaddr, state.service);
    else
        smtpd_proto(&state);

    stats = vstring_alloc(100);
    msg_info("disconnect from %s%s", state.namaddr, smtpd_stats(stats));
    vstring_free(stats);
    if (session.anvil_connected)
        (void)anvil_clnt_disconnect(smtpd_anvil, state.service, state.addr);
    if (!SMTPD_STAND_ALONE(&state))
        smtpd_notify_send(&state);
    smtpd_notify_free(&session);
    smtpd_state_reset(&state);
    smtpd_session = 0;
}

/* smtpd_bare_lf_mode - parse smtpd_forbid_bare_newline */
static int smtpd_bare_lf_mode(const char *value)
{
    if (strcasecmp(value, "no") == 0)
        return (BARE_LF_ALLOW);
    if (strcasecmp(value, "normalize") == 0 || strcasecmp(value, "yes") == 0)
        return (BARE_LF_NORMALIZE);
    if (strcasecmp(value, "reject") == 0)
        return (BARE_LF_REJECT);
    msg_fatal("invalid %s value: \"%s\"", "smtpd_forbid_bare_newline", value);
}

/*
 * smtpd_unavailable_setup - Milters and before-queue content filters are
 * not implemented. Rather than pass mail that the configuration says must
 * be inspected, behave as Postfix does when they cannot be reached.
 */
static void smtpd_unavailable_setup(void)
{
    if (*var_smtpd_proxy_filter) {
        msg_warn("smtpd_proxy_filter is not supported by this build: mail is deferred");
        smtpd_config.unavailable_reply = "451 4.3.5 Server configuration error";
    } else if (*var_smtpd_milters) {
        msg_warn("Milter support is not available in this build: milter_default_action = %s "
                 "applies to all mail",
                 var_milter_default_action);
        if (strcasecmp(var_milter_default_action, "accept") == 0)
            smtpd_config.unavailable_reply = 0;
        else if (strcasecmp(var_milter_default_action, "reject") == 0)
            smtpd_config.unavailable_reply = "550 5.7.1 Command rejected";
        else if (strcasecmp(var_milter_default_action, "quarantine") == 0)
            smtpd_config.milter_hold = 1;
        else
            smtpd_config.unavailable_reply = "451 4.7.1 Service unavailable - try again later";
    }
}

/* pre_jail_init - open what must be opened as root */
static void pre_jail_init(char *service, char **argv)
{
    smtpd_config.xclient_hosts = namadr_list_init(
        "smtpd_authorized_xclient_hosts", MATCH_FLAG_RETURN, var_smtpd_authorized_xclient_hosts);
    smtpd_config.xforward_hosts = namadr_list_init(
        "smtpd_authorized_xforward_hosts", MATCH_FLAG_RETURN, var_smtpd_authorized_xforward_hosts);
    smtpd_config.event_limit_exceptions =
        namadr_list_init("smtpd_client_event_limit_exceptions", MATCH_FLAG_RETURN,
                         var_smtpd_client_event_limit_exceptions);
    smtpd_config.bare_lf_exclusions =
        namadr_list_init("smtpd_forbid_bare_newline_exclusions", MATCH_FLAG_RETURN,
                         var_smtpd_forbid_bare_newline_exclusions);
    smtpd_config.verp_clients = namadr_list_init("smtpd_authorized_verp_clients", MATCH_FLAG_RETURN,
                                                 var_smtpd_authorized_verp_clients);
    smtpd_config.noop_commands =
        string_list_init("smtpd_noop_commands", MATCH_FLAG_RETURN, var_smtpd_noop_commands);
    smtpd_config.forbidden_commands = string_list_init(
        "smtpd_forbidden_commands", MATCH_FLAG_RETURN, var_smtpd_forbidden_commands);
    flush_init();
    smtpd_config.ehlo_discard_mask = smtpd_ehlo_mask(var_smtpd_discard_ehlo_keywords);
    if (*var_smtpd_discard_ehlo_keyword_address_maps)
        smtpd_config.ehlo_discard_maps =
            maps_create("smtpd_discard_ehlo_keyword_address_maps",
                        var_smtpd_discard_ehlo_keyword_address_maps, DICT_FLAG_LOCK);
    if (*var_smtpd_reject_footer_maps)
        smtpd_config.reject_footer_maps =
            maps_create("smtpd_reject_footer_maps", var_smtpd_reject_footer_maps, DICT_FLAG_LOCK);
    if (*var_smtpd_command_filter)
        smtpd_config.command_filter = maps_create("smtpd_command_filter", var_smtpd_command_filter,
                                                  DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    if (strcasecmp(var_smtpd_upstream_proxy_protocol, "haproxy") == 0)
        smtpd_config.haproxy = 1;
    else if (*var_smtpd_upstream_proxy_protocol)
        msg_fatal("unsupported %s value: %s", "smtpd_upstream_proxy_protocol",
                  var_smtpd_upstream_proxy_protocol);
    smtpd_unavailable_setup();
    if (var_smtpd_sasl_auth_enable)
        msg_warn("%s is true, but SASL support is not compiled in", "smtpd_sasl_auth_enable");
    smtpd_config.bare_lf_mode = smtpd_bare_lf_mode(var_smtpd_forbid_bare_newline);
    smtpd_config.input_transp =
        input_transp_mask("receive_override_options", var_receive_override_options);
    smtpd_config.tls_required =
        var_smtpd_enforce_tls || strcasecmp(var_smtpd_tls_security_level, "encrypt") == 0;
    if (var_smtpd_tls_wrappermode || var_smtpd_use_tls || smtpd_config.tls_required ||
        (*var_smtpd_tls_security_level && strcasecmp(var_smtpd_tls_security_level, "none")))
        msg_warn("TLS has been selected, but TLS support is not compiled in");
    smtpd_check_pre_init();
}

/* post_jail_init - after the privilege drop */
static void post_jail_init(char *service, char **argv)
{
    smtpd_check_init();
    if (!smtpd_stand_alone &&
        (var_smtpd_client_connection_count_limit > 0 ||
         var_smtpd_client_connection_rate_limit > 0 || var_smtpd_client_message_rate_limit > 0 ||
         var_smtpd_client_recipient_rate_limit > 0))
        smtpd_anvil = anvil_clnt_create();
}

/* main - pass control to the single-threaded skeleton */
int main(int argc, char **argv)
{
    int i;

    /* -S serves standard input: a local user's "sendmail -bs". */
    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], "-S") == 0)
            smtpd_stand_alone = 1;
    single_server_main(argc, argv, smtpd_service, CA_MAIL_SERVER_PRE_INIT(pre_jail_init),
                       CA_MAIL_SERVER_POST_INIT(post_jail_init), 0);
}

/*
 * smtpd_envelope - the SMTP server's envelope commands: MAIL FROM, RCPT TO
 * and VRFY, with their ESMTP parameters (SIZE, BODY, RET, ENVID, SMTPUTF8,
 * XVERP; NOTIFY, ORCPT).
 *
 * Exports smtpd_mail_cmd(), smtpd_rcpt_cmd() and smtpd_vrfy_cmd(), each
 * (state, argc, argv) returning 0 after a 2xx reply and -1 after an error
 * reply. Addresses are taken from "<...>" (or, unless
 * strict_rfc821_envelopes is set, from a bare or commented form) and kept
 * in internal (unquoted) form. The cleanup stream is opened at the first
 * accepted recipient (smtpd_open_stream), and each accepted recipient is
 * written to it at once with its DSN attributes.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <unistd.h>

#include "anvil_clnt.h"
#include "dsn_mask.h"
#include "mail_error.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "record.h"
#include "smtpd_check.h"
#include "smtpd_int.h"
#include "stringops.h"
#include "tok822.h"
#include "valid_utf8_string.h"
#include "verify_sender_addr.h"
#include "xtext.h"

/* Longest address or parameter value we take. */
#define SMTPD_ADDR_LIMIT 1024

/* addr_has_8bit - any non-ASCII byte? */
static int addr_has_8bit(const char *str)
{
    for (; *str; str++)
        if (*(const unsigned char *)str & 0x80)
            return (1);
    return (0);
}

/* extract_addr - the address of a MAIL FROM/RCPT TO/VRFY argument; 0 on success */
static int extract_addr(SMTPD_STATE *state, const char *arg, int allow_empty, int strict)
{
    TOK822 *tree;
    TOK822 *tp;
    TOK822 *addr = 0;
    int naddr = 0;
    size_t len = strlen(arg);
    int bracketed = (len >= 2 && arg[0] == '<' && arg[len - 1] == '>');

    VSTRING_RESET(state->addr_buf);
    VSTRING_TERMINATE(state->addr_buf);
    if (len > SMTPD_ADDR_LIMIT)
        return (-1);
    if (strict && !bracketed)
        return (-1);
    if (strcmp(arg, "<>") == 0)
        return (allow_empty ? 0 : -1);
    /* Strict RFC 821: nothing but the path between the brackets. */
    if (strict && (strchr(arg + 1, '<') != 0 || strpbrk(arg, "()") != 0))
        return (-1);
    tree = tok822_parse(arg);
    for (tp = tree; tp; tp = tp->next) {
        if (tp->type == TOK822_ADDR) {
            addr = tp;
            naddr++;
        }
    }
    if (naddr == 1 && addr->head)
        tok822_internalize(state->addr_buf, addr->head, TOK822_STR_DEFL);
    tok822_free_tree(tree);
    if (naddr > 1)
        return (-1);
    if (VSTRING_LEN(state->addr_buf) == 0)
        return (allow_empty ? 0 : -1);
    /* A lone "@" or an address ending in "@" is no address. */
    if (vstring_end(state->addr_buf)[-1] == '@' && VSTRING_LEN(state->addr_buf) == 1)
        return (-1);
    if (var_smtputf8_enable &&
        !valid_utf8_string(vstring_str(state->addr_buf), VSTRING_LEN(state->addr_buf)))
        return (-1);
    return (0);
}

/* split_from_to - "FROM:<a>" or "FROM:" "<a>": the address argument, or 0 */
static char *split_from_to(int argc, char **argv, const char *keyword, int *next)
{
    size_t klen = strlen(keyword);

    if (argc < 2 || strncasecmp(argv[1], keyword, klen) != 0)
        return (0);
    if (argv[1][klen] != 0) {
        *next = 2;
        return (argv[1] + klen);
    }
    if (argc < 3)
        return (0);
    *next = 3;
    return (argv[2]);
}

/* mail_params - the ESMTP parameters of MAIL FROM; 0, or -1 after a reply */
static int mail_params(SMTPD_STATE *state, int argc, char **argv, int i)
{
    const char *arg;
    VSTRING *buf;
    char *end;
    long size;

    for (; i < argc; i++) {
        arg = argv[i];
        if (strcasecmp(arg, "BODY=8BITMIME") == 0) {
            state->encoding = MAIL_ATTR_ENC_8BIT;
        } else if (strcasecmp(arg, "BODY=7BIT") == 0) {
            state->encoding = MAIL_ATTR_ENC_7BIT;
        } else if (strncasecmp(arg, "SIZE=", 5) == 0) {
            errno = 0;
            size = strtol(arg + 5, &end, 10);
            if (!alldig(arg + 5) || *end || errno == ERANGE || size < 0) {
                smtpd_chat_reply(state, "501 5.5.4 Bad message size syntax");
                return (-1);
            }
            state->msg_size = size;
        } else if (var_smtputf8_enable && strcasecmp(arg, "SMTPUTF8") == 0) {
            state->flags |= SMTPD_FLAG_SMTPUTF8;
        } else if (namadr_list_match(smtpd_config.verp_clients, state->name, state->addr) &&
                   (strcasecmp(arg, "XVERP") == 0 || strncasecmp(arg, "XVERP=", 6) == 0)) {
            const char *delims = arg[5] == '=' ? arg + 6 : var_default_verp_delimiters;

            if (strlen(delims) != 2 || strspn(delims, var_verp_delimiter_filter) != 2) {
                smtpd_chat_reply(state, "501 5.5.4 Error: %s needs two characters from %s", "XVERP",
                                 var_verp_delimiter_filter);
                return (-1);
            }
            if (state->verp_delims)
                myfree(state->verp_delims);
            state->verp_delims = mystrdup(delims);
        } else if (strncasecmp(arg, "RET=", 4) == 0 || strncasecmp(arg, "ENVID=", 6) == 0) {
            if (smtpd_session->ehlo_discard_mask & EHLO_MASK_DSN) {
                smtpd_chat_reply(state, "501 5.7.1 DSN support is disabled");
                return (-1);
            }
            if (arg[0] == 'R' || arg[0] == 'r') {
                if (state->dsn_ret || (state->dsn_ret = dsn_ret_code(arg + 4)) == 0) {
                    smtpd_chat_reply(state, "501 5.5.4 Bad RET parameter syntax");
                    return (-1);
                }
            } else {
                buf = vstring_alloc(100);
                if (state->dsn_envid || xtext_unquote(buf, arg + 6) == 0 ||
                    VSTRING_LEN(buf) > 100 || !allprint(vstring_str(buf))) {
                    vstring_free(buf);
                    smtpd_chat_reply(state, "501 5.5.4 Bad ENVID parameter syntax");
                    return (-1);
                }
                state->dsn_envid = mystrdup(vstring_str(buf));
                vstring_free(buf);
            }
        } else {
            smtpd_chat_reply(state, "555 5.5.4 Unsupported option: %s", arg);
            return (-1);
        }
    }
    return (0);
}

/* mail_clear - forget the parameters of a refused MAIL FROM */
static void mail_clear(SMTPD_STATE *state)
{
    state->encoding = 0;
    state->msg_size = 0;
    state->dsn_ret = 0;
    if (state->dsn_envid)
        myfree(state->dsn_envid);
    state->dsn_envid = 0;
    if (state->verp_delims)
        myfree(state->verp_delims);
    state->verp_delims = 0;
    state->flags &= ~SMTPD_FLAG_SMTPUTF8;
}

/* mail_rate_limit - smtpd_client_message_rate_limit; 0 or -1 after a reply */
static int mail_rate_limit(SMTPD_STATE *state)
{
    int rate;

    if (var_smtpd_client_message_rate_limit <= 0 || smtpd_event_limit_exempt(state))
        return (0);
    if (anvil_clnt_mail(smtpd_anvil, state->service, state->addr, &rate) == ANVIL_STAT_OK &&
        rate > var_smtpd_client_message_rate_limit) {
        msg_warn("Message delivery request rate limit exceeded: %d from %s for service %s", rate,
                 state->namaddr, state->service);
        smtpd_chat_reply(state, "450 4.7.1 Error: too much mail from %s", state->addr);
        return (-1);
    }
    return (0);
}

/* smtpd_mail_cmd - MAIL FROM:<sender> [parameters] */
int smtpd_mail_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    char *arg;
    char *err;
    int next;

    if (var_smtpd_helo_required && state->helo_name == 0) {
        smtpd_chat_reply(state, "503 5.5.1 Error: send HELO/EHLO first");
        return (-1);
    }
    if (smtpd_session->bdat_active) {
        smtpd_chat_reply(state, "503 5.5.1 Error: MAIL after BDAT");
        return (-1);
    }
    if (state->sender != 0) {
        smtpd_chat_reply(state, "503 5.5.1 Error: nested MAIL command");
        return (-1);
    }
    if ((arg = split_from_to(argc, argv, "FROM:", &next)) == 0) {
        smtpd_chat_reply(state, "501 5.5.4 Syntax: MAIL FROM:<address>");
        return (-1);
    }
    if (mail_rate_limit(state) < 0)
        return (-1);
    if (smtpd_config.unavailable_reply && !SMTPD_STAND_ALONE(state)) {
        state->error_mask |= MAIL_ERROR_SOFTWARE;
        smtpd_chat_reply(state, "%s", smtpd_config.unavailable_reply);
        return (-1);
    }
    if (extract_addr(state, arg, 1, var_strict_rfc821_envelopes) != 0) {
        msg_warn("Illegal address syntax from %s in %s command: %s", state->namaddr, "MAIL",
                 printable(arg, '?'));
        smtpd_chat_reply(state, "501 5.1.7 Bad sender address syntax");
        return (-1);
    }
    if (mail_params(state, argc, argv, next) < 0) {
        mail_clear(state);
        return (-1);
    }
    if (var_smtputf8_enable && !(state->flags & SMTPD_FLAG_SMTPUTF8) &&
        addr_has_8bit(vstring_str(state->addr_buf))) {
        mail_clear(state);
        smtpd_chat_reply(state, "553 5.6.7 Must declare SMTPUTF8 to send unicode address");
        return (-1);
    }
    if (state->verp_delims && VSTRING_LEN(state->addr_buf) == 0) {
        mail_clear(state);
        smtpd_chat_reply(state, "503 5.5.4 Error: %s requires non-null sender", "XVERP");
        return (-1);
    }
    /*
     * The checks in Postfix's order. The sender becomes part of the state
     * only when they all passed, so that only the sender restrictions log
     * a from=<> (they set it themselves while they run).
     */
    smtpd_check_reset(state);
    state->where = "MAIL";
    if ((err = smtpd_check_size(state, state->msg_size)) != 0 ||
        (!SMTPD_STAND_ALONE(state) &&
         ((!var_smtpd_delay_reject &&
           (err = smtpd_check_mail(state, vstring_str(state->addr_buf))) != 0) ||
          (err = smtpd_check_rewrite(state)) != 0 || (err = smtpd_check_queue(state)) != 0))) {
        /* Lack of queue space and lookup failures are the server's problem. */
        if (strncmp(err, "452 4.3.1", 9) == 0)
            state->error_mask |= MAIL_ERROR_RESOURCE;
        else if (strncmp(err, "451 4.3.", 8) != 0)
            state->error_mask |= MAIL_ERROR_POLICY;
        smtpd_chat_reply(state, "%s", err);
        mail_clear(state);
        smtpd_mail_reset(state);
        return (-1);
    }
    state->sender = mystrdup(vstring_str(state->addr_buf));
    state->seqno++;
    gettimeofday(&state->start_time, (struct timezone *)0);
    {
        char buf[64];

        snprintf(buf, sizeof(buf), "%x.%lx.%lx.%x", (unsigned)getpid(),
                 (unsigned long)state->start_time.tv_sec, (unsigned long)state->start_time.tv_usec,
                 state->seqno);
        if (state->instance)
            myfree(state->instance);
        state->instance = mystrdup(buf);
    }
    /* Without smtpd_delay_open_until_valid_rcpt, cleanup is contacted now. */
    if (!var_smtpd_delay_open_until_valid_rcpt && smtpd_open_stream(state) < 0) {
        myfree(state->sender);
        state->sender = 0;
        mail_clear(state);
        return (-1);
    }
    smtpd_chat_reply(state, "250 2.1.0 Ok");
    return (0);
}

/* rcpt_params - NOTIFY= and ORCPT=; 0, or -1 after a reply */
static int rcpt_params(SMTPD_STATE *state, int argc, char **argv, int i)
{
    const char *arg;
    const char *semi;
    VSTRING *buf;

    state->dsn_notify = 0;
    for (; i < argc; i++) {
        arg = argv[i];
        if (strncasecmp(arg, "NOTIFY=", 7) == 0 || strncasecmp(arg, "ORCPT=", 6) == 0) {
            if (smtpd_session->ehlo_discard_mask & EHLO_MASK_DSN) {
                smtpd_chat_reply(state, "501 5.7.1 DSN support is disabled");
                return (-1);
            }
        }
        if (strncasecmp(arg, "NOTIFY=", 7) == 0) {
            if (state->dsn_notify || (state->dsn_notify = dsn_notify_mask(arg + 7)) == 0) {
                smtpd_chat_reply(state, "501 5.5.4 Error: Bad NOTIFY parameter syntax");
                return (-1);
            }
        } else if (strncasecmp(arg, "ORCPT=", 6) == 0) {
            buf = vstring_alloc(100);
            semi = strchr(arg + 6, ';');
            if (state->dsn_orcpt || semi == 0 || semi == arg + 6 ||
                xtext_unquote(buf, semi + 1) == 0 || VSTRING_LEN(buf) > SMTPD_ADDR_LIMIT ||
                !allprint(vstring_str(buf))) {
                vstring_free(buf);
                smtpd_chat_reply(state, "501 5.5.4 Error: Bad ORCPT parameter syntax");
                return (-1);
            }
            {
                VSTRING *orcpt = vstring_alloc(100);

                vstring_sprintf(orcpt, "%.*s;%s", (int)(semi - arg - 6), arg + 6, vstring_str(buf));
                state->dsn_orcpt = mystrdup(vstring_str(orcpt));
                vstring_free(orcpt);
            }
            vstring_free(buf);
        } else {
            smtpd_chat_reply(state, "555 5.5.4 Unsupported option: %s", arg);
            return (-1);
        }
    }
    return (0);
}

/* rcpt_clear - forget the DSN parameters of the current RCPT */
static void rcpt_clear(SMTPD_STATE *state)
{
    state->dsn_notify = 0;
    if (state->dsn_orcpt)
        myfree(state->dsn_orcpt);
    state->dsn_orcpt = 0;
}

/* rcpt_rate_limit - smtpd_client_recipient_rate_limit; 0 or -1 after a reply */
static int rcpt_rate_limit(SMTPD_STATE *state)
{
    int rate;

    if (var_smtpd_client_recipient_rate_limit <= 0 || smtpd_event_limit_exempt(state))
        return (0);
    if (anvil_clnt_rcpt(smtpd_anvil, state->service, state->addr, &rate) == ANVIL_STAT_OK &&
        rate > var_smtpd_client_recipient_rate_limit) {
        msg_warn("Recipient address rate limit exceeded: %d from %s for service %s", rate,
                 state->namaddr, state->service);
        smtpd_chat_reply(state, "450 4.7.1 Error: too many recipients from %s", state->addr);
        return (-1);
    }
    return (0);
}

/* rcpt_check - the access checks of RCPT and VRFY; 0 or -1 after a reply */
static int rcpt_check(SMTPD_STATE *state)
{
    char *err;

    if (SMTPD_STAND_ALONE(state))
        return (0);
    if ((err = smtpd_check_rcpt(state, state->recipient)) != 0 ||
        (err = smtpd_check_rcptmap(state, state->recipient)) != 0) {
        smtpd_chat_reply(state, "%s", err);
        return (-1);
    }
    return (0);
}

/* rcpt_store - write one accepted recipient to cleanup */
static void rcpt_store(SMTPD_STATE *state, const char *as_given)
{
    if (state->cleanup == 0)
        return;
    if (state->dsn_notify)
        rec_fprintf(state->cleanup, REC_TYPE_ATTR, "%s=%d", MAIL_ATTR_DSN_NOTIFY,
                    state->dsn_notify);
    if (state->dsn_orcpt)
        rec_fprintf(state->cleanup, REC_TYPE_ATTR, "%s=%s", MAIL_ATTR_DSN_ORCPT, state->dsn_orcpt);
    else
        rec_fprintf(state->cleanup, REC_TYPE_ATTR, "%s=%s;%s", MAIL_ATTR_DSN_ORCPT, "rfc822",
                    as_given);
    rec_fputs(state->cleanup, REC_TYPE_RCPT, state->recipient);
}

/* smtpd_rcpt_cmd - RCPT TO:<recipient> [parameters] */
int smtpd_rcpt_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    char *arg;
    int next;
    char *as_given;
    size_t len;

    if (state->sender == 0) {
        smtpd_chat_reply(state, "503 5.5.1 Error: need MAIL command");
        return (-1);
    }
    if (smtpd_session->bdat_active) {
        smtpd_chat_reply(state, "503 5.5.1 Error: RCPT after BDAT");
        return (-1);
    }
    if ((arg = split_from_to(argc, argv, "TO:", &next)) == 0) {
        smtpd_chat_reply(state, "501 5.5.4 Syntax: RCPT TO:<address>");
        return (-1);
    }
    if (rcpt_rate_limit(state) < 0)
        return (-1);
    if (var_smtpd_recipient_limit > 0 && state->rcpt_count >= var_smtpd_recipient_limit) {
        smtpd_chat_reply(state, "452 4.5.3 Error: too many recipients");
        if (state->rcpt_overshoot++ < var_smtpd_recipient_overshoot_limit)
            return (0);
        return (-1);
    }
    if (extract_addr(state, arg, 0, var_strict_rfc821_envelopes) != 0) {
        msg_warn("Illegal address syntax from %s in %s command: %s", state->namaddr, "RCPT",
                 printable(arg, '?'));
        smtpd_chat_reply(state, "501 5.1.3 Bad recipient address syntax");
        return (-1);
    }
    if (rcpt_params(state, argc, argv, next) < 0) {
        rcpt_clear(state);
        return (-1);
    }
    if (var_smtputf8_enable && !(state->flags & SMTPD_FLAG_SMTPUTF8) &&
        addr_has_8bit(vstring_str(state->addr_buf))) {
        rcpt_clear(state);
        smtpd_chat_reply(state, "553 5.6.7 Must declare SMTPUTF8 to send unicode address");
        return (-1);
    }
    if (state->recipient)
        myfree(state->recipient);
    state->recipient = mystrdup(vstring_str(state->addr_buf));
    /*
     * Mail to our own address verification sender is never refused: a site
     * that verifies our probes' sender must not end up refusing them.
     */
    if ((valid_verify_sender_addr(state->recipient) == 0 && rcpt_check(state) < 0) ||
        (state->cleanup == 0 && smtpd_open_stream(state) < 0)) {
        myfree(state->recipient);
        state->recipient = 0;
        rcpt_clear(state);
        return (-1);
    }
    /* ORCPT defaults to the address as the client wrote it, without <>. */
    len = strlen(arg);
    if (len >= 2 && arg[0] == '<' && arg[len - 1] == '>')
        as_given = mystrndup(arg + 1, len - 2);
    else
        as_given = mystrdup(arg);
    rcpt_store(state, as_given);
    myfree(as_given);
    rcpt_clear(state);
    state->rcpt_count++;
    smtpd_chat_reply(state, "250 2.1.5 Ok");
    return (0);
}

/* smtpd_vrfy_cmd - VRFY address */
int smtpd_vrfy_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    const char *arg;
    int rc;

    if (var_disable_vrfy_command) {
        smtpd_chat_reply(state, "502 5.5.1 VRFY command is disabled");
        return (-1);
    }
    if (argc > 2 && var_smtputf8_enable && strcasecmp(argv[argc - 1], "SMTPUTF8") == 0)
        argc--;
    if (argc != 2) {
        smtpd_chat_reply(state, "501 5.5.4 Syntax: VRFY address%s",
                         var_smtputf8_enable ? " [SMTPUTF8]" : "");
        return (-1);
    }
    arg = argv[1];
    if (extract_addr(state, arg, 0, 0) != 0) {
        msg_warn("Illegal address syntax from %s in %s command: %s", state->namaddr, "VRFY",
                 printable((char *)arg, '?'));
        smtpd_chat_reply(state, "501 5.1.3 Bad recipient address syntax");
        return (-1);
    }
    if (state->recipient)
        myfree(state->recipient);
    state->recipient = mystrdup(vstring_str(state->addr_buf));
    rc = rcpt_check(state);
    myfree(state->recipient);
    state->recipient = 0;
    if (rc < 0)
        return (-1);
    smtpd_chat_reply(state, "252 2.0.0 %s", arg);
    return (0);
}

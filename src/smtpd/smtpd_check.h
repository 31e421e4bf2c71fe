#ifndef SMTPD_CHECK_H
#define SMTPD_CHECK_H

/*
 * smtpd_check - SMTP server access control: the interface between the
 * protocol engine (smtpd.c) and the restriction evaluator.
 *
 * Every smtpd_check_* function that decides returns either a null pointer
 * ("ok, go on") or the complete SMTP reply to send, e.g.
 *   "554 5.7.1 <u@example.com>: Relay access denied"
 * The reply is in storage owned by the check module, valid until the next
 * smtpd_check_* call. The check module logs its own reject/defer/warn
 * lines (NOQUEUE: reject: RCPT from host[addr]: ...; from=<> to=<>
 * proto=ESMTP helo=<h>, or with the queue id instead of NOQUEUE).
 *
 * Who calls what, and when (the engine's side of the contract):
 *   - smtpd_check_init() once, in post_init (after chroot/privilege drop,
 *     before the first client). Tables are opened in pre_init by the
 *     check module's own hook if needed: smtpd_check_pre_init() (as root).
 *   - smtpd_check_rewrite(state) at MAIL FROM, after the sender checks:
 *     sets state->rewrite_context (local_header_rewrite_clients); a
 *     non-null reply (451, a failed lookup) refuses the MAIL command.
 *   - smtpd_check_client(state): at connect time, only when
 *     smtpd_delay_reject = no (otherwise smtpd_check_rcpt/etrn run the
 *     client restrictions themselves). A non-null reply is remembered by
 *     the engine and given to every command but QUIT/RSET/NOOP.
 *   - smtpd_check_helo(state, helo): at HELO/EHLO, only when
 *     smtpd_delay_reject = no. state->helo_name is still the old one.
 *   - smtpd_check_mail(state, sender): at MAIL FROM, only when
 *     smtpd_delay_reject = no. state->sender is already set.
 *   - smtpd_check_rcpt(state, recipient): at RCPT TO and at VRFY
 *     (state->where tells which). With smtpd_delay_reject = yes it first
 *     evaluates the client, helo and sender restrictions (once per
 *     transaction is fine: cache the result in the state). Then
 *     smtpd_relay_restrictions and smtpd_recipient_restrictions.
 *     state->recipient is set to the recipient being checked.
 *   - smtpd_check_rcptmap(state, recipient): right after smtpd_check_rcpt
 *     returned null, for RCPT and VRFY: the "unknown user" checks
 *     (local_recipient_maps, virtual/relay recipient maps,
 *     smtpd_reject_unlisted_recipient).
 *   - smtpd_check_size(state, size): at MAIL FROM (size = SIZE= or 0):
 *     message_size_limit ("552 5.3.4 Message size exceeds fixed limit").
 *   - smtpd_check_queue(state): at MAIL FROM: queue_minfree
 *     ("452 4.3.1 Insufficient system storage").
 *   - smtpd_check_data(state): at DATA / first BDAT, after the engine's
 *     own sequence checks: smtpd_data_restrictions.
 *   - smtpd_check_eod(state): after the end of the message content was
 *     received, before the engine asks cleanup to commit:
 *     smtpd_end_of_data_restrictions (state->act_size is final).
 *   - smtpd_check_etrn(state, domain): at ETRN: smtpd_etrn_restrictions
 *     (and the delayed client/helo restrictions with delay_reject).
 *   - smtpd_check_addr(sender, addr, smtputf8): a syntax check of a MAIL
 *     FROM/RCPT TO address (strict_rfc821_envelopes is the engine's); 0 ok.
 *
 * None of these are called in stand-alone mode (smtpd -S). The engine
 * enforces smtpd_helo_required ("503 5.5.1 Error: send HELO/EHLO first")
 * and all command-sequence errors itself.
 *
 * Actions: FILTER, REDIRECT, BCC, HOLD, DISCARD, DELAY and PREPEND are
 * recorded in the state (saved_* fields, see smtpd.h); the engine passes
 * them on to cleanup. defer_if_permit/defer_if_reject bookkeeping lives in
 * the state and is reset by the engine at each new transaction (MAIL,
 * RSET, end of message) through smtpd_check_reset(state).
 *
 * Failure: a table that fails gives a 451 4.3.0 reply, never "not found".
 */

#include <sys/types.h>

#include "smtpd.h"

extern void smtpd_check_pre_init(void);
extern void smtpd_check_init(void);
extern void smtpd_check_reset(SMTPD_STATE *state);
extern char *smtpd_check_rewrite(SMTPD_STATE *state);
extern int smtpd_check_addr(const char *sender, const char *addr, int smtputf8);
extern char *smtpd_check_client(SMTPD_STATE *state);
extern char *smtpd_check_helo(SMTPD_STATE *state, char *helo);
extern char *smtpd_check_mail(SMTPD_STATE *state, char *sender);
extern char *smtpd_check_rcpt(SMTPD_STATE *state, char *recipient);
extern char *smtpd_check_rcptmap(SMTPD_STATE *state, char *recipient);
extern char *smtpd_check_size(SMTPD_STATE *state, off_t size);
extern char *smtpd_check_queue(SMTPD_STATE *state);
extern char *smtpd_check_data(SMTPD_STATE *state);
extern char *smtpd_check_eod(SMTPD_STATE *state);
extern char *smtpd_check_etrn(SMTPD_STATE *state, char *domain);

#endif

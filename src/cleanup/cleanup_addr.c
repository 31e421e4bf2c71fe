/*
 * cleanup_addr - the envelope addresses: rewriting, mapping, duplicate
 * removal, virtual alias expansion and automatic BCC recipients.
 *
 * The sender: trivial-rewrite in the "local" context, "MAILER-DAEMON@..."
 * becomes the null sender, then (when the client allows mapping) the
 * sender and common canonical maps and masquerading, as canonical_classes
 * and masquerade_classes say; sender_bcc_maps is looked up and its
 * recipients are written with the envelope recipients. A sender with 8-bit
 * text sets the SMTPUTF8 "sender" bit when the client asked for
 * autodetection. A recipient: the same with the recipient maps, then
 * cleanup_out_recipient() expands
 * virtual aliases and writes the O and R records of each result once
 * (duplicate_filter_limit bounds the memory of what was written), then
 * recipient_bcc_maps. BCC recipients get NOTIFY=NONE.
 *
 * A table that fails makes the message be deferred (CLEANUP_STAT_WRITE,
 * "map lookup problem"), never silently skipped.
 */

#include <string.h>

#include "cleanup.h"
#include "cleanup_user.h"
#include "dict.h"
#include "mail_addr.h"
#include "mail_addr_find.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "stringops.h"

/* cleanup_map_problem - a table failed: defer the message */
static void cleanup_map_problem(CLEANUP_STATE *state, MAPS *maps, const char *addr)
{
    msg_warn("%s: %s map lookup problem for %s -- message not accepted, try again later",
             state->queue_id, maps->title, addr);
    state->errs |= CLEANUP_STAT_WRITE;
}

/* cleanup_bcc_lookup - the BCC address for a key, or null */
static const char *cleanup_bcc_lookup(CLEANUP_STATE *state, MAPS *maps, const char *addr)
{
    MAIL_ADDR_FIND_ENV env = {var_recipient_delimiter, var_double_bounce_sender,
                              cleanup_is_local, 0};
    const char *bcc;

    if ((bcc = mail_addr_find(maps, addr, (char **) 0, MA_FIND_DEFAULT, &env)) == 0
        && maps->error != 0)
        cleanup_map_problem(state, maps, addr);
    return (bcc);
}

/* cleanup_addr_sender - process the envelope sender */
void cleanup_addr_sender(CLEANUP_STATE *state, const char *addr)
{
    VSTRING *clean = vstring_alloc(100);
    const char *bcc;
    size_t md_len = strlen(MAIL_ADDR_MAIL_DAEMON);

    if (*addr)
        cleanup_rewrite_internal(MAIL_ATTR_RWR_LOCAL, clean, addr);
    else
        vstring_strcpy(clean, "");
    if (strncasecmp(vstring_str(clean), MAIL_ADDR_MAIL_DAEMON "@", md_len + 1) == 0)
        vstring_strcpy(clean, "");
    if ((state->flags & CLEANUP_FLAG_MAP_OK) && *vstring_str(clean)) {
        int prop = cleanup_ext_prop_mask & CLEANUP_EXT_PROP_CANONICAL;

        if (cleanup_send_canon_maps && (cleanup_send_canon_flags & CLEANUP_CLASS_ENV_FROM))
            cleanup_map11_internal(state, clean, cleanup_send_canon_maps, prop);
        if (cleanup_comm_canon_maps && (cleanup_comm_canon_flags & CLEANUP_CLASS_ENV_FROM))
            cleanup_map11_internal(state, clean, cleanup_comm_canon_maps, prop);
        if (cleanup_masq_domains && (cleanup_masq_flags & CLEANUP_CLASS_ENV_FROM))
            cleanup_masquerade_internal(state, clean, cleanup_masq_domains);
    }
    if ((state->flags & CLEANUP_FLAG_AUTOUTF8) && !cleanup_is_ascii(vstring_str(clean)))
        state->smtputf8 |= CLEANUP_SMTPUTF8_SENDER;
    cleanup_out(state, REC_TYPE_FROM, vstring_str(clean), (ssize_t) VSTRING_LEN(clean));
    state->sender = mystrdup(vstring_str(clean));
    if ((state->flags & CLEANUP_FLAG_BCC_OK) && *state->sender && cleanup_send_bcc_maps
        && (bcc = cleanup_bcc_lookup(state, cleanup_send_bcc_maps, state->sender)) != 0) {
        if (state->sender_bcc == 0)
            state->sender_bcc = argv_alloc(1);
        argv_add(state->sender_bcc, bcc, (char *) 0);
    }
    vstring_free(clean);
}

/* cleanup_addr_flush_sender_bcc - write the sender_bcc_maps recipients */
void cleanup_addr_flush_sender_bcc(CLEANUP_STATE *state)
{
    int i;

    if (state->sender_bcc == 0)
        return;
    for (i = 0; i < state->sender_bcc->argc; i++)
        cleanup_addr_bcc(state, state->sender_bcc->argv[i]);
    argv_free(state->sender_bcc);
    state->sender_bcc = 0;
}

/* cleanup_addr_recipient - process one envelope recipient */
void cleanup_addr_recipient(CLEANUP_STATE *state, const char *addr)
{
    VSTRING *clean = vstring_alloc(100);
    const char *bcc;

    cleanup_rewrite_internal(MAIL_ATTR_RWR_LOCAL, clean, *addr ? addr : var_empty_address_recipient);
    if (state->flags & CLEANUP_FLAG_MAP_OK) {
        int prop = cleanup_ext_prop_mask & CLEANUP_EXT_PROP_CANONICAL;

        if (cleanup_rcpt_canon_maps && (cleanup_rcpt_canon_flags & CLEANUP_CLASS_ENV_RCPT))
            cleanup_map11_internal(state, clean, cleanup_rcpt_canon_maps, prop);
        if (cleanup_comm_canon_maps && (cleanup_comm_canon_flags & CLEANUP_CLASS_ENV_RCPT))
            cleanup_map11_internal(state, clean, cleanup_comm_canon_maps, prop);
        if (cleanup_masq_domains && (cleanup_masq_flags & CLEANUP_CLASS_ENV_RCPT))
            cleanup_masquerade_internal(state, clean, cleanup_masq_domains);
    }
    cleanup_out_recipient(state, state->dsn_orcpt, state->dsn_notify,
                          state->orig_rcpt ? state->orig_rcpt : addr, vstring_str(clean));
    if (state->recip == 0)
        state->recip = mystrdup(vstring_str(clean));
    if ((state->flags & CLEANUP_FLAG_BCC_OK) && *vstring_str(clean) && cleanup_rcpt_bcc_maps
        && (bcc = cleanup_bcc_lookup(state, cleanup_rcpt_bcc_maps, vstring_str(clean))) != 0)
        cleanup_addr_bcc(state, bcc);
    vstring_free(clean);
}

/* cleanup_addr_bcc - add an automatic BCC recipient */
void cleanup_addr_bcc(CLEANUP_STATE *state, const char *addr)
{
    VSTRING *clean = vstring_alloc(100);

    cleanup_rewrite_internal(MAIL_ATTR_RWR_LOCAL, clean, addr);
    cleanup_out_recipient(state, 0, CLEANUP_DSN_NOTIFY_NEVER, vstring_str(clean),
                          vstring_str(clean));
    vstring_free(clean);
}

/* cleanup_dup_seen - remember a recipient; 1 if seen before */
static int cleanup_dup_seen(CLEANUP_STATE *state, const char *dsn_orcpt, int dsn_notify,
                            const char *orcpt, const char *recip)
{
    VSTRING *key = state->temp2;

    if (var_enable_original_recipient)
        vstring_sprintf(key, "%s\n%d\n%s\n%s", dsn_orcpt ? dsn_orcpt : "", dsn_notify, orcpt,
                        recip);
    else
        vstring_strcpy(key, recip);
    if (htable_locate(state->dups, vstring_str(key)) != 0)
        return (1);
    /* Past the limit, stop remembering: duplicates then go through. */
    if (var_duplicate_filter_limit == 0 || state->dup_count < var_duplicate_filter_limit) {
        htable_enter(state->dups, vstring_str(key), (void *) 0);
        state->dup_count++;
    }
    return (0);
}

/* cleanup_out_one_recipient - write one final recipient unless a duplicate */
static void cleanup_out_one_recipient(CLEANUP_STATE *state, const char *dsn_orcpt, int dsn_notify,
                                      const char *orcpt, const char *recip)
{
    if (cleanup_dup_seen(state, dsn_orcpt, dsn_notify, orcpt, recip))
        return;
    if (dsn_notify)
        cleanup_out_format(state, REC_TYPE_ATTR, "%s=%d", MAIL_ATTR_DSN_NOTIFY, dsn_notify);
    if (dsn_orcpt)
        cleanup_out_format(state, REC_TYPE_ATTR, "%s=%s", MAIL_ATTR_DSN_ORCPT, dsn_orcpt);
    cleanup_out_string(state, REC_TYPE_ORCP, orcpt);
    cleanup_out_string(state, REC_TYPE_RCPT, recip);
    state->rcpt_count++;
}

/* cleanup_out_recipient - virtual alias expansion, then output */
void cleanup_out_recipient(CLEANUP_STATE *state, const char *dsn_orcpt, int dsn_notify,
                           const char *orcpt, const char *recip)
{
    ARGV *argv;
    int i;

    if (cleanup_virt_alias_maps == 0 || (state->flags & CLEANUP_FLAG_MAP_OK) == 0) {
        cleanup_out_one_recipient(state, dsn_orcpt, dsn_notify, orcpt, recip);
        return;
    }
    argv = cleanup_map1n_internal(state, recip, cleanup_virt_alias_maps,
                                  cleanup_ext_prop_mask & CLEANUP_EXT_PROP_VIRTUAL);
    for (i = 0; i < argv->argc; i++)
        cleanup_out_one_recipient(state, dsn_orcpt, dsn_notify, orcpt, argv->argv[i]);
    argv_free(argv);
}

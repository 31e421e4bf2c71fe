/*
 * cleanup_state - allocate and free the per-message state of the cleanup
 * daemon, and keep the named attributes that the client sent; also
 * cleanup_is_ascii() for SMTPUTF8 autodetection.
 *
 * Nothing here fails; memory exhaustion is fatal in mymalloc().
 */

#include <string.h>

#include "cleanup.h"
#include "cleanup_user.h"
#include "mymalloc.h"

/* cleanup_state_alloc - a fresh state, no queue file yet */
CLEANUP_STATE *cleanup_state_alloc(void)
{
    CLEANUP_STATE *state = (CLEANUP_STATE *) mymalloc(sizeof(*state));

    memset(state, 0, sizeof(*state));
    state->temp1 = vstring_alloc(100);
    state->temp2 = vstring_alloc(100);
    state->attr_buf = vstring_alloc(100);
    state->stripped_buf = vstring_alloc(100);
    state->attr = htable_create(10);
    state->dups = htable_create(10);
    state->hdr_rewrite_context = "local";
    state->resent = "";
    state->err_mask = ~0;
    return (state);
}

/* cleanup_free_str - free a string if set */
static void cleanup_free_str(char **sp)
{
    if (*sp) {
        myfree(*sp);
        *sp = 0;
    }
}

/* cleanup_state_free - release everything */
void cleanup_state_free(CLEANUP_STATE *state)
{
    vstring_free(state->temp1);
    vstring_free(state->temp2);
    vstring_free(state->attr_buf);
    vstring_free(state->stripped_buf);
    cleanup_free_str(&state->queue_id);
    cleanup_free_str(&state->queue_name);
    cleanup_free_str(&state->fullname);
    cleanup_free_str(&state->sender);
    cleanup_free_str(&state->recip);
    cleanup_free_str(&state->orig_rcpt);
    cleanup_free_str(&state->dsn_orcpt);
    cleanup_free_str(&state->dsn_envid);
    cleanup_free_str(&state->verp_delims);
    cleanup_free_str(&state->reason);
    cleanup_free_str(&state->filter);
    cleanup_free_str(&state->redirect);
    cleanup_free_str(&state->return_receipt);
    cleanup_free_str(&state->errors_to);
    htable_free(state->attr, myfree);
    htable_free(state->dups, (void (*)(void *)) 0);
    if (state->sender_bcc)
        argv_free(state->sender_bcc);
    if (state->hbc_rcpt)
        argv_free(state->hbc_rcpt);
    if (state->mime_state)
        mime_state_free(state->mime_state);
    if (state->handle)
        mail_stream_cleanup(state->handle);
    myfree(state);
}

/* cleanup_attr_update - remember a named attribute */
void cleanup_attr_update(CLEANUP_STATE *state, const char *name, const char *value)
{
    HTABLE_INFO *ht;

    if ((ht = htable_locate(state->attr, name)) != 0) {
        myfree(ht->value);
        ht->value = mystrdup(value);
    } else {
        htable_enter(state->attr, name, mystrdup(value));
    }
}

/* cleanup_attr_find - look up a named attribute, or null */
const char *cleanup_attr_find(CLEANUP_STATE *state, const char *name)
{
    return ((const char *) htable_find(state->attr, name));
}

/* cleanup_is_ascii - text without 8-bit bytes (SMTPUTF8 autodetection) */
int cleanup_is_ascii(const char *str)
{
    for (; *str; str++)
        if (*(const unsigned char *) str & 0x80)
            return (0);
    return (1);
}

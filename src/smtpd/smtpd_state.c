/*
 * smtpd_state - create and destroy the SMTP server's per-session state.
 *
 * Exports smtpd_state_init(state, stream, service), which fills in every
 * field of an SMTPD_STATE (looking up the client with smtpd_peer_init), and
 * smtpd_state_reset(state), which releases what init and the session
 * allocated. Neither fails.
 */

#include <string.h>
#include <sys/time.h>

#include "mymalloc.h"
#include "smtpd.h"

/* smtpd_defer_init - an inactive deferred decision */
static void smtpd_defer_init(SMTPD_DEFER *defer)
{
    defer->active = 0;
    defer->reason = vstring_alloc(100);
    defer->dsn = vstring_alloc(10);
    defer->class = 0;
}

/* smtpd_defer_free - release a deferred decision's buffers */
static void smtpd_defer_free(SMTPD_DEFER *defer)
{
    vstring_free(defer->reason);
    vstring_free(defer->dsn);
}

/* smtpd_state_init - a fresh session on stream */
void smtpd_state_init(SMTPD_STATE *state, VSTREAM *stream, const char *service)
{
    memset(state, 0, sizeof(*state));
    state->service = mystrdup(service);
    state->client = stream;
    state->buffer = vstring_alloc(512);
    state->addr_buf = vstring_alloc(100);
    state->expand_buf = vstring_alloc(100);
    state->arrival_time = time((time_t *)0);
    gettimeofday(&state->start_time, (struct timezone *)0);
    state->protocol = mystrdup("SMTP");
    state->where = SMTPD_AFTER_CONNECT;
    state->rewrite_context = mystrdup("remote");
    smtpd_defer_init(&state->defer_if_reject);
    smtpd_defer_init(&state->defer_if_permit);
    smtpd_xforward_init(state);
    smtpd_peer_init(state);
}

/* smtpd_state_reset - release everything the session holds */
void smtpd_state_reset(SMTPD_STATE *state)
{
    smtpd_peer_reset(state);
    smtpd_xforward_reset(state);
    if (state->helo_name)
        myfree(state->helo_name);
    myfree(state->protocol);
    myfree(state->service);
    myfree(state->rewrite_context);
    if (state->instance)
        myfree(state->instance);
    if (state->access_denied_reply)
        myfree(state->access_denied_reply);
    vstring_free(state->buffer);
    vstring_free(state->addr_buf);
    vstring_free(state->expand_buf);
    smtpd_defer_free(&state->defer_if_reject);
    smtpd_defer_free(&state->defer_if_permit);
    state->helo_name = 0;
    state->protocol = 0;
}

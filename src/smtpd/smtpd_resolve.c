/*
 * smtpd_resolve - where does an address go, as trivial-rewrite says, with
 * a small per-process cache: one RCPT may ask the same question for the
 * relay check, the access tables and the recipient validation.
 *
 * Exports smtpd_resolve_init() and smtpd_resolve_addr(). The address is
 * first rewritten to standard form in the "local" context (as Postfix's
 * SMTP server does for its checks), then resolved with the envelope
 * sender (for sender-dependent routing); the recipient of the reply is
 * lower-cased. The reply stays valid until the next call.
 *
 * Failure: when trivial-rewrite cannot decide, the reply carries
 * RESOLVE_FLAG_FAIL and is not cached; callers defer.
 */

#include <string.h>

#include "htable.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "rewrite_clnt.h"
#include "smtpd_check_int.h"
#include "stringops.h"
#include "vstring.h"

static HTABLE *resolve_cache;
static int resolve_cache_size;
static RESOLVE_REPLY *resolve_uncached;

/* resolve_reply_free - htable destructor */
static void resolve_reply_free(void *ptr)
{
    RESOLVE_REPLY *reply = (RESOLVE_REPLY *)ptr;

    resolve_clnt_free(reply);
    myfree(reply);
}

/* smtpd_resolve_init - (re)create the cache */
void smtpd_resolve_init(int cache_size)
{
    if (resolve_cache)
        htable_free(resolve_cache, resolve_reply_free);
    resolve_cache = htable_create(cache_size);
    resolve_cache_size = cache_size;
}

/* smtpd_resolve_addr - resolve, or answer from the cache */
const RESOLVE_REPLY *smtpd_resolve_addr(const char *sender, const char *addr)
{
    VSTRING *key = vstring_alloc(100);
    VSTRING *query = vstring_alloc(100);
    RESOLVE_REPLY *reply;

    if (resolve_cache == 0)
        smtpd_resolve_init(100);
    vstring_sprintf(key, "%s\n%s", sender ? sender : "", addr);
    if ((reply = (RESOLVE_REPLY *)htable_find(resolve_cache, vstring_str(key))) != 0) {
        vstring_free(key);
        vstring_free(query);
        return reply;
    }
    reply = (RESOLVE_REPLY *)mymalloc(sizeof(*reply));
    resolve_clnt_init(reply);
    rewrite_clnt_internal(MAIL_ATTR_RWR_LOCAL, addr, query);
    resolve_clnt_query_from(sender ? sender : RESOLVE_NULL_FROM, vstring_str(query), reply);
    lowercase(vstring_str(reply->recipient));
    if (reply->flags & RESOLVE_FLAG_FAIL) {
        /* Not cached: the next question should ask again. */
        if (resolve_uncached)
            resolve_reply_free(resolve_uncached);
        resolve_uncached = reply;
    } else {
        if (resolve_cache->used >= (size_t)resolve_cache_size)
            smtpd_resolve_init(resolve_cache_size);
        htable_enter(resolve_cache, vstring_str(key), reply);
    }
    vstring_free(key);
    vstring_free(query);
    return reply;
}

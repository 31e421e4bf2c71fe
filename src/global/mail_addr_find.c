/*
 * mail_addr_find - look up a mail address the way Postfix does.
 *
 * Exports mail_addr_find() and mail_addr_ext_offset(); mail_addr_find.h
 * lists the keys and their order. Every user of canonical, virtual,
 * relocated, access or transport tables goes through here so that all of
 * them agree on the order and on what counts as an extension.
 *
 * The module reads no configuration: recipient_delimiter, the double-bounce
 * name and the "is this domain local" test come from the caller's
 * MAIL_ADDR_FIND_ENV.
 *
 * Failure: a table error, or an is_local() error, ends the search with a
 * null result and maps->error set (DICT_ERR_RETRY for the latter); it is
 * never "not found".
 */

#include <string.h>
#include <strings.h>

#include "dict.h"
#include "mail_addr_find.h"
#include "maps.h"
#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"

/* Lookup state shared by the steps of one search. */
typedef struct FIND_STATE {
    MAPS *maps;
    VSTRING *key;
    const char *result;
    int without_ext;            /* the hit came from a key without extension */
} FIND_STATE;

/* find_try - offer one key, unless a step before already decided */
static void find_try(FIND_STATE *state, const char *key, int flags, int without_ext)
{
    if (state->result != 0 || state->maps->error != DICT_ERR_NONE)
        return;
    if ((state->result = maps_find(state->maps, key, flags)) != 0)
        state->without_ext = without_ext;
}

/* find_done - true when a hit or an error ends the search */
static int find_done(const FIND_STATE *state)
{
    return (state->result != 0 || state->maps->error != DICT_ERR_NONE);
}

/* mail_addr_ext_offset - where the extension of a local part starts, or 0 */
size_t mail_addr_ext_offset(const char *localpart, size_t len, const char *delimiters,
                            const char *double_bounce)
{
    size_t off;

    if (delimiters == 0 || *delimiters == 0 || len == 0)
        return (0);
    if (double_bounce == 0)
        double_bounce = "double-bounce";

    /* Names that are never split, whatever the delimiter. */
    if ((len == 10 && strncasecmp(localpart, "postmaster", len) == 0)
        || (len == 13 && strncasecmp(localpart, "mailer-daemon", len) == 0)
        || (len == strlen(double_bounce) && strncasecmp(localpart, double_bounce, len) == 0))
        return (0);

    /* Old mailing-list conventions survive a "-" delimiter. */
    if (strchr(delimiters, '-') != 0) {
        if (len >= 6 && strncasecmp(localpart, "owner-", 6) == 0)
            return (0);
        if (len > 8 && strncasecmp(localpart + len - 8, "-request", 8) == 0)
            return (0);
    }
    for (off = 0; off < len; off++)
        if (strchr(delimiters, localpart[off]) != 0)
            break;
    if (off == 0 || off >= len)
        return (0);
    return (off);
}

/* find_domain - domain, then parent domains in the requested style */
static void find_domain(FIND_STATE *state, const char *domain, int strategy)
{
    const char *next;

    find_try(state, domain, DICT_FLAG_FIXED, 0);
    if ((strategy & (MA_FIND_PDMS | MA_FIND_PDDMDS)) == 0)
        return;
    for (next = strchr(domain + 1, '.'); next != 0 && !find_done(state);
         next = strchr(next + 1, '.')) {
        if (next[1] == 0)
            break;
        find_try(state, (strategy & MA_FIND_PDMS) ? next + 1 : next, DICT_FLAG_FIXED, 0);
    }
}

/* find_localpart - user+ext then user, each followed by suffix */
static void find_localpart(FIND_STATE *state, const char *address, size_t local_len,
                           size_t ext_off, const char *suffix)
{
    vstring_strncpy(state->key, address, local_len);
    vstring_strcat(state->key, suffix);
    find_try(state, vstring_str(state->key), DICT_FLAG_FIXED, 0);
    if (ext_off) {
        vstring_strncpy(state->key, address, ext_off);
        vstring_strcat(state->key, suffix);
        find_try(state, vstring_str(state->key), DICT_FLAG_FIXED, 1);
    }
}

/* mail_addr_find - search the tables for an address, key by key */
const char *mail_addr_find(MAPS *maps, const char *address, char **extension, int strategy,
                           const MAIL_ADDR_FIND_ENV *env)
{
    const char *at = strrchr(address, '@');
    const char *domain = at ? at + 1 : 0;
    size_t local_len = at ? (size_t) (at - address) : strlen(address);
    size_t ext_off = mail_addr_ext_offset(address, local_len, env->delimiters, env->double_bounce);
    FIND_STATE state;
    int local;

    if (extension)
        *extension = 0;
    state.maps = maps;
    state.key = vstring_alloc(100);
    state.result = 0;
    state.without_ext = 0;
    maps->error = DICT_ERR_NONE;

    if (strategy & MA_FIND_FULL)
        find_try(&state, address, 0, 0);
    if ((strategy & MA_FIND_NOEXT) && ext_off) {
        vstring_strncpy(state.key, address, ext_off);
        vstring_strcat(state.key, at ? at : "");
        find_try(&state, vstring_str(state.key), DICT_FLAG_FIXED, 1);
    }
    if ((strategy & MA_FIND_LOCALPART_IF_LOCAL) && domain && !find_done(&state)) {
        local = env->is_local ? env->is_local(domain, env->context) : 0;
        if (local < 0) {
            msg_warn("%s: cannot decide whether domain \"%s\" is local", maps->title, domain);
            maps->error = DICT_ERR_RETRY;
        } else if (local > 0) {
            find_localpart(&state, address, local_len, ext_off, "");
        }
    }
    if ((strategy & MA_FIND_AT_DOMAIN) && at)
        find_try(&state, at, DICT_FLAG_FIXED, 0);
    if ((strategy & MA_FIND_DOMAIN) && domain && *domain && !find_done(&state))
        find_domain(&state, domain, strategy);
    if ((strategy & MA_FIND_LOCALPART_AT) && at && !find_done(&state))
        find_localpart(&state, address, local_len, ext_off, "@");

    if (state.result && state.without_ext && extension)
        *extension = mystrndup(address + ext_off, local_len - ext_off);
    if (msg_verbose)
        msg_info("mail_addr_find: %s: %s -> %s", maps->title, address,
                 state.result ? state.result : maps->error ? "(error)" : "(not found)");
    vstring_free(state.key);
    return (state.result);
}

/*
 * login_sender_match - enforce local_login_sender_maps: the tables map a
 * UNIX login name (or "uid:NUMBER" when there is none) to the envelope
 * senders that user may submit mail as.
 *
 * A table result is a list of patterns separated by commas and/or white
 * space. Three patterns are special and are never part of a longer one:
 *   *        any sender
 *   <>       (the null_sender_key, empty_address_local_login_sender_maps_
 *            lookup_key) the null sender
 *   @domain  any sender in that domain
 * Any other pattern must equal the whole sender address. Address extensions
 * (recipient_delimiter) are ignored in the sender, so that a user allowed
 * to send as user@example.com may also send as user+list@example.com.
 * Comparisons ignore case.
 *
 * Exports login_sender_create(), login_sender_free(), login_sender_match()
 * (LSM_STAT_FOUND, LSM_STAT_NOTFOUND, or LSM_STAT_RETRY / LSM_STAT_CONFIG
 * when a table could not answer: the caller must then neither accept nor
 * claim that the sender is not allowed).
 */

#include <string.h>
#include <strings.h>

#include "dict.h"
#include "login_sender_match.h"
#include "mail_addr.h"
#include "maps.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

struct LOGIN_SENDER_MATCH {
    MAPS *maps;                 /* login name -> allowed sender patterns */
    char *ext_delimiters;       /* recipient_delimiter */
    char *null_sender_key;      /* pattern (and key) for the null sender */
};

/* login_sender_create - open the tables */
LOGIN_SENDER_MATCH *login_sender_create(const char *title, const char *map_names,
                                        const char *ext_delimiters,
                                        const char *null_sender_key)
{
    LOGIN_SENDER_MATCH *lsm = (LOGIN_SENDER_MATCH *) mymalloc(sizeof(*lsm));

    lsm->maps = maps_create(title, map_names, DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    lsm->ext_delimiters = mystrdup(ext_delimiters);
    lsm->null_sender_key = mystrdup(null_sender_key);
    return (lsm);
}

/* login_sender_free - close the tables */
void login_sender_free(LOGIN_SENDER_MATCH *lsm)
{
    maps_free(lsm->maps);
    myfree(lsm->ext_delimiters);
    myfree(lsm->null_sender_key);
    myfree(lsm);
}

/* login_sender_pattern_ok - does one pattern allow the (stripped) sender */
static int login_sender_pattern_ok(LOGIN_SENDER_MATCH *lsm, const char *pattern,
                                   const char *sender)
{
    const char *at;

    if (strcmp(pattern, "*") == 0)
        return (1);
    if (*sender == 0)
        return (strcmp(pattern, lsm->null_sender_key) == 0);
    if (*pattern == '@')
        return ((at = strrchr(sender, '@')) != 0 && strcasecmp(at, pattern) == 0);
    return (strcasecmp(sender, pattern) == 0);
}

/* login_sender_match - may login_name use this envelope sender */
int login_sender_match(LOGIN_SENDER_MATCH *lsm, const char *login_name, const char *sender)
{
    const char *allowed;
    char *stripped = 0;
    char *saved;
    char *bp;
    char *pattern;
    int status = LSM_STAT_NOTFOUND;

    if ((allowed = maps_find(lsm->maps, login_name, 0)) == 0) {
        if (lsm->maps->error == DICT_ERR_RETRY)
            return (LSM_STAT_RETRY);
        if (lsm->maps->error != DICT_ERR_NONE)
            return (LSM_STAT_CONFIG);
        return (LSM_STAT_NOTFOUND);
    }
    if (*sender != 0 && *lsm->ext_delimiters != 0
        && (stripped = strip_addr(sender, (char **) 0, lsm->ext_delimiters, "")) != 0)
        sender = stripped;
    bp = saved = mystrdup(allowed);
    while ((pattern = mystrtok(&bp, ", \t\r\n")) != 0) {
        if (login_sender_pattern_ok(lsm, pattern, sender)) {
            status = LSM_STAT_FOUND;
            break;
        }
    }
    myfree(saved);
    if (stripped)
        myfree(stripped);
    return (status);
}

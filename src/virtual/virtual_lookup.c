/*
 * virtual_lookup - map a virtual recipient to its mailbox and ids.
 *
 * Exports virtual_lookup() and virtual_user_free(). The three tables are
 * searched with mail_addr_find() (the extension is not carried over into
 * the result). No mailbox entry means the user does not exist; a mailbox
 * without a uid or gid entry, a uid below virtual_minimum_uid or a gid of
 * 0 is a configuration problem, and so is a table that fails: those defer
 * the recipient with a warning, never bounce it.
 */

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "virtual_lookup.h"

/* virtual_find - one table lookup; null with *failed set on a table error */
static const char *virtual_find(const VIRTUAL_MAPS *vm, MAPS *maps, const char *address,
                                int *failed)
{
    const char *result = mail_addr_find(maps, address, (char **)0, MA_FIND_DEFAULT, vm->env);

    *failed = (result == 0 && maps->error != 0);
    if (*failed)
        msg_warn("table %s: lookup %s: temporary failure", maps->title, address);
    return (result);
}

/* virtual_number - a decimal id, or -1 when the text is not one */
static long virtual_number(const char *text)
{
    char *end;
    long n;

    n = strtol(text, &end, 10);
    if (end == text || *skipblanks(end) != 0 || n < 0)
        return (-1);
    return (n);
}

/* virtual_config_error - the common deferral */
static int virtual_config_error(DSN_BUF *why)
{
    dsb_simple(why, "4.3.5", "mail system configuration error");
    return (VIRTUAL_DEFER);
}

/* virtual_lookup - mailbox, uid, gid of a recipient */
int virtual_lookup(const VIRTUAL_MAPS *vm, const char *address, VIRTUAL_USER *user, DSN_BUF *why)
{
    const char *mailbox;
    const char *uid_res;
    const char *gid_res;
    int failed;
    long n;

    memset(user, 0, sizeof(*user));
    if ((mailbox = virtual_find(vm, vm->mailbox_maps, address, &failed)) == 0)
        return (failed ? virtual_config_error(why) : VIRTUAL_UNKNOWN);
    user->mailbox = concatenate(vm->mailbox_base, "/", mailbox, (char *)0);
    user->maildir = (*mailbox != 0 && mailbox[strlen(mailbox) - 1] == '/');

    if ((uid_res = virtual_find(vm, vm->uid_maps, address, &failed)) == 0) {
        if (!failed)
            msg_warn("recipient %s: not found in %s", address, vm->uid_maps->title);
        virtual_user_free(user);
        return (virtual_config_error(why));
    }
    if ((n = virtual_number(uid_res)) < vm->minimum_uid || n < 0) {
        msg_warn("recipient %s: bad uid %s in %s", address, uid_res, vm->uid_maps->title);
        virtual_user_free(user);
        return (virtual_config_error(why));
    }
    user->uid = (uid_t)n;

    if ((gid_res = virtual_find(vm, vm->gid_maps, address, &failed)) == 0) {
        if (!failed)
            msg_warn("recipient %s: not found in %s", address, vm->gid_maps->title);
        virtual_user_free(user);
        return (virtual_config_error(why));
    }
    if ((n = virtual_number(gid_res)) <= 0) {
        msg_warn("recipient %s: bad gid %s in %s", address, gid_res, vm->gid_maps->title);
        virtual_user_free(user);
        return (virtual_config_error(why));
    }
    user->gid = (gid_t)n;
    return (VIRTUAL_FOUND);
}

/* virtual_user_free - release the mailbox path */
void virtual_user_free(VIRTUAL_USER *user)
{
    if (user->mailbox)
        myfree(user->mailbox);
    user->mailbox = 0;
}

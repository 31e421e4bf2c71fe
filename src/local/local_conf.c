/*
 * local_conf - settings of the local delivery agent that are derived from
 * main.cf once, at start-up.
 *
 * Exports the masks for allow_mail_to_commands, allow_mail_to_files,
 * prepend_delivered_header and mailbox_delivery_lock, the alias_maps
 * tables, and local_conf_init() that builds them. Bad values are fatal, as
 * for every daemon: master restarts it after the administrator fixes them.
 */

#include <fcntl.h>

#include "dict.h"
#include "dot_lockfile.h"
#include "local.h"
#include "lock_type.h"
#include "mail_params.h"
#include "maps.h"
#include "msg.h"
#include "name_mask.h"

int local_cmd_deliver_mask;
int local_file_deliver_mask;
int local_deliver_hdr_mask;
int local_mbox_lock_mask;
MAPS *local_alias_maps;

/* local_expand_mask - "alias, forward, include" as EXPAND_TYPE_* bits */
int local_expand_mask(const char *param, const char *value)
{
    static const NAME_MASK table[] = {
        {"alias", EXPAND_TYPE_ALIAS},
        {"forward", EXPAND_TYPE_FWD},
        {"include", EXPAND_TYPE_INCL},
        {0, 0},
    };

    return (name_mask_opt(param, table, value, NAME_MASK_FATAL | NAME_MASK_ANY_CASE));
}

/* local_header_mask - "command, file, forward" as DELIVER_HDR_* bits */
int local_header_mask(const char *value)
{
    static const NAME_MASK table[] = {
        {"command", DELIVER_HDR_CMD},
        {"file", DELIVER_HDR_FILE},
        {"forward", DELIVER_HDR_FWD},
        {0, 0},
    };

    return (name_mask_opt("prepend_delivered_header", table, value,
                          NAME_MASK_FATAL | NAME_MASK_ANY_CASE));
}

/* local_conf_init - derive everything once */
void local_conf_init(void)
{
    VSTRING *why = vstring_alloc(100);

    local_cmd_deliver_mask =
        local_expand_mask("allow_mail_to_commands", var_allow_mail_to_commands);
    local_file_deliver_mask = local_expand_mask("allow_mail_to_files", var_allow_mail_to_files);
    local_deliver_hdr_mask = local_header_mask(var_prepend_delivered_header);
    if ((local_mbox_lock_mask = lock_type_mask(var_mailbox_delivery_lock, why)) < 0)
        msg_fatal("parameter mailbox_delivery_lock: %s", vstring_str(why));
    dot_lockfile_limits(var_deliver_lock_attempts, var_deliver_lock_delay * 1000,
                        var_stale_lock_time);
    /* $number substitution would let an address choose a command. */
    local_alias_maps = maps_create("alias_maps", var_alias_maps,
                                   DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX | DICT_FLAG_NO_REGSUB);
    vstring_free(why);
}

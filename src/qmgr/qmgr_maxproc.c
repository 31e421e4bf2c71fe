/*
 * qmgr_maxproc - a transport's process limit, from master.cf.
 *
 * qmgr_maxproc_default() returns the maxproc field of the unix-type
 * master.cf entry named after the transport: default_process_limit for
 * "-", 0 (no limit) for "0". A transport without an entry, or an unreadable
 * master.cf, gets default_process_limit: connecting to such a transport
 * fails anyway and suspends it. master.cf is read once per process, as qmgr
 * rereads its configuration only when restarted ("postfix reload").
 */

#include <string.h>

#include "mail_conf.h"
#include "mail_params.h"
#include "master_cf.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

#include "qmgr.h"

/* qmgr_maxproc_default - master.cf maxproc of a transport */
int qmgr_maxproc_default(const char *transport)
{
    static MASTER_CF *mcf;
    static int tried;
    int i;

    if (!tried) {
        VSTRING *why = vstring_alloc(100);
        char *path = concatenate(var_config_directory, "/master.cf", (char *)0);

        tried = 1;
        if ((mcf = master_cf_read(path, why)) == 0)
            msg_warn("%s; using default_process_limit for every transport", vstring_str(why));
        myfree(path);
        vstring_free(why);
    }
    if (mcf != 0) {
        for (i = 0; i < mcf->count; i++) {
            MASTER_CF_ENTRY *entry = mcf->entries[i];

            if (strcmp(entry->name, transport) == 0 && strcmp(entry->type, "unix") == 0)
                return (entry->maxproc == MASTER_CF_DEFAULT ? var_default_process_limit
                                                            : entry->maxproc);
        }
    }
    return (var_default_process_limit);
}

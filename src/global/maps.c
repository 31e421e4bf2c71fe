/*
 * maps - an ordered list of lookup tables, searched as one.
 *
 * Exports maps_create(), maps_find() and maps_free() (see maps.h). Tables
 * are opened read-only through dict_open() and shared by name through the
 * dict registry: two lists that name the same table with the same flags use
 * one open table, which the last maps_free() closes.
 *
 * Failure: a table that cannot be opened is the table layer's business
 * (fatal, or a surrogate that fails every lookup with DICT_ERR_CONFIG). A
 * lookup that fails sets maps->error, logs which table failed, and ends the
 * search with a null result; it is never reported as "not found". A table
 * that answers with an empty string is a configuration error.
 */

#include <fcntl.h>
#include <string.h>

#include "argv.h"
#include "dict.h"
#include "maps.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

#define MAPS_SEPARATORS ", \t\r\n"

/* maps_create - open the tables of a list */
MAPS *maps_create(const char *title, const char *map_names, int dict_flags)
{
    MAPS *maps = mymalloc(sizeof(*maps));
    VSTRING *reg_name = vstring_alloc(100);
    char *copy = mystrdup(map_names);
    char *bp = copy;
    char *name;
    DICT *dict;

    maps->title = mystrdup(title);
    maps->argv = argv_alloc(2);
    maps->error = DICT_ERR_NONE;
    while ((name = mystrtokq(&bp, MAPS_SEPARATORS, "{}")) != 0) {
        /* The same table opened with other flags must not be shared. */
        vstring_sprintf(reg_name, "%s(0%o)", name, (unsigned) (dict_flags & DICT_FLAG_INST_MASK));
        if (dict_handle(vstring_str(reg_name)) == 0) {
            dict = dict_open(name, O_RDONLY, dict_flags);
            dict_register(vstring_str(reg_name), dict);
        } else {
            dict_register(vstring_str(reg_name), dict_handle(vstring_str(reg_name)));
        }
        argv_add(maps->argv, vstring_str(reg_name), (char *) 0);
        if (msg_verbose)
            msg_info("maps_create: %s: %s", title, name);
    }
    myfree(copy);
    vstring_free(reg_name);
    return (maps);
}

/* maps_find - the first table's answer for key */
const char *maps_find(MAPS *maps, const char *key, int flags)
{
    const char *result;
    DICT *dict;
    int i;

    maps->error = DICT_ERR_NONE;
    if (*key == 0)
        return (0);
    for (i = 0; i < maps->argv->argc; i++) {
        if ((dict = dict_handle(maps->argv->argv[i])) == 0)
            msg_panic("maps_find: %s: table %s is not registered", maps->title,
                      maps->argv->argv[i]);
        if (flags != 0 && (dict->flags & flags) == 0)
            continue;
        if ((result = dict_get(dict, key)) != 0) {
            if (*result == 0) {
                msg_warn("%s lookup of %s returns an empty string result", maps->title, key);
                maps->error = DICT_ERR_CONFIG;
                return (0);
            }
            if (msg_verbose)
                msg_info("maps_find: %s: %s:%s: %s = %s", maps->title, dict->type, dict->name,
                         key, result);
            return (result);
        }
        if (dict->error != DICT_ERR_NONE) {
            maps->error = dict->error;
            msg_warn("%s:%s lookup error for \"%s\"", dict->type, dict->name, key);
            return (0);
        }
    }
    if (msg_verbose)
        msg_info("maps_find: %s: %s: not found", maps->title, key);
    return (0);
}

/* maps_free - release the list; the last user of a table closes it */
MAPS *maps_free(MAPS *maps)
{
    int i;

    for (i = 0; i < maps->argv->argc; i++)
        dict_unregister(maps->argv->argv[i]);
    argv_free(maps->argv);
    myfree(maps->title);
    myfree(maps);
    return (0);
}

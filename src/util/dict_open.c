/*
 * dict_open - open a table by "type:name", and the registry of table types.
 *
 * Exports dict_open(), dict_open3(), dict_open_register(),
 * dict_open_lookup() and dict_mapnames(). The built-in types are listed in
 * one table below; other code (proxy:, mysql:, ldap:, ...) adds types at run
 * time with dict_open_register(). dict_open() shares nothing by itself: the
 * caller registers the result by name (dict_register) when it wants sharing.
 *
 * Failures: a spec without "type:" is fatal (a configuration error that the
 * caller cannot work around); an unknown type, or a type that cannot open
 * its table, yields dict_surrogate(), which is fatal unless the process
 * allows surrogates (daemons do).
 */

#include <errno.h>
#include <string.h>

#include "dict.h"
#include "dict_cidr.h"
#include "dict_pcre.h"
#include "dict_regexp.h"
#include "htable.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

/* Types that are compiled in. */
static const struct {
    const char *type;
    DICT_OPEN_FN open_fn;
} dict_open_builtin[] = {
    {DICT_TYPE_HASH, dict_db_hash_open},
    {DICT_TYPE_BTREE, dict_db_btree_open},
    {DICT_TYPE_TEXTHASH, dict_texthash_open},
    {DICT_TYPE_INLINE, dict_inline_open},
    {DICT_TYPE_STATIC, dict_static_open},
    {DICT_TYPE_FAIL, dict_fail_open},
    {DICT_TYPE_ENVIRON, dict_environ_open},
    {DICT_TYPE_UNIX, dict_unix_open},
    {DICT_TYPE_PIPE, dict_pipe_open},
    {DICT_TYPE_UNION, dict_union_open},
    {DICT_TYPE_HT, dict_ht_open},
    /* Pattern types (regexp, pcre, cidr) are added below this line. */
    {DICT_TYPE_REGEXP, dict_regexp_open},
#ifdef HAS_PCRE
    {DICT_TYPE_PCRE, dict_pcre_open},
#endif
    {DICT_TYPE_CIDR, dict_cidr_open},
};

static HTABLE *dict_open_hash;

/* dict_open_init - load the built-in types once */
static void dict_open_init(void)
{
    size_t i;

    if (dict_open_hash != 0)
        return;
    dict_open_hash = htable_create(31);
    for (i = 0; i < sizeof(dict_open_builtin) / sizeof(dict_open_builtin[0]); i++)
        htable_enter(dict_open_hash, dict_open_builtin[i].type,
                     (void *)dict_open_builtin[i].open_fn);
}

/* dict_open_register - add a table type; registering a type twice is a bug */
void dict_open_register(const char *type, DICT_OPEN_FN open_fn)
{
    dict_open_init();
    if (htable_find(dict_open_hash, type) != 0)
        msg_panic("dict_open_register: table type %s is already registered", type);
    htable_enter(dict_open_hash, type, (void *)open_fn);
}

/* dict_open_lookup - the open function of a type, or null */
DICT_OPEN_FN dict_open_lookup(const char *type)
{
    dict_open_init();
    return ((DICT_OPEN_FN)htable_find(dict_open_hash, type));
}

/* dict_open3 - open a table given its type and name separately */
DICT *dict_open3(const char *type, const char *name, int open_flags, int dict_flags)
{
    DICT_OPEN_FN open_fn;
    DICT *dict;

    if (msg_verbose)
        msg_info("dict_open: %s:%s", type, name);
    if (*type == 0 || *name == 0)
        msg_fatal("open dictionary: expecting \"type:name\" form instead of \"%s:%s\"", type, name);
    if ((open_fn = dict_open_lookup(type)) == 0)
        return (dict_surrogate(type, name, open_flags, dict_flags,
                               "unsupported dictionary type: %s", type));
    if ((dict = open_fn(name, open_flags, dict_flags)) == 0)
        return (dict_surrogate(type, name, open_flags, dict_flags, "cannot open %s:%s: %m", type,
                               name));
    if ((dict_flags & DICT_FLAG_UTF8_REQUEST) && !dict_is_surrogate(dict))
        dict = dict_utf8_activate(dict);
    if (msg_verbose)
        msg_info("%s:%s: flags %s", type, name, dict_flags_str(dict->flags));
    return (dict);
}

/* dict_open - open a table given "type:name" */
DICT *dict_open(const char *dict_spec, int open_flags, int dict_flags)
{
    char *saved = mystrdup(dict_spec);
    char *name;
    DICT *dict;

    if ((name = split_at(saved, ':')) == 0)
        msg_fatal("open dictionary: expecting \"type:name\" form instead of \"%s\"", dict_spec);
    dict = dict_open3(saved, name, open_flags, dict_flags);
    myfree(saved);
    return (dict);
}

/* dict_mapnames - the sorted names of all known table types */
ARGV *dict_mapnames(void)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    ARGV *names = argv_alloc(20);

    dict_open_init();
    list = htable_list(dict_open_hash);
    for (ht = list; *ht; ht++)
        argv_add(names, (*ht)->key, (char *)0);
    myfree(list);
    argv_sort(names);
    return (names);
}

/*
 * dict_unix - unix:passwd.byname and unix:group.byname, the system's user
 * and group databases as tables.
 *
 * Exports dict_unix_open(). A passwd lookup returns the entry in
 * /etc/passwd form (name:passwd:uid:gid:gecos:dir:shell), a group lookup in
 * /etc/group form (name:passwd:gid:member,member). An unknown map name is
 * reported with dict_surrogate(); a failure of the system database (other
 * than "no such entry") is a temporary error, so that mail is deferred.
 */

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/types.h>

#include "dict.h"
#include "msg.h"
#include "vstring.h"

typedef struct DICT_UNIX {
    DICT dict;
    VSTRING *buf; /* result */
} DICT_UNIX;

/* dict_unix_missing - tell "no such entry" from a database failure */
static int dict_unix_missing(void)
{
    return (errno == 0 || errno == ENOENT || errno == ESRCH || errno == EBADF || errno == EPERM);
}

/* dict_unix_getpwnam - a passwd entry as text */
static const char *dict_unix_getpwnam(DICT *dict, const char *key)
{
    DICT_UNIX *du = (DICT_UNIX *)dict;
    struct passwd *pw;

    key = dict_fold_key(dict, key);
    dict->error = DICT_ERR_NONE;
    errno = 0;
    if ((pw = getpwnam(key)) == 0) {
        if (!dict_unix_missing()) {
            msg_warn("cannot access UNIX password database: %m");
            dict->error = DICT_ERR_RETRY;
        }
        return (0);
    }
    vstring_sprintf(du->buf, "%s:%s:%ld:%ld:%s:%s:%s", pw->pw_name, pw->pw_passwd, (long)pw->pw_uid,
                    (long)pw->pw_gid, pw->pw_gecos, pw->pw_dir, pw->pw_shell);
    return (vstring_str(du->buf));
}

/* dict_unix_getgrnam - a group entry as text */
static const char *dict_unix_getgrnam(DICT *dict, const char *key)
{
    DICT_UNIX *du = (DICT_UNIX *)dict;
    struct group *gr;
    char **member;

    key = dict_fold_key(dict, key);
    dict->error = DICT_ERR_NONE;
    errno = 0;
    if ((gr = getgrnam(key)) == 0) {
        if (!dict_unix_missing()) {
            msg_warn("cannot access UNIX group database: %m");
            dict->error = DICT_ERR_RETRY;
        }
        return (0);
    }
    vstring_sprintf(du->buf, "%s:%s:%ld:", gr->gr_name, gr->gr_passwd, (long)gr->gr_gid);
    for (member = gr->gr_mem; *member; member++)
        vstring_sprintf_append(du->buf, "%s%s", member == gr->gr_mem ? "" : ",", *member);
    return (vstring_str(du->buf));
}

/* dict_unix_close - release the table */
static void dict_unix_close(DICT *dict)
{
    DICT_UNIX *du = (DICT_UNIX *)dict;

    vstring_free(du->buf);
    dict_free(dict);
}

/* dict_unix_open - pick the database by map name */
DICT *dict_unix_open(const char *map, int open_flags, int dict_flags)
{
    static const struct {
        const char *name;
        const char *(*lookup)(DICT *, const char *);
    } maps[] = {
        {"passwd.byname", dict_unix_getpwnam},
        {"group.byname", dict_unix_getgrnam},
    };
    DICT_UNIX *du;
    size_t i;

    for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
        if (strcmp(map, maps[i].name) == 0)
            break;
    if (i == sizeof(maps) / sizeof(maps[0]))
        return (dict_surrogate(DICT_TYPE_UNIX, map, open_flags, dict_flags, "unknown table: %s:%s",
                               DICT_TYPE_UNIX, map));
    du = (DICT_UNIX *)dict_alloc(DICT_TYPE_UNIX, map, sizeof(*du));
    du->dict.lookup = maps[i].lookup;
    du->dict.close = dict_unix_close;
    du->dict.flags = dict_flags | DICT_FLAG_FIXED;
    du->dict.owner.status = DICT_OWNER_TRUSTED;
    du->buf = vstring_alloc(100);
    return (&du->dict);
}

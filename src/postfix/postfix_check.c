/*
 * postfix_check - "postfix check" and the post-install tasks.
 *
 * Exports postfix_post_install(task), postfix_check_fatal() and
 * postfix_check_warn().
 *
 * post-install tasks read $meta_directory/postfix-files (one entry per
 * line: path:type:owner:group:mode[:flags], $names expanded from main.cf):
 *   create-missing       create directories flagged "c" that do not exist,
 *                        with their owner, group and mode
 *   set-permissions      also (re)set owner, group and mode of every listed
 *                        file and directory that exists, recursively for
 *                        directories flagged "r"
 *   upgrade-permissions  set-permissions for entries flagged "u"
 *
 * postfix_check_fatal() creates missing queue directories and insists on
 * master.cf; postfix_check_warn() reports ownership and permission
 * problems as postfix-script does, for example
 *   warning: not owned by root: /var/spool/postfix/.
 *   warning: group or other writable: /etc/postfix/./main.cf
 *   warning: not owned by group postdrop: /var/spool/postfix/public
 *   warning: /var/spool/postfix/etc/resolv.conf and /etc/resolv.conf differ
 *
 * Failure: check_fatal returns -1 after a fatal-class message; warnings
 * never change the exit status.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argv.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "postfix.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#define PF_WALK_DEPTH 20 /* how deep the tree walks go */

typedef void (*PF_VISIT_FN)(const char *path, const struct stat *st, void *context);

/* pf_walk - visit path and, for directories, everything below it */
static void pf_walk(const char *path, int follow, int depth, PF_VISIT_FN fn, void *context)
{
    struct stat st;
    struct dirent *de;
    DIR *dir;
    char *child;
    ARGV *names;
    int i;

    if ((follow ? stat(path, &st) : lstat(path, &st)) < 0)
        return;
    fn(path, &st, context);
    if (!S_ISDIR(st.st_mode) || depth >= PF_WALK_DEPTH || (dir = opendir(path)) == 0)
        return;
    names = argv_alloc(10);
    while ((de = readdir(dir)) != 0)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            argv_add(names, de->d_name, (char *)0);
    closedir(dir);
    argv_sort(names);
    for (i = 0; i < names->argc; i++) {
        child = concatenate(path, "/", names->argv[i], (char *)0);
        pf_walk(child, follow, depth + 1, fn, context);
        myfree(child);
    }
    argv_free(names);
}

/* pf_uid - uid of a user name, -1 if unknown */
static long pf_uid(const char *name)
{
    struct passwd *pw = getpwnam(name);

    return (pw ? (long)pw->pw_uid : -1);
}

/* pf_gid - gid of a group name, -1 if unknown */
static long pf_gid(const char *name)
{
    struct group *gr = getgrnam(name);

    return (gr ? (long)gr->gr_gid : -1);
}

/*
 * postfix-files entries.
 */
typedef struct PF_ENTRY {
    char *path;
    char type;
    char *owner;
    char *group;
    int mode;
    char *flags;
} PF_ENTRY;

/* pf_set_owner_mode - apply owner, group and mode to one path */
static void pf_set_owner_mode(const char *path, const PF_ENTRY *ent)
{
    long uid = strcmp(ent->owner, "-") ? pf_uid(ent->owner) : -1;
    long gid = strcmp(ent->group, "-") ? pf_gid(ent->group) : -1;

    if (strcmp(ent->owner, "-") && uid < 0)
        msg_warn("%s: unknown user %s", path, ent->owner);
    if (strcmp(ent->group, "-") && gid < 0)
        msg_warn("%s: unknown group %s", path, ent->group);
    if ((uid >= 0 || gid >= 0) && lchown(path, (uid_t)uid, (gid_t)gid) < 0)
        msg_warn("chown %s: %m", path);
    if (chmod(path, ent->mode) < 0)
        msg_warn("chmod %s: %m", path);
}

/* pf_recursive_visit - set-permissions below an "r" directory */
static void pf_recursive_visit(const char *path, const struct stat *st, void *context)
{
    const PF_ENTRY *ent = context;
    PF_ENTRY file = *ent;

    if (S_ISDIR(st->st_mode)) {
        pf_set_owner_mode(path, ent);
    } else if (S_ISREG(st->st_mode)) {
        /* Queue files keep their own mode; only ownership follows. */
        file.mode = st->st_mode & 07777;
        pf_set_owner_mode(path, &file);
    }
}

/* pf_parse - one postfix-files line; 0 when it is not an entry */
static int pf_parse(char *line, PF_ENTRY *ent)
{
    char *fields[6] = {0};
    char *cp = line;
    int n;

    if (*line == '#' || *line == 0)
        return (0);
    for (n = 0; n < 6 && cp; n++)
        fields[n] = mystrtok(&cp, ":");
    if (fields[0] == 0 || fields[1] == 0 || fields[2] == 0)
        return (0);
    ent->path = mystrdup(mail_conf_eval(fields[0]));
    ent->type = fields[1][0];
    ent->owner = mystrdup(mail_conf_eval(fields[2]));
    ent->group = mystrdup(fields[3] ? mail_conf_eval(fields[3]) : "-");
    ent->mode = fields[4] ? (int)strtol(fields[4], (char **)0, 8) : 0;
    ent->flags = mystrdup(fields[5] ? fields[5] : "");
    return (1);
}

/* pf_entry_free - release an entry */
static void pf_entry_free(PF_ENTRY *ent)
{
    myfree(ent->path);
    myfree(ent->owner);
    myfree(ent->group);
    myfree(ent->flags);
}

/* postfix_post_install - create-missing, set-permissions, upgrade-permissions */
int postfix_post_install(const char *task)
{
    char *path = concatenate(var_meta_directory, "/postfix-files", (char *)0);
    int create = 1;
    int set_all = strcmp(task, "set-permissions") == 0;
    int set_upgrade = strcmp(task, "upgrade-permissions") == 0;
    VSTREAM *fp;
    VSTRING *line;
    PF_ENTRY ent;
    struct stat st;

    if (!set_all && !set_upgrade && strcmp(task, "create-missing") != 0) {
        msg_error("unknown post-install task: %s", task);
        myfree(path);
        return (-1);
    }
    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0) {
        msg_error("open %s: %m", path);
        myfree(path);
        return (-1);
    }
    line = vstring_alloc(100);
    while (vstring_get_nonl_bound(line, fp, 4096) != VSTREAM_EOF) {
        if (!pf_parse(vstring_str(line), &ent))
            continue;
        if (ent.type == 'd' && create && strchr(ent.flags, 'c') && stat(ent.path, &st) < 0) {
            if (mkdir(ent.path, ent.mode) < 0 && errno != EEXIST)
                msg_warn("mkdir %s: %m", ent.path);
            else
                pf_set_owner_mode(ent.path, &ent);
        }
        if ((set_all || (set_upgrade && strchr(ent.flags, 'u'))) &&
            (ent.type == 'd' || ent.type == 'f') && lstat(ent.path, &st) == 0) {
            if (ent.type == 'd' && strchr(ent.flags, 'r'))
                pf_walk(ent.path, 0, 0, pf_recursive_visit, &ent);
            else
                pf_set_owner_mode(ent.path, &ent);
        }
        pf_entry_free(&ent);
    }
    vstring_free(line);
    (void)vstream_fclose(fp);
    myfree(path);
    return (0);
}

/* postfix_check_fatal - problems that keep the mail system from starting */
int postfix_check_fatal(void)
{
    char *path;
    int ret = 0;

    if (postfix_post_install("create-missing") != 0) {
        msg_error("unable to create missing queue directories");
        return (-1);
    }
    path = concatenate(var_config_directory, "/master.cf", (char *)0);
    if (access(path, F_OK) < 0) {
        msg_error("no %s file found", path);
        ret = -1;
    }
    myfree(path);
    return (ret);
}

/*
 * Warnings, in the order and words of postfix-script.
 */
typedef struct PF_CHECK {
    long uid;          /* expected owner, -1 = do not check */
    const char *owner; /* its name, for the message */
    int perms;         /* check group/other writable */
} PF_CHECK;

/* pf_check_visit - one path of a tree walk */
static void pf_check_visit(const char *path, const struct stat *st, void *context)
{
    PF_CHECK *chk = context;

    if (chk->uid >= 0 && (long)st->st_uid != chk->uid && !S_ISFIFO(st->st_mode) &&
        !S_ISSOCK(st->st_mode)) {
        if (chk->uid == 0)
            msg_warn("not owned by root: %s", path);
        else
            msg_warn("not owned by %s: %s", chk->owner, path);
    }
    if (chk->perms && !S_ISLNK(st->st_mode) && (st->st_mode & (S_IWGRP | S_IWOTH)))
        msg_warn("group or other writable: %s", path);
}

/* pf_check_tree - owner and permissions of a whole tree */
static void pf_check_tree(const char *top, long uid, const char *owner, int perms, int recurse)
{
    PF_CHECK chk = {uid, owner, perms};
    struct stat st;

    if (recurse)
        pf_walk(top, 0, 0, pf_check_visit, &chk);
    else if (lstat(top, &st) == 0)
        pf_check_visit(top, &st, &chk);
}

/* pf_check_group - a path must belong to setgid_group */
static void pf_check_group(const char *path, long gid, int setgid)
{
    struct stat st;

    if (stat(path, &st) < 0)
        return;
    if ((long)st.st_gid != gid)
        msg_warn("not owned by group %s: %s", var_setgid_group, path);
    if (setgid && (st.st_mode & 02111) != 02111)
        msg_warn("not set-gid or not owner+group+world executable: %s", path);
}

/* pf_same_file - do two files have the same content */
static int pf_same_file(const char *a, const char *b)
{
    VSTREAM *fa = vstream_fopen(a, O_RDONLY, 0);
    VSTREAM *fb = vstream_fopen(b, O_RDONLY, 0);
    int ca, cb;
    int same = 0;

    if (fa && fb) {
        do {
            ca = vstream_getc(fa);
            cb = vstream_getc(fb);
        } while (ca == cb && ca != VSTREAM_EOF);
        same = (ca == cb);
    }
    if (fa)
        (void)vstream_fclose(fa);
    if (fb)
        (void)vstream_fclose(fb);
    return (same);
}

/* pf_jail_visit - files copied into the chroot jail */
static void pf_jail_visit(const char *path, const struct stat *st, void *context)
{
    size_t qlen = strlen(var_queue_directory);
    const char *rel = path + qlen;

    if (st->st_uid != 0)
        msg_warn("not owned by root: %s", path);
    if (S_ISREG(st->st_mode) && access(rel, F_OK) == 0 && !pf_same_file(path, rel))
        msg_warn("%s and %s differ", path, rel);
}

/* pf_corrupt_visit - files in the corrupt queue */
static void pf_corrupt_visit(const char *path, const struct stat *st, void *context)
{
    if (S_ISREG(st->st_mode))
        msg_warn("damaged message: %s", path + strlen(var_queue_directory) + 1);
}

/* postfix_check_warn - ownership and permission warnings */
void postfix_check_warn(void)
{
    static const char *owned_dirs[] = {"saved",   "incoming", "active", "defer",   "deferred",
                                       "bounce",  "hold",     "trace",  "corrupt", "public",
                                       "private", "flush",    0};
    static const char *jail_dirs[] = {"bin", "etc", "lib", "sbin", "usr", 0};
    long owner = pf_uid(var_mail_owner);
    long sgid = pf_gid(var_setgid_group);
    char *path;
    ARGV *todo;
    const char **cpp;
    int i;

    /* Root-owned directories and trees. */
    path = concatenate(var_queue_directory, "/.", (char *)0);
    pf_check_tree(path, 0, "root", 1, 0);
    myfree(path);
    path = concatenate(var_queue_directory, "/pid", (char *)0);
    pf_check_tree(path, 0, "root", 1, 0);
    myfree(path);
    todo = argv_alloc(3);
    argv_add(todo, var_daemon_directory, var_meta_directory, var_config_directory, (char *)0);
    argv_sort(todo);
    argv_uniq(todo);
    for (i = 0; i < todo->argc; i++) {
        path = concatenate(todo->argv[i], "/.", (char *)0);
        pf_check_tree(path, 0, "root", 1, 1);
        myfree(path);
    }
    argv_free(todo);

    /* Trees that belong to mail_owner. */
    path = concatenate(var_data_directory, "/.", (char *)0);
    pf_check_tree(path, owner, var_mail_owner, 1, 1);
    myfree(path);
    for (cpp = owned_dirs; *cpp; cpp++) {
        path = concatenate(var_queue_directory, "/", *cpp, (char *)0);
        pf_check_tree(path, owner, var_mail_owner, 0, 1);
        myfree(path);
    }
    path = concatenate(var_queue_directory, "/maildrop", (char *)0);
    pf_check_tree(path, owner, var_mail_owner, 0, 0);
    myfree(path);

    /* setgid_group: the submission path. */
    path = concatenate(var_command_directory, "/postqueue", (char *)0);
    pf_check_group(path, sgid, 1);
    myfree(path);
    path = concatenate(var_command_directory, "/postdrop", (char *)0);
    pf_check_group(path, sgid, 1);
    myfree(path);
    path = concatenate(var_queue_directory, "/public", (char *)0);
    pf_check_group(path, sgid, 0);
    myfree(path);
    path = concatenate(var_queue_directory, "/maildrop", (char *)0);
    pf_check_group(path, sgid, 0);
    myfree(path);

    /* Files copied into the chroot jail, and damaged messages. */
    for (cpp = jail_dirs; *cpp; cpp++) {
        path = concatenate(var_queue_directory, "/", *cpp, (char *)0);
        pf_walk(path, 0, 0, pf_jail_visit, (void *)0);
        myfree(path);
    }
    path = concatenate(var_queue_directory, "/corrupt", (char *)0);
    pf_walk(path, 0, 0, pf_corrupt_visit, (void *)0);
    myfree(path);

    /* Remnants of another MTA. */
    if (access("/usr/sbin/sendmail", F_OK) == 0 && access("/usr/lib/sendmail", F_OK) == 0 &&
        !pf_same_file("/usr/sbin/sendmail", "/usr/lib/sendmail")) {
        msg_warn("/usr/lib/sendmail and /usr/sbin/sendmail differ");
        msg_warn("Replace one by a symbolic link to the other");
    }
}

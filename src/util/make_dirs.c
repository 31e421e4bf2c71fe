/*
 * make_dirs - create a directory path, parents first, like "mkdir -p".
 *
 * Exports make_dirs(path, mode). Each missing component is created with
 * mode (subject to the umask); an existing component must be a directory
 * (or a symbolic link to one). Losing a creation race to another process
 * is not an error.
 *
 * Failure: -1 with errno set (ENOTDIR when a component is something else).
 */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "make_dirs.h"
#include "mymalloc.h"

/* make_dirs_one - make one component that may already exist */
static int make_dirs_one(const char *path, mode_t mode)
{
    struct stat st;

    if (mkdir(path, mode) == 0)
        return (0);
    if (errno != EEXIST)
        return (-1);
    if (stat(path, &st) < 0)
        return (-1);
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return (-1);
    }
    return (0);
}

/* make_dirs - mkdir -p */
int make_dirs(const char *path, mode_t mode)
{
    char *copy = mystrdup(path);
    char *cp;
    int ret = 0;
    int saved;

    for (cp = copy + 1; ret == 0 && *cp; cp++) {
        if (*cp != '/' || cp[-1] == '/')
            continue;
        *cp = 0;
        ret = make_dirs_one(copy, mode);
        *cp = '/';
    }
    if (ret == 0 && copy[strlen(copy) - 1] != '/')
        ret = make_dirs_one(copy, mode);
    saved = errno;
    myfree(copy);
    errno = saved;
    return (ret);
}

/*
 * scan_dir - a directory walker with an explicit stack of levels.
 *
 * Exports scan_dir_open(), scan_dir_next(), scan_dir_path(),
 * scan_dir_push(), scan_dir_pop() and scan_dir_close(). The caller
 * decides which names to step into, so that a walker over the mail queue
 * can enter hash subdirectories and nothing else.
 *
 * Failure: open and push report errors to the caller (errno); a directory
 * that becomes unreadable in the middle of a listing just ends early.
 */

#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "scan_dir.h"
#include "vstring.h"

typedef struct SCAN_LEVEL {
    DIR *dir;                  /* open listing */
    char *path;                /* its pathname */
    struct SCAN_LEVEL *parent; /* the level above, or null */
} SCAN_LEVEL;

struct SCAN_DIR {
    SCAN_LEVEL *current;
};

/* scan_level_open - open one level */
static SCAN_LEVEL *scan_level_open(const char *path, SCAN_LEVEL *parent)
{
    SCAN_LEVEL *level;
    DIR *dir;

    if ((dir = opendir(path)) == 0)
        return (0);
    level = (SCAN_LEVEL *)mymalloc(sizeof(*level));
    level->dir = dir;
    level->path = mystrdup(path);
    level->parent = parent;
    return (level);
}

/* scan_level_close - close one level, return its parent */
static SCAN_LEVEL *scan_level_close(SCAN_LEVEL *level)
{
    SCAN_LEVEL *parent = level->parent;

    if (closedir(level->dir) < 0)
        msg_warn("close directory %s: %m", level->path);
    myfree(level->path);
    myfree((void *)level);
    return (parent);
}

/* scan_dir_open - start a walk */
SCAN_DIR *scan_dir_open(const char *path)
{
    SCAN_LEVEL *level;
    SCAN_DIR *scan;

    if ((level = scan_level_open(path, (SCAN_LEVEL *)0)) == 0)
        return (0);
    scan = (SCAN_DIR *)mymalloc(sizeof(*scan));
    scan->current = level;
    return (scan);
}

/* scan_dir_next - the next name at this level */
char *scan_dir_next(SCAN_DIR *scan)
{
    struct dirent *dp;

    while ((dp = readdir(scan->current->dir)) != 0) {
        if (strcmp(dp->d_name, ".") == 0 || strcmp(dp->d_name, "..") == 0)
            continue;
        return (dp->d_name);
    }
    return (0);
}

/* scan_dir_path - the directory being listed */
const char *scan_dir_path(SCAN_DIR *scan)
{
    return (scan->current->path);
}

/* scan_dir_push - step into a subdirectory */
int scan_dir_push(SCAN_DIR *scan, const char *name)
{
    VSTRING *path = vstring_alloc(100);
    SCAN_LEVEL *level;
    int saved_errno;

    vstring_sprintf(path, "%s/%s", scan->current->path, name);
    level = scan_level_open(vstring_str(path), scan->current);
    saved_errno = errno;
    vstring_free(path);
    if (level == 0) {
        errno = saved_errno;
        return (-1);
    }
    scan->current = level;
    return (0);
}

/* scan_dir_pop - step back out */
int scan_dir_pop(SCAN_DIR *scan)
{
    if (scan->current->parent == 0)
        return (-1);
    scan->current = scan_level_close(scan->current);
    return (0);
}

/* scan_dir_close - end the walk */
void scan_dir_close(SCAN_DIR *scan)
{
    while (scan->current)
        scan->current = scan_level_close(scan->current);
    myfree((void *)scan);
}

#ifndef POSTSUPER_H
#define POSTSUPER_H

/* postsuper - shared state of the queue superintendent's modules */

#include <sys/stat.h>

#define ACT_STRUCT (1 << 0)       /* -s: fix names and places */
#define ACT_PURGE (1 << 1)        /* -p: remove old temporary files */
#define ACT_DELETE_ONE (1 << 2)   /* -d id */
#define ACT_DELETE_ALL (1 << 3)   /* -d ALL */
#define ACT_REQUEUE_ONE (1 << 4)  /* -r id */
#define ACT_REQUEUE_ALL (1 << 5)  /* -r ALL */
#define ACT_HOLD_ONE (1 << 6)     /* -h id */
#define ACT_HOLD_ALL (1 << 7)     /* -h ALL */
#define ACT_RELEASE_ONE (1 << 8)  /* -H id */
#define ACT_RELEASE_ALL (1 << 9)  /* -H ALL */
#define ACT_STRUCT_RED (1 << 10)  /* -S: long ids must match their inode too */
#define ACT_EXPIRE_ONE (1 << 11)  /* -e id */
#define ACT_EXPIRE_ALL (1 << 12)  /* -e ALL */
#define ACT_EXP_REL_ONE (1 << 13) /* -f id */
#define ACT_EXP_REL_ALL (1 << 14) /* -f ALL */

#define ACT_DEFAULT (ACT_STRUCT | ACT_PURGE)

/* Never done while file names change to match inode numbers. */
#define ACTS_BY_QUEUE_ID                                                                           \
    (ACT_DELETE_ONE | ACT_REQUEUE_ONE | ACT_HOLD_ONE | ACT_RELEASE_ONE | ACT_EXPIRE_ONE |          \
     ACT_EXP_REL_ONE)

/* Mass moves postponed to the second pass when names were fixed. */
#define ACTS_AFTER_INUM_FIX                                                                        \
    (ACT_REQUEUE_ALL | ACT_HOLD_ALL | ACT_RELEASE_ALL | ACT_EXPIRE_ALL | ACT_EXP_REL_ALL)

#define POSTSUPER_TEMP_AGE (24 * 60 * 60) /* -p: temporary files older than this go */
#define POSTSUPER_FIX_SUFFIX "#FIX"       /* renamed to match the inode, not yet final */

/* What postsuper has done so far, for the report and the interrupt handler. */
typedef struct POSTSUPER_COUNTS {
    int requeued;
    int deleted;
    int expired;
    int held;
    int released;
    int inode_fixed;    /* #FIX names made final */
    int inode_mismatch; /* names found not to match their inode */
    int position_fixed; /* files moved to their hash directory */
} POSTSUPER_COUNTS;

extern POSTSUPER_COUNTS postsuper_counts;

/* What each directory holds. */
typedef struct POSTSUPER_QUEUE {
    const char *name;
    int message; /* holds queue files (else per-message logs) */
    int recurse; /* may have hash subdirectories */
} POSTSUPER_QUEUE;

extern const char *postsuper_log_queues[];
extern const POSTSUPER_QUEUE *postsuper_queue(const char *name);
#define POSTSUPER_READY(st) (((st)->st_mode & S_IRWXU) == S_IRWXU)

/* postsuper_fsops.c */
extern int postsuper_remove(const char *path);
extern int postsuper_rename(const char *old_path, const char *new_path);
extern int postsuper_rmdir(const char *path);

/* postsuper_one.c: operations on named messages; each returns 1 when done */
typedef int (*POSTSUPER_ONE_FN)(const char **queues, const char *id);
extern int postsuper_delete_one(const char **queues, const char *id);
extern int postsuper_requeue_one(const char **queues, const char *id);
extern int postsuper_hold_one(const char **queues, const char *id);
extern int postsuper_release_one(const char **queues, const char *id);
extern int postsuper_expire_one(const char **queues, const char *id);
extern int postsuper_expire_release_one(const char **queues, const char *id);
extern int postsuper_expire_file(const char *path, struct stat *st, const char *id, int verbose);

/* postsuper_scan.c: the pass over whole queues */
extern void postsuper_scan(const char **queues, int action);

#endif

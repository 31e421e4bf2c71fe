#ifndef QUEUE_ID_H
#define QUEUE_ID_H

/* queue_id - queue file names: short and long queue ids, hash directories */

#include <sys/time.h>
#include <sys/types.h>

#include "vstring.h"

#define QUEUE_ID_MAXLEN 40      /* longer names are never queue ids */

extern const char *queue_id_short(VSTRING *buf, const struct timeval *tv, ino_t inode);
extern const char *queue_id_long(VSTRING *buf, const struct timeval *tv, ino_t inode);
extern int queue_id_ok(const char *id);
extern int queue_id_is_long(const char *id);
extern const char *queue_id_hash_dir(VSTRING *buf, const char *id, int depth);
extern int queue_id_inode(const char *id, unsigned long *inode);

/*
 * queue_id_reinode - the name a file with this id should have given its
 * actual inode: the same time part with the inode part replaced. A long id
 * becomes a short one unless want_long is set. The id must be valid.
 */
extern const char *queue_id_reinode(VSTRING *buf, const char *id, ino_t inode, int want_long);

#endif

#ifndef MAIL_QUEUE_H
#define MAIL_QUEUE_H

/* mail_queue - the queue directories and the files in them */

#include <sys/stat.h>
#include <sys/time.h>

#include "vstream.h"
#include "vstring.h"

#define MAIL_QUEUE_MAILDROP "maildrop"
#define MAIL_QUEUE_INCOMING "incoming"
#define MAIL_QUEUE_ACTIVE "active"
#define MAIL_QUEUE_DEFERRED "deferred"
#define MAIL_QUEUE_HOLD "hold"
#define MAIL_QUEUE_CORRUPT "corrupt"
#define MAIL_QUEUE_BOUNCE "bounce"
#define MAIL_QUEUE_DEFER "defer"
#define MAIL_QUEUE_TRACE "trace"
#define MAIL_QUEUE_FLUSH "flush"
#define MAIL_QUEUE_SAVED "saved"

/* A queue file is complete when its owner-execute bit is set. */
#define MAIL_QUEUE_STAT_READY (S_IRUSR | S_IWUSR | S_IXUSR)
#define MAIL_QUEUE_STAT_CORRUPT (S_IRUSR)
#define MAIL_QUEUE_STAT_UNTHROTTLE (S_IRGRP)
#define MAIL_QUEUE_STAT_EXPIRE (S_IXGRP)
#define MAIL_QUEUE_STAT_MASK (S_IRWXU | S_IRGRP | S_IXGRP)

extern const char *mail_queue_dir(VSTRING *buf, const char *queue_name, const char *queue_id);
extern const char *mail_queue_path(VSTRING *buf, const char *queue_name, const char *queue_id);
extern VSTREAM *mail_queue_enter(const char *queue_name, mode_t mode, struct timeval *tp);
extern VSTREAM *mail_queue_open(const char *queue_name, const char *queue_id, int flags,
                                mode_t mode);
extern int mail_queue_rename(const char *queue_id, const char *old_queue, const char *new_queue);
extern int mail_queue_remove(const char *queue_name, const char *queue_id);
extern int mail_queue_name_ok(const char *queue_name);
extern int mail_queue_id_ok(const char *queue_id);
extern int mail_queue_mkdirs(const char *path);
extern const char *mail_queue_id_of(VSTREAM *stream);

#endif

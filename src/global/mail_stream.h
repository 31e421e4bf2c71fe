#ifndef MAIL_STREAM_H
#define MAIL_STREAM_H

/*
 * mail_stream - write one message, either to the cleanup service or
 * straight into a queue file, with one way to finish or abandon it.
 */

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/time.h>

#include "vstream.h"
#include "vstring.h"

typedef struct MAIL_STREAM MAIL_STREAM;

struct MAIL_STREAM {
    VSTREAM *stream;            /* write records here */
    char *id;                   /* queue id (from cleanup, or of the file) */
    char *queue;                /* file: the queue it was written into */
    char *class;                /* file: service to wake up when done, or 0 */
    char *service;
    mode_t mode;                /* file: permission bits besides 0700 */
    struct timeval ctime;       /* file: creation time */
    pid_t pid;                  /* command: the child process */
    int (*finish)(MAIL_STREAM *, VSTRING *);
    void (*abort)(MAIL_STREAM *);
};

extern MAIL_STREAM *mail_stream_service(const char *class, const char *name);
extern MAIL_STREAM *mail_stream_file(const char *queue, const char *class, const char *service,
                                     mode_t mode);
extern MAIL_STREAM *mail_stream_command(const char *command);
extern int mail_stream_finish(MAIL_STREAM *info, VSTRING *why);
extern void mail_stream_cleanup(MAIL_STREAM *info);

#endif

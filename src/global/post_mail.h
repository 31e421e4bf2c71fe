#ifndef POST_MAIL_H
#define POST_MAIL_H

/* post_mail - compose a new message and post it through cleanup */

#include <stdarg.h>
#include <sys/types.h>

#include "vstream.h"
#include "vstring.h"

extern VSTREAM *post_mail_fopen(const char *sender, const char *recipient, int cleanup_flags,
                                VSTRING *queue_id);
extern VSTREAM *post_mail_fopen_nowait(const char *sender, const char *recipient,
                                       int cleanup_flags, VSTRING *queue_id);
extern VSTREAM *post_mail_fopen_trace_nowait(const char *sender, const char *recipient,
                                             int cleanup_flags, int trace_flags,
                                             VSTRING *queue_id);
extern int post_mail_fputs(VSTREAM *cleanup, const char *line);
extern int post_mail_buffer(VSTREAM *cleanup, const char *data, ssize_t len);
extern int post_mail_fprintf(VSTREAM *cleanup, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
extern int post_mail_fclose(VSTREAM *cleanup, VSTRING *why);

#endif

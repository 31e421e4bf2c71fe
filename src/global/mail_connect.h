#ifndef MAIL_CONNECT_H
#define MAIL_CONNECT_H

/* mail_connect - connect to, or trigger, a service of this mail system */

#include "vstream.h"

extern VSTREAM *mail_connect(const char *class, const char *name, int block_mode);
extern VSTREAM *mail_connect_wait(const char *class, const char *name);
extern int mail_trigger(const char *class, const char *service, const char *req, ssize_t len);
extern const char *mail_service_path(const char *class, const char *name);

#endif

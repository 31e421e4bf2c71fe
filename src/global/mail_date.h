#ifndef MAIL_DATE_H
#define MAIL_DATE_H

/* mail_date - an RFC 5322 date-time for Date: and Received: headers */

#include <time.h>

extern const char *mail_date(time_t when);

#endif

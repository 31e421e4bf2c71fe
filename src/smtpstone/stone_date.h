#ifndef STONE_DATE_H
#define STONE_DATE_H

/* stone_date - RFC 2822 date text for generated Date: and Received: headers */

#include <time.h>

extern const char *stone_date(time_t when);

#endif

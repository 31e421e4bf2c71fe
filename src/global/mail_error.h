#ifndef MAIL_ERROR_H
#define MAIL_ERROR_H

/*
 * mail_error - the error classes of notify_classes, as a bit mask.
 */

#include "name_mask.h"

#define MAIL_ERROR_POLICY (1 << 0)
#define MAIL_ERROR_PROTOCOL (1 << 1)
#define MAIL_ERROR_BOUNCE (1 << 2)
#define MAIL_ERROR_SOFTWARE (1 << 3)
#define MAIL_ERROR_RESOURCE (1 << 4)
#define MAIL_ERROR_2BOUNCE (1 << 5)
#define MAIL_ERROR_DELAY (1 << 6)
#define MAIL_ERROR_DATA (1 << 7)

/* "bounce, 2bounce, data, delay, policy, protocol, resource, software" */
extern const NAME_MASK mail_error_masks[];

/* mail_error_mask - notify_classes as a mask (unknown names are fatal) */
extern int mail_error_mask(const char *names);

#endif

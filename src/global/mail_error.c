/*
 * mail_error - notify_classes names and bits.
 *
 * Exports mail_error_masks[] and mail_error_mask(). An unknown class name
 * is a configuration error and fatal, as for any other bad parameter.
 */

#include "mail_error.h"

const NAME_MASK mail_error_masks[] = {
    {"bounce", MAIL_ERROR_BOUNCE},
    {"2bounce", MAIL_ERROR_2BOUNCE},
    {"data", MAIL_ERROR_DATA},
    {"delay", MAIL_ERROR_DELAY},
    {"policy", MAIL_ERROR_POLICY},
    {"protocol", MAIL_ERROR_PROTOCOL},
    {"resource", MAIL_ERROR_RESOURCE},
    {"software", MAIL_ERROR_SOFTWARE},
    {0, 0},
};

/* mail_error_mask - parse a notify_classes value */
int mail_error_mask(const char *names)
{
    return (name_mask("notify_classes", mail_error_masks, names));
}

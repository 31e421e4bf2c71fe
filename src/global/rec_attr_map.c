/*
 * rec_attr_map - some queue-file records can also be written as a named
 * attribute ("A name=value"): the DSN records and the create time. Code
 * that filters attribute records (postdrop, pickup) must know that these
 * names carry envelope information and are not arbitrary user attributes.
 *
 * Exports rec_attr_map(name): the record type the attribute stands for, or
 * 0 for any other name.
 */

#include <string.h>

#include "mail_proto.h"
#include "rec_attr_map.h"
#include "rec_type.h"

/* rec_attr_map - record type of a named attribute, or 0 */
int rec_attr_map(const char *attr_name)
{
    static const struct {
        const char *name;
        int type;
    } map[] = {
        {MAIL_ATTR_DSN_ENVID, REC_TYPE_DSN_ENVID},
        {MAIL_ATTR_DSN_RET, REC_TYPE_DSN_RET},
        {MAIL_ATTR_DSN_NOTIFY, REC_TYPE_DSN_NOTIFY},
        {MAIL_ATTR_DSN_ORCPT, REC_TYPE_DSN_ORCPT},
        {MAIL_ATTR_CREATE_TIME, REC_TYPE_CTIME},
    };
    size_t i;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i].name, attr_name) == 0)
            return (map[i].type);
    return (0);
}

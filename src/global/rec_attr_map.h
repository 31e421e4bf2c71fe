#ifndef REC_ATTR_MAP_H
#define REC_ATTR_MAP_H

/* rec_attr_map - named attributes that stand for a dedicated record type */

extern int rec_attr_map(const char *attr_name);

#endif

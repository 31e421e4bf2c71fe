#ifndef SET_UGID_H
#define SET_UGID_H

/* set_ugid - give up root for good */

#include <sys/types.h>

extern void set_ugid(uid_t uid, gid_t gid);

#endif

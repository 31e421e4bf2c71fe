#ifndef USER_ACL_H
#define USER_ACL_H

/* user_acl - is the user behind a process on a list of login names */

#include <sys/types.h>

extern const char *check_user_acl_byuid(const char *title, const char *pattern, uid_t uid);

#endif

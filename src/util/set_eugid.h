#ifndef SET_EUGID_H
#define SET_EUGID_H

/*
 * set_eugid - switch the effective user and group ids, keeping root as the
 * real id so that the process can switch again later (delivery agents that
 * act on behalf of one user after another).
 */

#include <sys/types.h>

/* Become euid/egid (supplementary groups: egid only); fatal on failure. */
extern void set_eugid(uid_t euid, gid_t egid);

#endif

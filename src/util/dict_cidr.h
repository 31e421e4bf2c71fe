#ifndef DICT_CIDR_H
#define DICT_CIDR_H

/* dict_cidr - cidr: tables (IPv4/IPv6 network patterns) */

#include "dict.h"

#define DICT_TYPE_CIDR "cidr"

extern DICT *dict_cidr_open(const char *name, int open_flags, int dict_flags);

#endif

#ifndef DICT_REGEXP_H
#define DICT_REGEXP_H

/* dict_regexp - regexp: tables (POSIX regular expressions) */

#include "dict_pattern.h"

#define DICT_TYPE_REGEXP "regexp"

extern const DICT_PATTERN_CLASS dict_regexp_class;
extern DICT *dict_regexp_open(const char *name, int open_flags, int dict_flags);

#endif

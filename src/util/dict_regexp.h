#ifndef DICT_REGEXP_H
#define DICT_REGEXP_H

/* dict_regexp - regexp: tables (POSIX regular expressions) */

#include "dict_pattern.h"

#define DICT_TYPE_REGEXP "regexp"

extern const DICT_PATTERN_CLASS dict_regexp_class;

#endif

#ifndef DICT_PCRE_H
#define DICT_PCRE_H

/* dict_pcre - pcre: tables (PCRE2), present only when HAS_PCRE is defined */

#ifdef HAS_PCRE

#include "dict_pattern.h"

#define DICT_TYPE_PCRE "pcre"

extern const DICT_PATTERN_CLASS dict_pcre_class;
extern DICT *dict_pcre_open(const char *name, int open_flags, int dict_flags);

#endif

#endif

#ifndef VERIFY_CACHE_H
#define VERIFY_CACHE_H

/* verify_cache - periodic cleanup of the address verification cache */

#include "dict.h"

/* Non-zero when the entry (key, value) should stay in the cache. */
typedef int (*VERIFY_CACHE_VALID_FN)(const char *key, const char *value);

extern void verify_cache_cleanup_start(DICT *dict, const char *name, int interval,
                                       VERIFY_CACHE_VALID_FN valid);

#endif

#ifndef MAC_EXPAND_H
#define MAC_EXPAND_H

/* mac_expand - expand $name, ${name?text}, ${{a} == {b} ? {x} : {y}} */

#include "vstring.h"

/* What the lookup callback is asked for. */
#define MAC_EXP_MODE_TEST 0 /* only whether the name has a non-empty value */
#define MAC_EXP_MODE_USE 1  /* the value will be inserted into the result */

/* The raw value of a name, or null when the name is undefined. */
typedef const char *(*MAC_EXP_LOOKUP_FN)(const char *name, int mode, void *context);

#define MAC_EXP_FLAG_NONE 0
#define MAC_EXP_FLAG_RECURSE (1 << 0) /* expand $name inside looked-up values */
#define MAC_EXP_FLAG_APPEND (1 << 1)  /* append to the result, do not reset it */
#define MAC_EXP_FLAG_SCAN (1 << 2)    /* visit every name in every branch, no output */

/* Result bits. */
#define MAC_PARSE_OK 0
#define MAC_PARSE_ERROR (1 << 0) /* syntax error or runaway recursion (warned) */
#define MAC_PARSE_UNDEF (1 << 1) /* some name had no value */

/* Nesting of looked-up values beyond which expansion is a loop. */
#define MAC_EXP_MAX_DEPTH 100

extern int mac_expand(VSTRING *result, const char *pattern, int flags, const char *filter,
                      MAC_EXP_LOOKUP_FN lookup, void *context);

/* Compatibility levels ("3", "3.6", "3.7.1") as used by <level etc. */
extern int compat_level_parse(const char *text, long *major, long *minor, long *patch);
extern int compat_level_compare(const char *a, const char *b, int *cmp);

#endif

#ifndef NAME_MASK_H
#define NAME_MASK_H

/* name_mask - lists of names as bit masks, and back */

#include "vstring.h"

typedef struct NAME_MASK {
    const char *name; /* null terminates the table */
    int mask;
} NAME_MASK;

/* What to do with an unknown name or bit. Exactly one is required. */
#define NAME_MASK_FATAL (1 << 0)  /* log and terminate */
#define NAME_MASK_RETURN (1 << 1) /* warn and return 0 (null for strings) */
#define NAME_MASK_WARN (1 << 2)   /* warn and skip it */
#define NAME_MASK_IGNORE (1 << 3) /* skip it */
/* Other options. */
#define NAME_MASK_ANY_CASE (1 << 4) /* names are case-insensitive */
#define NAME_MASK_NUMBER (1 << 5)   /* unknown bits are shown as hex */
#define NAME_MASK_COMMA (1 << 6)    /* join names with ',' */
#define NAME_MASK_PIPE (1 << 7)     /* join names with '|' */

#define NAME_MASK_DEFAULT NAME_MASK_FATAL
#define NAME_MASK_DELIMITERS ", \t\r\n"

extern int name_mask_opt(const char *context, const NAME_MASK *table, const char *names, int flags);
extern const char *str_name_mask_opt(VSTRING *buf, const char *context, const NAME_MASK *table,
                                     int mask, int flags);

#define name_mask(ctx, table, names) name_mask_opt((ctx), (table), (names), NAME_MASK_DEFAULT)
#define str_name_mask(ctx, table, mask)                                                            \
    str_name_mask_opt((VSTRING *)0, (ctx), (table), (mask), NAME_MASK_DEFAULT)

#endif

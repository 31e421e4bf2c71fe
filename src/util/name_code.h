#ifndef NAME_CODE_H
#define NAME_CODE_H

/* name_code - map names to integer codes, for enumerated parameter values */

typedef struct NAME_CODE {
    const char *name; /* null terminates the table */
    int code;         /* in the terminator: the "not found" code */
} NAME_CODE;

#define NAME_CODE_FLAG_NONE 0
#define NAME_CODE_FLAG_STRICT_CASE 1 /* names are case-sensitive */

extern int name_code(const NAME_CODE *table, int flags, const char *name);
extern const char *str_name_code(const NAME_CODE *table, int code);

#endif

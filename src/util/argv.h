#ifndef ARGV_H
#define ARGV_H

/* argv - null-terminated string vectors */

#include <stddef.h>

typedef struct ARGV {
    char **argv;                /* strings, then a null pointer */
    int argc;                   /* number of strings */
    int size;                   /* slots allocated */
} ARGV;

extern ARGV *argv_alloc(int len);
extern void argv_free(ARGV *argvp);
extern void argv_add(ARGV *argvp, ...);   /* strings, then (char *) 0 */
extern void argv_addn(ARGV *argvp, const char *str, size_t len);
extern void argv_insert_one(ARGV *argvp, int where, const char *str);
extern void argv_delete(ARGV *argvp, int first, int count);
extern void argv_truncate(ARGV *argvp, int len);
extern void argv_sort(ARGV *argvp);
extern void argv_uniq(ARGV *argvp);
extern ARGV *argv_split(const char *str, const char *delim);
extern ARGV *argv_split_append(ARGV *argvp, const char *str, const char *delim);
extern ARGV *argv_splitq(const char *str, const char *delim, const char *parens);
extern ARGV *argv_copy(const ARGV *argvp);
extern char *argv_join(const ARGV *argvp, const char *sep);

#endif

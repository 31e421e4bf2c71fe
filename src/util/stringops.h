#ifndef STRINGOPS_H
#define STRINGOPS_H

/* stringops - small string utilities */

#include <stddef.h>

extern char *lowercase(char *str);
extern char *uppercase(char *str);
extern char *trimblanks(char *str, size_t len);     /* returns end; len 0 = strlen */
extern char *skipblanks(const char *str);
extern char *mystrtok(char **bufp, const char *delim);
extern char *mystrtokq(char **bufp, const char *delim, const char *parens);
extern char *split_at(char *str, int delim);
extern char *split_at_right(char *str, int delim);
extern const char *split_nameval(char *buf, char **name, char **value);
extern char *printable(char *str, int replacement);
extern char *concatenate(const char *first, ...);   /* strings, then (char *) 0 */
extern int alldig(const char *str);
extern int allprint(const char *str);
extern int allalnum(const char *str);
extern const char *basename_of(const char *path);
extern char *extpar(char **bp, const char *parens, int flags);

#define EXTPAR_FLAG_NONE 0
#define EXTPAR_FLAG_STRIP 1     /* strip white space inside the parentheses */

#define ISSPACE(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r' || (c) == '\f' || (c) == '\v')

#endif

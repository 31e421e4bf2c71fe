#ifndef MYMALLOC_H
#define MYMALLOC_H

/* mymalloc - memory allocation that never returns a null pointer */

#include <stddef.h>

extern void *mymalloc(size_t len);
extern void *mycalloc(size_t count, size_t len);
extern void *myrealloc(void *ptr, size_t len);
extern void myfree(void *ptr);
extern char *mystrdup(const char *str);
extern char *mystrndup(const char *str, size_t len);
extern void *mymemdup(const void *ptr, size_t len);

#endif

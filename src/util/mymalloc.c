/*
 * mymalloc - memory allocation that fails loudly.
 *
 * Every allocator here either returns usable memory or terminates the process
 * with a fatal error, so callers never test for a null pointer. Requests that
 * would overflow size_t are treated as bugs (panic). myfree() accepts a null
 * pointer, as free() does.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"

/* mymalloc - allocate memory or die */
void   *mymalloc(size_t len)
{
    void   *ptr;

    if ((ptr = malloc(len ? len : 1)) == 0)
	msg_fatal("mymalloc: insufficient memory for %zu bytes", len);
    return (ptr);
}

/* mycalloc - allocate zeroed memory for an array or die */
void   *mycalloc(size_t count, size_t len)
{
    void   *ptr;

    if (len && count > SIZE_MAX / len)
	msg_panic("mycalloc: size overflow: %zu * %zu", count, len);
    if ((ptr = calloc(count ? count : 1, len ? len : 1)) == 0)
	msg_fatal("mycalloc: insufficient memory for %zu bytes", count * len);
    return (ptr);
}

/* myrealloc - resize memory or die */
void   *myrealloc(void *ptr, size_t len)
{
    void   *new_ptr;

    if ((new_ptr = realloc(ptr, len ? len : 1)) == 0)
	msg_fatal("myrealloc: insufficient memory for %zu bytes", len);
    return (new_ptr);
}

/* myfree - release memory */
void    myfree(void *ptr)
{
    free(ptr);
}

/* mystrdup - copy a string */
char   *mystrdup(const char *str)
{
    if (str == 0)
	msg_panic("mystrdup: null pointer argument");
    return (mymemdup(str, strlen(str) + 1));
}

/* mystrndup - copy at most len bytes of a string, always terminated */
char   *mystrndup(const char *str, size_t len)
{
    const char *end;
    char   *result;

    if (str == 0)
	msg_panic("mystrndup: null pointer argument");
    if ((end = memchr(str, 0, len)) != 0)
	len = end - str;
    result = mymalloc(len + 1);
    memcpy(result, str, len);
    result[len] = 0;
    return (result);
}

/* mymemdup - copy a memory block */
void   *mymemdup(const void *ptr, size_t len)
{
    void   *result;

    if (ptr == 0)
	msg_panic("mymemdup: null pointer argument");
    result = mymalloc(len);
    memcpy(result, ptr, len);
    return (result);
}

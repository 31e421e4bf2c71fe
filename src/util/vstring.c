/*
 * vstring - growable strings.
 *
 * A VSTRING keeps its bytes null-terminated at all times, so vstring_str()
 * can be passed to any C string function; the length is kept separately, so a
 * VSTRING may also hold binary data with embedded null bytes. Storage grows by
 * doubling. Allocation failure is fatal (mymalloc).
 */

#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"

/* vstring_alloc - create an empty string with room for len bytes */
VSTRING *vstring_alloc(size_t len)
{
    VSTRING *vp = mymalloc(sizeof(*vp));

    vp->size = (len ? len : 1) + 1;
    vp->data = mymalloc(vp->size);
    vp->len = 0;
    vp->data[0] = 0;
    return (vp);
}

/* vstring_free - destroy a string; null is allowed */
void vstring_free(VSTRING *vp)
{
    if (vp) {
        myfree(vp->data);
        myfree(vp);
    }
}

/* vstring_space - make room for len more bytes plus the terminator */
void vstring_space(VSTRING *vp, size_t len)
{
    size_t need = vp->len + len + 1;
    size_t size;

    if (need < vp->len)
        msg_panic("vstring_space: length overflow");
    if (need <= vp->size)
        return;
    for (size = vp->size * 2; size < need; size *= 2)
        if (size == 0)
            msg_panic("vstring_space: length overflow");
    vp->data = myrealloc(vp->data, size);
    vp->size = size;
}

/* vstring_truncate - shorten a string; never lengthens it */
VSTRING *vstring_truncate(VSTRING *vp, size_t len)
{
    if (len < vp->len) {
        vp->len = len;
        vp->data[len] = 0;
    }
    return (vp);
}

/* vstring_memcpy - replace the contents with len bytes */
VSTRING *vstring_memcpy(VSTRING *vp, const void *src, size_t len)
{
    vp->len = 0;
    return (vstring_memcat(vp, src, len));
}

/* vstring_memcat - append len bytes */
VSTRING *vstring_memcat(VSTRING *vp, const void *src, size_t len)
{
    vstring_space(vp, len);
    memmove(vp->data + vp->len, src, len);
    vp->len += len;
    vp->data[vp->len] = 0;
    return (vp);
}

/* vstring_strcpy - replace the contents with a string */
VSTRING *vstring_strcpy(VSTRING *vp, const char *src)
{
    return (vstring_memcpy(vp, src, strlen(src)));
}

/* vstring_strcat - append a string */
VSTRING *vstring_strcat(VSTRING *vp, const char *src)
{
    return (vstring_memcat(vp, src, strlen(src)));
}

/* vstring_strncpy - replace the contents with at most len bytes of a string */
VSTRING *vstring_strncpy(VSTRING *vp, const char *src, size_t len)
{
    vp->len = 0;
    return (vstring_strncat(vp, src, len));
}

/* vstring_strncat - append at most len bytes of a string */
VSTRING *vstring_strncat(VSTRING *vp, const char *src, size_t len)
{
    const char *end = memchr(src, 0, len);

    return (vstring_memcat(vp, src, end ? (size_t) (end - src) : len));
}

/* vstring_vsprintf_append - append formatted text */
VSTRING *vstring_vsprintf_append(VSTRING *vp, const char *fmt, va_list ap)
{
    va_list ap2;
    int len;

    va_copy(ap2, ap);
    len = vsnprintf(vp->data + vp->len, vp->size - vp->len, fmt, ap2);
    va_end(ap2);
    if (len < 0)
        msg_panic("vstring_vsprintf_append: bad format \"%s\"", fmt);
    if ((size_t) len >= vp->size - vp->len) {
        vstring_space(vp, len);
        vsnprintf(vp->data + vp->len, vp->size - vp->len, fmt, ap);
    }
    vp->len += len;
    return (vp);
}

/* vstring_vsprintf - replace the contents with formatted text */
VSTRING *vstring_vsprintf(VSTRING *vp, const char *fmt, va_list ap)
{
    VSTRING_RESET(vp);
    return (vstring_vsprintf_append(vp, fmt, ap));
}

/* vstring_sprintf - replace the contents with formatted text */
VSTRING *vstring_sprintf(VSTRING *vp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf(vp, fmt, ap);
    va_end(ap);
    return (vp);
}

/* vstring_sprintf_append - append formatted text */
VSTRING *vstring_sprintf_append(VSTRING *vp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf_append(vp, fmt, ap);
    va_end(ap);
    return (vp);
}

/* vstring_insert - insert len bytes at position pos */
VSTRING *vstring_insert(VSTRING *vp, size_t pos, const char *src, size_t len)
{
    if (pos > vp->len)
        msg_panic("vstring_insert: position %zu past end %zu", pos, vp->len);
    vstring_space(vp, len);
    memmove(vp->data + pos + len, vp->data + pos, vp->len - pos + 1);
    memcpy(vp->data + pos, src, len);
    vp->len += len;
    return (vp);
}

/* vstring_export - give up the string's storage to the caller */
char *vstring_export(VSTRING *vp)
{
    char *str = vp->data;

    myfree(vp);
    return (str);
}

/* vstring_import - turn an allocated string into a VSTRING */
VSTRING *vstring_import(char *str)
{
    VSTRING *vp = mymalloc(sizeof(*vp));

    vp->data = str;
    vp->len = strlen(str);
    vp->size = vp->len + 1;
    return (vp);
}

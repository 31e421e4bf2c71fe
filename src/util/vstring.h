#ifndef VSTRING_H
#define VSTRING_H

/* vstring - growable, always null-terminated byte strings */

#include <stdarg.h>
#include <stddef.h>

typedef struct VSTRING {
    char *data;                 /* always null-terminated */
    size_t len;                 /* bytes in use, excluding the terminator */
    size_t size;                /* bytes allocated, including the terminator */
} VSTRING;

extern VSTRING *vstring_alloc(size_t len);
extern void vstring_free(VSTRING *vp);
extern void vstring_space(VSTRING *vp, size_t len);
extern VSTRING *vstring_truncate(VSTRING *vp, size_t len);
extern VSTRING *vstring_strcpy(VSTRING *vp, const char *src);
extern VSTRING *vstring_strncpy(VSTRING *vp, const char *src, size_t len);
extern VSTRING *vstring_strcat(VSTRING *vp, const char *src);
extern VSTRING *vstring_strncat(VSTRING *vp, const char *src, size_t len);
extern VSTRING *vstring_memcpy(VSTRING *vp, const void *src, size_t len);
extern VSTRING *vstring_memcat(VSTRING *vp, const void *src, size_t len);
extern VSTRING *vstring_sprintf(VSTRING *vp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
extern VSTRING *vstring_sprintf_append(VSTRING *vp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
extern VSTRING *vstring_vsprintf(VSTRING *vp, const char *fmt, va_list ap);
extern VSTRING *vstring_vsprintf_append(VSTRING *vp, const char *fmt, va_list ap);
extern VSTRING *vstring_insert(VSTRING *vp, size_t pos, const char *src, size_t len);
extern char *vstring_export(VSTRING *vp);
extern VSTRING *vstring_import(char *str);

#define vstring_str(vp) ((vp)->data)
#define vstring_end(vp) ((vp)->data + (vp)->len)
#define VSTRING_LEN(vp) ((vp)->len)
#define VSTRING_RESET(vp) ((vp)->len = 0, (vp)->data[0] = 0)
#define VSTRING_TERMINATE(vp) ((vp)->data[(vp)->len] = 0)
#define VSTRING_ADDCH(vp, ch) \
    do { \
        if ((vp)->len + 1 >= (vp)->size) \
            vstring_space((vp), 1); \
        (vp)->data[(vp)->len++] = (ch); \
        (vp)->data[(vp)->len] = 0; \
    } while (0)

#endif

#ifndef ATTR_H
#define ATTR_H

/*
 * attr - the attribute protocol that daemons speak: typed name=value lists
 * in three wire encodings with identical APIs.
 */

#include <stdarg.h>
#include <sys/types.h>

#include "htable.h"
#include "vstream.h"
#include "vstring.h"

#define ATTR_TYPE_END 0   /* end of the argument list */
#define ATTR_TYPE_INT 1   /* int */
#define ATTR_TYPE_STR 2   /* null-terminated string */
#define ATTR_TYPE_HASH 3  /* HTABLE of string -> string */
#define ATTR_TYPE_LONG 4  /* long */
#define ATTR_TYPE_DATA 5  /* counted bytes */
#define ATTR_TYPE_FUNC 6  /* custom print/scan callback */
#define ATTR_TYPE_STREQ 7 /* receive only: value must equal a constant */

#define ATTR_FLAG_NONE 0
#define ATTR_FLAG_MISSING (1 << 0) /* complain about missing attributes */
#define ATTR_FLAG_EXTRA (1 << 1)   /* complain about unexpected attributes */
#define ATTR_FLAG_MORE (1 << 2)    /* no list terminator sent or expected */
#define ATTR_FLAG_STRICT (ATTR_FLAG_MISSING | ATTR_FLAG_EXTRA)
#define ATTR_FLAG_ALL (ATTR_FLAG_STRICT | ATTR_FLAG_MORE)

#define ATTR_NAME_OPEN "{"  /* starts a nested table on the wire */
#define ATTR_NAME_CLOSE "}" /* ends it */

#define ATTR_SCAN_LIMIT_DEFAULT 8192 /* bytes per received name or value */
#define ATTR_HASH_LIMIT 1024         /* entries per received table */

typedef int (*ATTR_PRINT_COMMON_FN)(VSTREAM *fp, int flags, ...);
typedef int (*ATTR_SCAN_COMMON_FN)(VSTREAM *fp, int flags, ...);
typedef int (*ATTR_PRINT_CUSTOM_FN)(ATTR_PRINT_COMMON_FN print_fn, VSTREAM *fp, int flags,
                                    const void *ptr);
typedef int (*ATTR_SCAN_CUSTOM_FN)(ATTR_SCAN_COMMON_FN scan_fn, VSTREAM *fp, int flags, void *ptr);
typedef int (*ATTR_PRINT_VSTREAM_FN)(VSTREAM *fp, int flags, va_list ap);
typedef int (*ATTR_SCAN_VSTREAM_FN)(VSTREAM *fp, int flags, va_list ap);

/* Identity functions that make the compiler check each argument's type. */
static inline const char *attr_chk_name(const char *v)
{
    return (v);
}
static inline int attr_chk_int(int v)
{
    return (v);
}
static inline long attr_chk_long(long v)
{
    return (v);
}
static inline const char *attr_chk_str(const char *v)
{
    return (v);
}
static inline ssize_t attr_chk_len(ssize_t v)
{
    return (v);
}
static inline const void *attr_chk_data(const void *v)
{
    return (v);
}
static inline HTABLE *attr_chk_hash(HTABLE *v)
{
    return (v);
}
static inline ATTR_PRINT_CUSTOM_FN attr_chk_print_fn(ATTR_PRINT_CUSTOM_FN v)
{
    return (v);
}
static inline ATTR_SCAN_CUSTOM_FN attr_chk_scan_fn(ATTR_SCAN_CUSTOM_FN v)
{
    return (v);
}
static inline const void *attr_chk_cptr(const void *v)
{
    return (v);
}
static inline void *attr_chk_ptr(void *v)
{
    return (v);
}
static inline int *attr_chk_int_ptr(int *v)
{
    return (v);
}
static inline long *attr_chk_long_ptr(long *v)
{
    return (v);
}
static inline VSTRING *attr_chk_vstring(VSTRING *v)
{
    return (v);
}

#define SEND_ATTR_INT(name, val) ATTR_TYPE_INT, attr_chk_name(name), attr_chk_int(val)
#define SEND_ATTR_LONG(name, val) ATTR_TYPE_LONG, attr_chk_name(name), attr_chk_long(val)
#define SEND_ATTR_STR(name, val) ATTR_TYPE_STR, attr_chk_name(name), attr_chk_str(val)
#define SEND_ATTR_DATA(name, len, val)                                                             \
    ATTR_TYPE_DATA, attr_chk_name(name), attr_chk_len(len), attr_chk_data(val)
#define SEND_ATTR_HASH(table) ATTR_TYPE_HASH, attr_chk_hash(table)
#define SEND_ATTR_FUNC(fn, ptr) ATTR_TYPE_FUNC, attr_chk_print_fn(fn), attr_chk_cptr(ptr)

#define RECV_ATTR_INT(name, ptr) ATTR_TYPE_INT, attr_chk_name(name), attr_chk_int_ptr(ptr)
#define RECV_ATTR_LONG(name, ptr) ATTR_TYPE_LONG, attr_chk_name(name), attr_chk_long_ptr(ptr)
#define RECV_ATTR_STR(name, vp) ATTR_TYPE_STR, attr_chk_name(name), attr_chk_vstring(vp)
#define RECV_ATTR_DATA(name, vp) ATTR_TYPE_DATA, attr_chk_name(name), attr_chk_vstring(vp)
#define RECV_ATTR_HASH(table) ATTR_TYPE_HASH, attr_chk_hash(table)
#define RECV_ATTR_FUNC(fn, ptr) ATTR_TYPE_FUNC, attr_chk_scan_fn(fn), attr_chk_ptr(ptr)
#define RECV_ATTR_STREQ(name, val) ATTR_TYPE_STREQ, attr_chk_name(name), attr_chk_str(val)

/* name\0value\0 ... \0 */
extern int attr_print0(VSTREAM *fp, int flags, ...);
extern int attr_vprint0(VSTREAM *fp, int flags, va_list ap);
extern int attr_scan0(VSTREAM *fp, int flags, ...);
extern int attr_vscan0(VSTREAM *fp, int flags, va_list ap);
extern int attr_scan_more0(VSTREAM *fp);

/* name=value\n ... \n */
extern int attr_print_plain(VSTREAM *fp, int flags, ...);
extern int attr_vprint_plain(VSTREAM *fp, int flags, va_list ap);
extern int attr_scan_plain(VSTREAM *fp, int flags, ...);
extern int attr_vscan_plain(VSTREAM *fp, int flags, va_list ap);
extern int attr_scan_more_plain(VSTREAM *fp);

/* base64(name):base64(value)\n ... \n */
extern int attr_print64(VSTREAM *fp, int flags, ...);
extern int attr_vprint64(VSTREAM *fp, int flags, va_list ap);
extern int attr_scan64(VSTREAM *fp, int flags, ...);
extern int attr_vscan64(VSTREAM *fp, int flags, va_list ap);
extern int attr_scan_more64(VSTREAM *fp);

/* The default encoding is the null-terminated one. */
#define attr_print attr_print0
#define attr_vprint attr_vprint0
#define attr_scan attr_scan0
#define attr_vscan attr_vscan0
#define attr_scan_more attr_scan_more0

extern size_t attr_scan_set_limit(size_t limit);

#endif

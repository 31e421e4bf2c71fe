#ifndef RECORD_H
#define RECORD_H

/* record - typed records: one type byte, a base-128 length, the payload */

#include <stdarg.h>
#include <sys/types.h>

#include "vstream.h"
#include "vstring.h"

#define REC_FLAG_NONE 0
#define REC_FLAG_FOLLOW_PTR (1 << 0) /* follow pointer records */
#define REC_FLAG_SKIP_DTXT (1 << 1)  /* skip padding records */
#define REC_FLAG_SEEK_END (1 << 2)   /* seek to the end before writing */
#define REC_FLAG_DEFAULT (REC_FLAG_FOLLOW_PTR | REC_FLAG_SKIP_DTXT)

#define REC_PTR_HOPS_MAX 10000  /* pointer chains longer than this are corrupt */

extern int rec_put(VSTREAM *fp, int type, const char *data, ssize_t len);
extern int rec_fputs(VSTREAM *fp, int type, const char *str);
extern int rec_fprintf(VSTREAM *fp, int type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
extern int rec_vfprintf(VSTREAM *fp, int type, const char *fmt, va_list ap);
extern int rec_get_raw(VSTREAM *fp, VSTRING *buf, ssize_t maxsize, int flags);
extern int rec_put_type(VSTREAM *fp, int type, off_t offset);
extern int rec_goto(VSTREAM *fp, const char *ptr_payload);
extern int rec_pad(VSTREAM *fp, int type, ssize_t len);

#define rec_get(fp, buf, max) rec_get_raw((fp), (buf), (max), REC_FLAG_DEFAULT)

#endif

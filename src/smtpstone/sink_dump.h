#ifndef SINK_DUMP_H
#define SINK_DUMP_H

/* sink_dump - capture files for the mail transactions that smtp-sink receives */

#include <stddef.h>

typedef struct SINK_DUMP SINK_DUMP;

#define SINK_DUMP_SINGLE 1 /* one new file per message (-d) */
#define SINK_DUMP_APPEND 2 /* append messages to one file (-D) */

extern SINK_DUMP *sink_dump_open(const char *template, int mode);
extern const char *sink_dump_id(const SINK_DUMP *dump);
extern void sink_dump_write(SINK_DUMP *dump, const char *buf, size_t len);
extern void sink_dump_close(SINK_DUMP *dump);
extern void sink_dump_discard(SINK_DUMP *dump);
extern char *sink_dump_unescape(const char *text, size_t *len);

#endif

#ifndef READLLINE_H
#define READLLINE_H

/* readlline - read logical lines: comments skipped, continuation lines joined */

#include "vstream.h"
#include "vstring.h"

extern VSTRING *readllines(VSTRING *buf, VSTREAM *fp, int *lineno, int *first_line);
#define readlline(buf, fp, lineno) readllines((buf), (fp), (lineno), (int *) 0)

#endif

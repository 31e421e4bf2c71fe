#ifndef QUOTE_FLAGS_H
#define QUOTE_FLAGS_H

/*
 * quote_flags - options of quote_822_local_flags(), and their names.
 *
 * QUOTE_FLAG_8BITCLEAN: bytes with the high bit set (UTF-8) are ordinary
 * local-part characters; without it they force quoting. QUOTE_FLAG_EXPOSE_AT:
 * an '@' in the local part does not force quoting. QUOTE_FLAG_APPEND: add
 * to the result instead of replacing it. QUOTE_FLAG_BARE_LOCALPART: the
 * input is a local part only, even if it contains '@'.
 *
 * The names ("8bitclean", "expose_at", "append", "bare_localpart") serve
 * logging and configuration; an unknown name is a warning and yields 0.
 */

#include "vstring.h"

#define QUOTE_FLAG_8BITCLEAN (1 << 0)
#define QUOTE_FLAG_EXPOSE_AT (1 << 1)
#define QUOTE_FLAG_APPEND (1 << 2)
#define QUOTE_FLAG_BARE_LOCALPART (1 << 3)
#define QUOTE_FLAG_DEFAULT QUOTE_FLAG_8BITCLEAN
#define QUOTE_FLAG_NONE 0

extern int quote_flags_from_string(const char *names);
extern const char *quote_flags_to_string(VSTRING *buf, int flags);

#endif

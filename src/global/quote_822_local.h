#ifndef QUOTE_822_LOCAL_H
#define QUOTE_822_LOCAL_H

/*
 * quote_822_local - quote and unquote the local part of a mail address.
 *
 * quote_822_local() takes an address in internal form ("a b@example") and
 * returns it in external form ("\"a b\"@example"): the local part (text
 * before the last '@') is put in double quotes, with backslashes before
 * '"' and '\', when it is not a plain dot-atom. The domain is copied as is.
 * unquote_822_local() does the reverse for the local part of an external
 * address, whose domain is the text after the last '@' outside quotes.
 */

#include "quote_flags.h"
#include "vstring.h"

extern VSTRING *quote_822_local_flags(VSTRING *dst, const char *src, int flags);
extern VSTRING *unquote_822_local(VSTRING *dst, const char *src);

#define quote_822_local(dst, src) quote_822_local_flags((dst), (src), QUOTE_FLAG_DEFAULT)

#endif

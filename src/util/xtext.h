#ifndef XTEXT_H
#define XTEXT_H

/* xtext - RFC 3461 xtext, as in the DSN ORCPT and ENVID parameters */

#include "vstring.h"

extern VSTRING *xtext_quote(VSTRING *quoted, const char *unquoted, const char *special);
extern VSTRING *xtext_quote_append(VSTRING *quoted, const char *unquoted, const char *special);
extern VSTRING *xtext_unquote(VSTRING *unquoted, const char *quoted);
extern VSTRING *xtext_unquote_append(VSTRING *unquoted, const char *quoted);

#endif

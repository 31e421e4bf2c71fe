#ifndef UXTEXT_H
#define UXTEXT_H

/* uxtext - RFC 6533 unitext, the SMTPUTF8 form of ORCPT and ENVID */

#include "vstring.h"

extern VSTRING *uxtext_quote(VSTRING *quoted, const char *unquoted, const char *special);
extern VSTRING *uxtext_quote_append(VSTRING *quoted, const char *unquoted, const char *special);
extern VSTRING *uxtext_unquote(VSTRING *unquoted, const char *quoted);
extern VSTRING *uxtext_unquote_append(VSTRING *unquoted, const char *quoted);

#endif

#ifndef ALIAS_TOK_H
#define ALIAS_TOK_H
/* alias_tok - split an aliases(5) line into name and normalized value */
#include "vstring.h"

#define ALIAS_TOK_OK 0
#define ALIAS_TOK_FORMAT 1    /* no "name: value" shape */
#define ALIAS_TOK_NOT_LOCAL 2 /* the name has an @domain part */

extern int alias_tok_split(const char *line, VSTRING *name, VSTRING *value);
#endif

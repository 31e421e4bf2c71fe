#ifndef VALID_UTF8_STRING_H
#define VALID_UTF8_STRING_H

/* valid_utf8_string - strict UTF-8 well-formedness check */

#include <sys/types.h>

extern int valid_utf8_string(const char *str, ssize_t len);
extern int utf8_decode_one(const unsigned char **cpp, const unsigned char *end);

#endif

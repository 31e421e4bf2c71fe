#ifndef BASE64_CODE_H
#define BASE64_CODE_H

/* base64_code - RFC 4648 base64 encoding and decoding */

#include <sys/types.h>

#include "vstring.h"

#define BASE64_FLAG_NONE 0
#define BASE64_FLAG_APPEND 1 /* append to the result instead of replacing it */

extern VSTRING *base64_encode_opt(VSTRING *result, const char *in, ssize_t len, int flags);
extern VSTRING *base64_decode_opt(VSTRING *result, const char *in, ssize_t len, int flags);

#define base64_encode(res, in, len) base64_encode_opt((res), (in), (len), BASE64_FLAG_NONE)
#define base64_decode(res, in, len) base64_decode_opt((res), (in), (len), BASE64_FLAG_NONE)

#endif

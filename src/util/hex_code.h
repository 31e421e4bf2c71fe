#ifndef HEX_CODE_H
#define HEX_CODE_H

/* hex_code - hexadecimal encoding and decoding of binary data */

#include <sys/types.h>

#include "vstring.h"

#define HEX_ENCODE_FLAG_NONE 0
#define HEX_ENCODE_FLAG_USE_COLON (1 << 0) /* "AB:CD:EF" */
#define HEX_ENCODE_FLAG_APPEND (1 << 1)
#define HEX_ENCODE_FLAG_LOWERCASE (1 << 2)

#define HEX_DECODE_FLAG_NONE 0
#define HEX_DECODE_FLAG_ALLOW_COLON (1 << 0) /* accept "AB:CD:EF" too */
#define HEX_DECODE_FLAG_APPEND (1 << 1)

extern VSTRING *hex_encode_opt(VSTRING *result, const char *in, ssize_t len, int flags);
extern VSTRING *hex_decode_opt(VSTRING *result, const char *in, ssize_t len, int flags);

#define hex_encode(res, in, len) hex_encode_opt((res), (in), (len), HEX_ENCODE_FLAG_NONE)
#define hex_decode(res, in, len) hex_decode_opt((res), (in), (len), HEX_DECODE_FLAG_NONE)

#endif

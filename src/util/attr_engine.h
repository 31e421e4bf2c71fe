#ifndef ATTR_ENGINE_H
#define ATTR_ENGINE_H

/*
 * attr_engine - private interface between the attribute protocol's shared
 * print/scan logic and the three wire encodings. Not for other modules.
 */

#include "attr.h"

typedef struct ATTR_SCAN_STATE {
    VSTREAM *fp;
    VSTRING *name;  /* the name just read */
    VSTRING *stash; /* value read together with the name (line encodings) */
    int started;    /* some input of this list was consumed */
} ATTR_SCAN_STATE;

#define ATTR_GOT_ERROR (-1)
#define ATTR_GOT_END 0    /* list terminator */
#define ATTR_GOT_NAME 1   /* a name; its value follows */
#define ATTR_GOT_MARKER 2 /* "{" or "}" without a value */

typedef struct ATTR_CODEC {
    const char *label;  /* for diagnostics */
    int data_as_base64; /* DATA values travel as base64 text */
    int terminator;     /* the byte that ends a list */
    void (*put_attr)(VSTREAM *fp, const char *name, const char *value, size_t len);
    void (*put_marker)(VSTREAM *fp, const char *marker);
    int (*get_name)(ATTR_SCAN_STATE *state);
    int (*get_value)(ATTR_SCAN_STATE *state, VSTRING *value);
    ATTR_PRINT_COMMON_FN print_fn; /* handed to custom print callbacks */
    ATTR_SCAN_COMMON_FN scan_fn;   /* handed to custom scan callbacks */
} ATTR_CODEC;

extern int attr_vprint_codec(const ATTR_CODEC *codec, VSTREAM *fp, int flags, va_list ap);
extern int attr_vscan_codec(const ATTR_CODEC *codec, VSTREAM *fp, int flags, va_list ap);
extern int attr_scan_more_codec(const ATTR_CODEC *codec, VSTREAM *fp);
extern int attr_read_until(ATTR_SCAN_STATE *state, VSTRING *buf, int delim, size_t limit,
                           const char *context);
extern size_t attr_scan_limit(void);
extern void attr_skip_print_args(va_list *app);

extern void attr_b64_encode(VSTRING *out, const char *in, size_t len);
extern int attr_b64_decode(VSTRING *out, const char *in, size_t len);

#endif

/*
 * fuzz_mime_state - libFuzzer target for the MIME state machine in
 * src/global/mime_state.c. The first input byte selects the option flags
 * (downgrade, strict checks, recursion, MIME disabled), the second picks
 * small or default size limits; the rest is a message, fed to
 * mime_state_update() line by line as normal records, with overlong lines
 * split into continued records the way cleanup does, then the end-of-content
 * record. Header and body callbacks touch every byte they are given, so a
 * bad length or offset shows up as an ASan report.
 */
#include "fuzz_common.h"
#include "header_opts.h"
#include "mime_state.h"
#include "rec_type.h"
#include "vstring.h"

static unsigned fuzz_sum; /* keeps the reads alive */

/* fuzz_touch - read every byte of a callback argument */
static void fuzz_touch(const char *text, ssize_t len)
{
    ssize_t i;

    if (len < 0)
        __builtin_trap();
    for (i = 0; i < len; i++)
        fuzz_sum += (unsigned char)text[i];
}

/* head_out - header callback */
static void head_out(void *context, int header_class, const HEADER_OPTS *info, VSTRING *buf,
                     off_t offset)
{
    fuzz_touch(vstring_str(buf), VSTRING_LEN(buf));
    if (info)
        fuzz_touch(info->name, strlen(info->name));
}

/* body_out - body callback */
static void body_out(void *context, int rec_type, const char *text, ssize_t len, off_t offset)
{
    fuzz_touch(text, len);
}

/* any_end - end-of-part callback */
static void any_end(void *context)
{
}

/* err_print - error callback */
static void err_print(void *context, int err_code, const char *text, ssize_t len)
{
    fuzz_touch(text, len);
    mime_state_error(err_code);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const MIME_STATE_LIMITS small = {200, 3, 20};
    MIME_STATE *state;
    const char *cp, *end, *nl;
    ssize_t len, chunk;

    if (size < 2)
        return (0);
    fuzz_quiet();
    state = mime_state_alloc(data[0] & 0xff, head_out, any_end, body_out, any_end, err_print, 0);
    if (data[1] & 1)
        mime_state_set_limits(state, &small);
    cp = (const char *)data + 2;
    end = (const char *)data + size;
    while (cp < end) {
        nl = memchr(cp, '\n', end - cp);
        len = (nl ? nl : end) - cp;
        while (len > 300) {
            chunk = 300;
            mime_state_update(state, REC_TYPE_CONT, cp, chunk);
            cp += chunk;
            len -= chunk;
        }
        mime_state_update(state, REC_TYPE_NORM, cp, len);
        cp += len + (nl != 0);
    }
    mime_state_update(state, REC_TYPE_XTRA, "", 0);
    mime_state_free(state);
    return (0);
}

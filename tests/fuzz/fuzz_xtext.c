/*
 * fuzz_xtext - libFuzzer target for the RFC 3461 xtext and RFC 6533
 * unitext codecs in src/util (xtext.c, uxtext.c): decode arbitrary text,
 * and when decoding succeeds, encode the result again and check that it
 * decodes to the same bytes (unitext encoding may refuse text that is not
 * UTF-8). The first byte picks plain or appending calls. A round-trip
 * mismatch is reported as a crash.
 */
#include "fuzz_common.h"
#include "uxtext.h"
#include "vstring.h"
#include "xtext.h"

typedef VSTRING *(*FUZZ_CODEC)(VSTRING *, const char *, const char *);
typedef VSTRING *(*FUZZ_DECODE)(VSTRING *, const char *);

/* fuzz_round_trip - decode, re-encode, decode again, compare */
static void fuzz_round_trip(FUZZ_DECODE decode, FUZZ_CODEC encode, const char *str,
                            const char *special)
{
    VSTRING *plain = vstring_alloc(10);
    VSTRING *coded = vstring_alloc(10);
    VSTRING *again = vstring_alloc(10);

    /* Encoding fails (null) only for unitext of text that is not UTF-8. */
    if (decode(plain, str) != 0 && encode(coded, vstring_str(plain), special) != 0) {
        if (decode(again, vstring_str(coded)) == 0 ||
            strcmp(vstring_str(again), vstring_str(plain)) != 0)
            __builtin_trap();
    }
    if (encode(coded, str, special) != 0 &&
        (decode(again, vstring_str(coded)) == 0 || strcmp(vstring_str(again), str) != 0))
        __builtin_trap();
    vstring_free(plain);
    vstring_free(coded);
    vstring_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    VSTRING *out;
    char *str;

    if (size < 1)
        return (0);
    fuzz_quiet();
    str = fuzz_cstring(data + 1, size - 1);
    if (data[0] & 1) {
        out = vstring_alloc(10);
        vstring_strcpy(out, "prefix");
        xtext_unquote_append(out, str);
        uxtext_unquote_append(out, str);
        xtext_quote_append(out, str, "+=");
        uxtext_quote_append(out, str, "+=");
        vstring_free(out);
    } else {
        fuzz_round_trip(xtext_unquote, xtext_quote, str, "");
        fuzz_round_trip(uxtext_unquote, uxtext_quote, str, "");
    }
    myfree(str);
    return (0);
}

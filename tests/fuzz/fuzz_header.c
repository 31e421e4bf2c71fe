/*
 * fuzz_header - libFuzzer target for the header helpers in src/global:
 * is_header_buf() over the raw bytes (with their real length, so a read
 * past it is an ASan report), header_opts_find() on the text as a header
 * line, and header_token() tokenizing the value after the colon with MIME
 * specials and with RFC 822 specials, the way the MIME and cleanup code
 * split Content-Type and address headers.
 */
#include "fuzz_common.h"
#include "header_opts.h"
#include "header_token.h"
#include "is_header.h"
#include "vstring.h"

#define FUZZ_MAX_TOK 10

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    HEADER_TOKEN tokens[FUZZ_MAX_TOK];
    VSTRING *tokbuf;
    const char *cp;
    char *copy, *str;
    ssize_t n, i;

    fuzz_quiet();
    copy = mymalloc(size ? size : 1); /* exact size: no terminator */
    memcpy(copy, data, size);
    (void)is_header_buf(copy, size);
    myfree(copy);

    str = fuzz_cstring(data, size);
    (void)is_header_buf(str, IS_HEADER_NULL_TERMINATED);
    (void)header_opts_find(str);
    tokbuf = vstring_alloc(10);
    cp = strchr(str, ':');
    cp = cp ? cp + 1 : str;
    /* Each call consumes at least the terminator: a loop here is a hang. */
    while ((n = header_token(tokens, FUZZ_MAX_TOK, tokbuf, &cp, HEADER_TOK_MIME_SPECIALS, ';')) >=
           0)
        for (i = 0; i < n && i < FUZZ_MAX_TOK; i++)
            if (tokens[i].type >= HEADER_TOK_TOKEN)
                (void)strlen(tokens[i].u.value);
    cp = str;
    while (header_token(tokens, FUZZ_MAX_TOK, tokbuf, &cp, "()<>@,;:\\\".[]", ',') >= 0)
        /* void */;
    vstring_free(tokbuf);
    myfree(str);
    return (0);
}

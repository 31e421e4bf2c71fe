/*
 * fuzz_tok822 - libFuzzer target for the RFC 822 address code in
 * src/global: tok822_scan_limit(), tok822_parse_limit() over address lists,
 * tok822_scan_addr(), then tok822_externalize()/tok822_internalize() of
 * every parsed address, and quote_822_local()/unquote_822_local() on the
 * internal forms. The first input byte picks the token limit, the rest is
 * the header value. Findings are crashes, sanitizer reports and leaks.
 */
#include "fuzz_common.h"
#include "quote_822_local.h"
#include "quote_flags.h"
#include "tok822.h"
#include "vstring.h"

/* fuzz_one_addr - render one address both ways and round-trip its quoting */
static void fuzz_one_addr(TOK822 *addr, VSTRING *ext, VSTRING *in, VSTRING *q, VSTRING *uq)
{
    tok822_externalize(ext, addr->head, TOK822_STR_DEFL);
    tok822_internalize(in, addr->head, TOK822_STR_DEFL);
    quote_822_local(q, vstring_str(in));
    quote_822_local_flags(q, vstring_str(in), QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_APPEND);
    quote_822_local_flags(q, vstring_str(in), QUOTE_FLAG_BARE_LOCALPART);
    unquote_822_local(uq, vstring_str(ext));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    VSTRING *ext, *in, *q, *uq;
    TOK822 *tree, *tail, **addrs, **ap;
    char *str;
    int limit;

    if (size < 1)
        return (0);
    fuzz_quiet();
    limit = data[0] % 64; /* 0 means no limit */
    str = fuzz_cstring(data + 1, size - 1);
    ext = vstring_alloc(100);
    in = vstring_alloc(100);
    q = vstring_alloc(100);
    uq = vstring_alloc(100);

    tree = tok822_scan_limit(str, &tail, limit);
    tok822_free_tree(tree);

    tree = tok822_parse_limit(str, limit);
    tok822_externalize(ext, tree, TOK822_STR_DEFL | TOK822_STR_HEAD);
    tok822_internalize(in, tree, TOK822_STR_DEFL);
    addrs = tok822_grep(tree, TOK822_ADDR);
    for (ap = addrs; *ap; ap++)
        fuzz_one_addr(*ap, ext, in, q, uq);
    myfree(addrs);
    tok822_free_tree(tree);

    tree = tok822_scan_addr(str);
    tok822_internalize(in, tree, TOK822_STR_DEFL);
    tok822_free_tree(tree);

    unquote_822_local(uq, str);
    quote_822_local(q, str);

    vstring_free(ext);
    vstring_free(in);
    vstring_free(q);
    vstring_free(uq);
    myfree(str);
    return (0);
}

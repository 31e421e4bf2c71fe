/*
 * fuzz_dict_pattern - libFuzzer target for the table source parsers in
 * src/util: regexp:, pcre: and cidr: tables (dict_regexp.c, dict_pcre.c via
 * dict_pattern.c, dict_cidr.c). The first input byte picks the type; the
 * first line of the rest is a lookup key and everything after it is the
 * table text, read through /dev/fd from an anonymous memory file. After
 * the open, the key and a few fixed keys are looked up so that the $n
 * substitution and if/endif code run too. Bad lines must give warnings
 * (or a surrogate table), never a crash.
 *
 * Inputs with a long run of stacked quantifiers ("a+++++...") are skipped:
 * glibc's regcomp() copies the expression tree once per quantifier, so
 * memory doubles with each one. That is a property of the C library on
 * table text the administrator writes, not a bug in our parser, and it
 * would otherwise make every run end in the same out-of-memory report.
 */
#include <stdio.h>

#include "dict.h"
#include "fuzz_common.h"

/* fuzz_stacked_quantifiers - does the input hold a run of many quantifiers? */
static int fuzz_stacked_quantifiers(const uint8_t *data, size_t size)
{
    size_t i, run = 0;

    for (i = 0; i < size; i++) {
        run = strchr("*+?{}0123456789,", data[i]) && data[i] ? run + 1 : 0;
        if (run >= 8)
            return (1);
    }
    return (0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {"regexp", "pcre", "cidr"};
    static const char *const keys[] = {"user@example.com", "192.168.1.1", "2001:db8::1", ""};
    const uint8_t *nl;
    VSTREAM *fp;
    DICT *dict;
    char spec[100];
    char *key;
    size_t i, keylen;

    if (size < 1 || fuzz_stacked_quantifiers(data, size))
        return (0);
    fuzz_quiet();
    dict_allow_surrogate = 1;
    nl = memchr(data + 1, '\n', size - 1);
    keylen = nl ? (size_t)(nl - data - 1) : size - 1;
    key = fuzz_cstring(data + 1, keylen);
    fp = fuzz_stream(nl ? nl + 1 : data + size, nl ? size - (nl + 1 - data) : 0);
    snprintf(spec, sizeof(spec), "%s:/dev/fd/%d", types[data[0] % 3], vstream_fileno(fp));
    dict = dict_open(spec, O_RDONLY, DICT_FLAG_LOCK | DICT_FLAG_FOLD_MUL);
    if (strlen(key) == keylen)
        (void)dict_get(dict, key);
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        (void)dict_get(dict, keys[i]);
    dict_close(dict);
    vstream_fclose(fp);
    myfree(key);
    return (0);
}

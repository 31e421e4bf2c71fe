/*
 * fuzz_mac_expand - libFuzzer target for src/util/mac_expand.c with hostile
 * patterns: $name, ${name}, ${name?text}, ${name:text}, ${{a} == {b} ?
 * {x} : {y}} and compatibility-level comparisons, nested and unbalanced.
 * The first byte picks the flags (recursion, append, scan) and whether a
 * character filter is used. The lookup callback defines a handful of names
 * whose values refer to each other and to themselves, so recursive
 * expansion must stop at the depth limit instead of looping.
 */
#include "fuzz_common.h"
#include "mac_expand.h"
#include "vstring.h"

/* fuzz_lookup - a small table with self- and mutual references */
static const char *fuzz_lookup(const char *name, int mode, void *context)
{
    static const char *const table[][2] = {
        {"a", "alpha"},
        {"b", "$a and ${c}"},
        {"c", "${b?${a}}"},
        {"self", "$self"},
        {"empty", ""},
        {"level", "3.7"},
        {"cond", "${{$a} == {alpha} ? {yes} : {no}}"},
    };
    size_t i;

    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(name, table[i][0]) == 0)
            return (table[i][1]);
    return (0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    VSTRING *result;
    char *pattern;
    int flags;

    if (size < 1)
        return (0);
    fuzz_quiet();
    flags = data[0] & (MAC_EXP_FLAG_RECURSE | MAC_EXP_FLAG_APPEND | MAC_EXP_FLAG_SCAN);
    pattern = fuzz_cstring(data + 1, size - 1);
    result = vstring_alloc(10);
    (void)mac_expand(result, pattern, flags, (data[0] & 0x80) ? "abcdefghijklmnopqrstuvwxyz." : 0,
                     fuzz_lookup, 0);
    vstring_free(result);
    myfree(pattern);
    return (0);
}

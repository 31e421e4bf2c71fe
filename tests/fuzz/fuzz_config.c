/*
 * fuzz_config - libFuzzer target for configuration text: readllines()
 * (logical lines with comments and continuation lines, src/util/readlline.c)
 * over arbitrary bytes, master_cf_parse() (src/global/master_cf.c) on each
 * logical line, the string splitters every parser builds on
 * (split_nameval(), mystrtokq(), extpar() from src/util/stringops.c). A
 * bad line must be refused with a reason, never crash. main.cf loading is
 * not fuzzed here: like Postfix, a malformed main.cf line is a fatal error
 * by design, which libFuzzer would report as a crash.
 */
#include "fuzz_common.h"
#include "master_cf.h"
#include "readlline.h"
#include "stringops.h"
#include "vstring.h"

/* fuzz_split - run the generic splitters over a private copy of one line */
static void fuzz_split(const char *line)
{
    char *copy = mystrdup(line);
    char *bp = copy;
    char *name, *value, *tok;

    (void)split_nameval(copy, &name, &value);
    myfree(copy);
    copy = mystrdup(line);
    bp = copy;
    while ((tok = mystrtokq(&bp, " \t,", "{}")) != 0)
        if (*tok == '{')
            (void)extpar(&tok, "{}", EXTPAR_FLAG_STRIP);
    myfree(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    MASTER_CF_ENTRY *entry;
    VSTREAM *fp;
    VSTRING *line, *why;
    int lineno = 0, first = 0;

    fuzz_quiet();
    fp = fuzz_stream(data, size);
    line = vstring_alloc(100);
    why = vstring_alloc(100);
    while (readllines(line, fp, &lineno, &first) != 0) {
        if ((entry = master_cf_parse(vstring_str(line), "fuzz", first, why)) != 0)
            master_cf_entry_free(entry);
        fuzz_split(vstring_str(line));
    }
    vstring_free(line);
    vstring_free(why);
    vstream_fclose(fp);
    return (0);
}

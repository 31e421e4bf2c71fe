/*
 * fuzz_attr_scan - libFuzzer target for the attribute protocol readers in
 * src/util: attr_scan0(), attr_scan_plain() and attr_scan64() (picked by
 * the first input byte) over arbitrary bytes. Each request asks for the
 * kinds of attributes daemons receive: a required string, an int, a long,
 * counted data, a nested table and everything else as a hash, with the
 * strict or lenient flags; requests repeat until the input is used up. A
 * small scan limit is set on odd second bytes so the length checks get
 * exercised. Malformed input must give an error return, never a crash.
 */
#include "attr.h"
#include "fuzz_common.h"
#include "htable.h"
#include "vstring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ATTR_SCAN_COMMON_FN scanners[] = {attr_scan0, attr_scan_plain, attr_scan64};
    ATTR_SCAN_COMMON_FN scan;
    VSTREAM *fp;
    VSTRING *str, *blob;
    HTABLE *table;
    int ival, flags, n, ret;
    long lval;
    size_t old_limit;

    if (size < 2)
        return (0);
    fuzz_quiet();
    scan = scanners[data[0] % 3];
    flags = (data[0] >> 2) & ATTR_FLAG_ALL;
    old_limit = attr_scan_set_limit((data[1] & 1) ? 64 : ATTR_SCAN_LIMIT_DEFAULT);
    fp = fuzz_stream(data + 2, size - 2);
    str = vstring_alloc(10);
    blob = vstring_alloc(10);
    for (n = 0; n < 1000; n++) {
        table = htable_create(1);
        ret = scan(fp, flags, RECV_ATTR_STREQ("request", "lookup"), RECV_ATTR_STR("name", str),
                   RECV_ATTR_INT("flags", &ival), RECV_ATTR_LONG("size", &lval),
                   RECV_ATTR_DATA("blob", blob), RECV_ATTR_HASH(table), ATTR_TYPE_END);
        htable_free(table, myfree);
        if (ret <= 0)
            break;
    }
    attr_scan_set_limit(old_limit);
    vstring_free(str);
    vstring_free(blob);
    vstream_fclose(fp);
    return (0);
}

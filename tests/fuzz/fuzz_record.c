/*
 * fuzz_record - libFuzzer target for the queue-file record reader in
 * src/global/record.c: rec_get_raw() over arbitrary bytes, with and without
 * following pointer records and skipping padding, and with a small and an
 * unlimited record size. Every record is read to the end of the input or
 * the first error; a corrupt file must give REC_TYPE_ERROR, never a crash,
 * a hang (pointer loops) or a read past the data.
 */
#include "fuzz_common.h"
#include "rec_type.h"
#include "record.h"
#include "vstring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    VSTREAM *fp;
    VSTRING *buf;
    int type, flags, n;
    ssize_t maxsize;

    if (size < 1)
        return (0);
    fuzz_quiet();
    flags = data[0] & (REC_FLAG_FOLLOW_PTR | REC_FLAG_SKIP_DTXT);
    maxsize = (data[0] & 0x80) ? 64 : 0;
    fp = fuzz_stream(data + 1, size - 1);
    buf = vstring_alloc(100);
    for (n = 0; n < 100000; n++) {
        type = rec_get_raw(fp, buf, maxsize, flags);
        if (type == REC_TYPE_EOF || type == REC_TYPE_ERROR)
            break;
        if (maxsize > 0 && (ssize_t)VSTRING_LEN(buf) > maxsize)
            __builtin_trap();
    }
    vstring_free(buf);
    vstream_fclose(fp);
    return (0);
}

/* record_test - module tests for the record layer */

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "msg.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"

static VSTRING *warnings;

/* capture - collect warnings instead of printing them */
static void capture(int level, const char *text)
{
    vstring_sprintf_append(warnings, "%s%s\n", msg_level_prefix(level), text);
}

/* temp_stream - a read-write stream on a fresh temporary file */
static VSTREAM *temp_stream(void)
{
    char path[] = "/tmp/record_test.XXXXXX";
    int fd = mkstemp(path);

    unlink(path);
    return (vstream_fdopen(fd, O_RDWR));
}

TEST(records_round_trip_with_long_and_binary_payloads)
{
    VSTREAM *fp = temp_stream();
    VSTRING *buf = vstring_alloc(10);
    char big[70000];

    memset(big, 'x', sizeof(big));
    big[100] = 0;
    CHECK_INT(rec_fputs(fp, REC_TYPE_FROM, "sender@example.com"), REC_TYPE_FROM);
    CHECK_INT(rec_put(fp, REC_TYPE_NORM, big, sizeof(big)), REC_TYPE_NORM);
    CHECK_INT(rec_put(fp, REC_TYPE_MESG, "", 0), REC_TYPE_MESG);
    CHECK_INT(rec_fprintf(fp, REC_TYPE_TIME, "%ld %ld", 1169404379L, 306437L), REC_TYPE_TIME);
    vstream_fseek(fp, 0, SEEK_SET);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_FROM);
    CHECK_STR(vstring_str(buf), "sender@example.com");
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_NORM);
    CHECK_INT(VSTRING_LEN(buf), sizeof(big));
    CHECK_INT(vstring_str(buf)[100], 0);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_MESG);
    CHECK_INT(VSTRING_LEN(buf), 0);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_TIME);
    CHECK_STR(vstring_str(buf), "1169404379 306437");
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_EOF);
    vstream_fclose(fp);
    vstring_free(buf);
}

TEST(length_is_base128_low_bits_first)
{
    VSTREAM *fp = temp_stream();
    unsigned char raw[8];
    char payload[300];

    memset(payload, 'a', sizeof(payload));
    rec_put(fp, REC_TYPE_NORM, payload, 300);
    vstream_fseek(fp, 0, SEEK_SET);
    CHECK_INT(vstream_fread(fp, raw, 3), 3);
    CHECK_INT(raw[0], 'N');
    CHECK_INT(raw[1], (300 & 0x7f) | 0x80);
    CHECK_INT(raw[2], 300 >> 7);
    vstream_fclose(fp);
}

TEST(oversized_and_truncated_records_are_errors)
{
    VSTREAM *fp = temp_stream();
    VSTRING *buf = vstring_alloc(10);

    rec_fputs(fp, REC_TYPE_NORM, "0123456789");
    vstream_fwrite(fp, "N\x85", 2);     /* length 5, but no payload */
    vstream_fseek(fp, 0, SEEK_SET);
    CHECK_INT(rec_get(fp, buf, 5), REC_TYPE_ERROR);
    vstream_fseek(fp, 0, SEEK_SET);
    CHECK_INT(rec_get(fp, buf, 100), REC_TYPE_NORM);
    CHECK_INT(rec_get(fp, buf, 100), REC_TYPE_ERROR);
    vstream_fclose(fp);
    vstring_free(buf);
}

TEST(errors_are_reported_with_postfix_texts)
{
    VSTREAM *fp = temp_stream();
    VSTRING *buf = vstring_alloc(10);

    vstream_set_path(fp, "q");
    rec_fputs(fp, REC_TYPE_NORM, "0123456789");         /* offsets 0..11 */
    vstream_fwrite(fp, "N\x05", 2);                     /* 12: length 5, no payload */
    vstream_fseek(fp, 0, SEEK_SET);
    warnings = vstring_alloc(100);
    msg_output_reset();
    msg_output(capture);
    CHECK_INT(rec_get(fp, buf, 5), REC_TYPE_ERROR);
    vstream_fseek(fp, 12, SEEK_SET);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_ERROR);
    vstream_fseek(fp, 14, SEEK_SET);
    vstream_fwrite(fp, "N\x85", 2);                     /* 14: length continues, then EOF */
    vstream_fseek(fp, 14, SEEK_SET);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_ERROR);
    CHECK_STR(vstring_str(warnings), "warning: q: illegal length 10, record type 78\n"
                                     "warning: q: unexpected EOF in data, record type 78 length 5\n"
                                     "warning: q: unexpected EOF reading length, record type 78\n");
    msg_output_reset();
    vstring_free(warnings);
    vstream_fclose(fp);
    vstring_free(buf);
}

/* Found by tests/fuzz/fuzz_record: a huge length with no limit was one huge allocation. */
TEST(huge_length_without_limit_is_eof_not_allocation)
{
    VSTREAM *fp = temp_stream();
    VSTRING *buf = vstring_alloc(10);

    vstream_set_path(fp, "q");
    /* Length 0x65 << 56 (about 7e18), then a few bytes of payload. */
    vstream_fwrite(fp, "T\xf6\xce\xcd\xcc\xcb\xca\xc9\xc8\x65" "abc", 13);
    vstream_fseek(fp, 0, SEEK_SET);
    warnings = vstring_alloc(100);
    msg_output_reset();
    msg_output(capture);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_ERROR);
    CHECK_INT(VSTRING_LEN(buf), 0);
    CHECK(buf->size < 1000000);
    CHECK_STR(vstring_str(warnings), "warning: q: unexpected EOF in data, record type 84 length "
                                     "7318673014786320246\n");
    msg_output_reset();
    vstring_free(warnings);
    vstream_fclose(fp);
    vstring_free(buf);
}

TEST(pointers_are_followed_and_padding_skipped)
{
    VSTREAM *fp = temp_stream();
    VSTRING *buf = vstring_alloc(10);
    off_t ptr_at, heap;

    rec_fputs(fp, REC_TYPE_NORM, "first");
    ptr_at = vstream_ftell(fp);
    rec_fprintf(fp, REC_TYPE_PTR, REC_PTR_FORMAT, 0L);
    rec_fputs(fp, REC_TYPE_NORM, "third");
    rec_pad(fp, REC_TYPE_DTXT, 300);
    rec_fputs(fp, REC_TYPE_END, "");
    heap = vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_NORM, "second");
    rec_fprintf(fp, REC_TYPE_PTR, REC_PTR_FORMAT, (long) ptr_at + 2 + REC_PTR_SIZE);
    /* Now make the placeholder point at the heap. */
    vstream_fseek(fp, ptr_at, SEEK_SET);
    rec_fprintf(fp, REC_TYPE_PTR, REC_PTR_FORMAT, (long) heap);
    vstream_fseek(fp, 0, SEEK_SET);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_NORM);
    CHECK_STR(vstring_str(buf), "first");
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_NORM);
    CHECK_STR(vstring_str(buf), "second");
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_NORM);
    CHECK_STR(vstring_str(buf), "third");
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_END);
    vstream_fclose(fp);
    vstring_free(buf);
}

TEST(pointer_loops_are_detected)
{
    VSTREAM *fp = temp_stream();
    VSTRING *buf = vstring_alloc(10);

    rec_fputs(fp, REC_TYPE_NORM, "x");
    rec_fprintf(fp, REC_TYPE_PTR, REC_PTR_FORMAT, 3L);  /* points at itself */
    vstream_fseek(fp, 0, SEEK_SET);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_NORM);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_ERROR);
    vstream_fclose(fp);
    vstring_free(buf);
}

/* Found by tests/fuzz/fuzz_record: a loop that returns one record per call never ended. */
TEST(pointer_loops_across_calls_are_detected)
{
    VSTREAM *fp = temp_stream();
    VSTRING *buf = vstring_alloc(10);
    int n;
    int type = 0;

    vstream_set_path(fp, "q");
    rec_fputs(fp, REC_TYPE_NORM, "x");                  /* offsets 0..2 */
    rec_fputs(fp, REC_TYPE_NORM, "y");                  /* 3..5 */
    rec_fputs(fp, REC_TYPE_PTR, "3");                   /* 6: back to "y" */
    /* A reader that rewinds between passes is not looping. */
    for (n = 0; n < 20000; n++) {
        vstream_fseek(fp, 3, SEEK_SET);
        CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_NORM);
        CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_NORM);
    }
    vstream_fseek(fp, 0, SEEK_SET);
    warnings = vstring_alloc(100);
    msg_output_reset();
    msg_output(capture);
    for (n = 0; n < 100000 && (type = rec_get(fp, buf, 0)) == REC_TYPE_NORM; n++)
         /* void */ ;
    CHECK_INT(type, REC_TYPE_ERROR);
    CHECK_INT(n, 10002);
    CHECK_STR(vstring_str(warnings), "warning: q: too many reverse jump records\n");
    msg_output_reset();
    vstring_free(warnings);
    vstream_fclose(fp);
    vstring_free(buf);
}

TEST(type_byte_is_rewritten_in_place)
{
    VSTREAM *fp = temp_stream();
    VSTRING *buf = vstring_alloc(10);
    off_t at;

    rec_fputs(fp, REC_TYPE_FROM, "s@x");
    at = vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_RCPT, "r@x");
    rec_fputs(fp, REC_TYPE_END, "");
    CHECK_INT(rec_put_type(fp, REC_TYPE_DONE, at), REC_TYPE_DONE);
    vstream_fseek(fp, 0, SEEK_SET);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_FROM);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_DONE);
    CHECK_STR(vstring_str(buf), "r@x");
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_END);
    CHECK_STR(rec_type_name(REC_TYPE_DONE), "done_recipient");
    vstream_fclose(fp);
    vstring_free(buf);
}

int main(void)
{
    RUN(records_round_trip_with_long_and_binary_payloads);
    RUN(length_is_base128_low_bits_first);
    RUN(oversized_and_truncated_records_are_errors);
    RUN(huge_length_without_limit_is_eof_not_allocation);
    RUN(errors_are_reported_with_postfix_texts);
    RUN(pointers_are_followed_and_padding_skipped);
    RUN(pointer_loops_are_detected);
    RUN(pointer_loops_across_calls_are_detected);
    RUN(type_byte_is_rewritten_in_place);
    return (TESTS_DONE());
}

/* deliver_completed_test - R becomes D in a real queue file, and stays readable */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deliver_completed.h"
#include "msg.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"

static char topdir[] = "/tmp/deliver_completed_test.XXXXXX";

/* make_queue_file - a small queue file; the offsets of its R records */
static void make_queue_file(const char *path, long *r1, long *r2)
{
    VSTREAM *fp = vstream_fopen(path, O_CREAT | O_TRUNC | O_RDWR, 0600);

    rec_fprintf(fp, REC_TYPE_TIME, "%ld %ld", 1000L, 0L);
    rec_fputs(fp, REC_TYPE_FROM, "sender@example.com");
    *r1 = (long)vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_RCPT, "one@example.com");
    rec_fputs(fp, REC_TYPE_ORCP, "alias@example.com");
    *r2 = (long)vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_RCPT, "two@example.com");
    rec_fputs(fp, REC_TYPE_MESG, "");
    rec_fputs(fp, REC_TYPE_NORM, "Subject: hi");
    rec_fputs(fp, REC_TYPE_XTRA, "");
    rec_fputs(fp, REC_TYPE_END, "");
    vstream_fclose(fp);
}

/* read_types - the record types of a file, as a string */
static const char *read_types(const char *path)
{
    static char types[64];
    VSTREAM *fp = vstream_fopen(path, O_RDONLY, 0);
    VSTRING *buf = vstring_alloc(100);
    size_t n = 0;
    int type;

    while ((type = rec_get(fp, buf, 0)) > 0 && n < sizeof(types) - 1)
        types[n++] = (char)type;
    types[n] = 0;
    vstring_free(buf);
    vstream_fclose(fp);
    return (types);
}

TEST(recipient_is_marked_done_in_place)
{
    long r1, r2;
    VSTREAM *fp;

    make_queue_file("qf", &r1, &r2);
    CHECK_STR(read_types("qf"), "TSRORMNXE");
    fp = vstream_fopen("qf", O_RDWR, 0);
    CHECK_INT(deliver_completed(fp, r2), 0);
    CHECK_INT(deliver_completed(fp, r2), 0); /* twice is harmless */
    vstream_fclose(fp);
    CHECK_STR(read_types("qf"), "TSRODMNXE");
    fp = vstream_fopen("qf", O_RDWR, 0);
    CHECK_INT(deliver_completed(fp, r1), 0);
    vstream_fclose(fp);
    CHECK_STR(read_types("qf"), "TSDODMNXE");
}

TEST(wrong_offset_is_refused)
{
    long r1, r2;
    VSTREAM *fp;

    make_queue_file("qf", &r1, &r2);
    fp = vstream_fopen("qf", O_RDWR, 0);
    CHECK_INT(deliver_completed(fp, r1 + 1), -1); /* inside a record */
    CHECK_INT(deliver_completed(fp, 100000), -1); /* beyond the end */
    vstream_fclose(fp);
    CHECK_STR(read_types("qf"), "TSRORMNXE");
}

int main(void)
{
    msg_stderr_init("deliver_completed_test");
    if (mkdtemp(topdir) == 0 || chdir(topdir) < 0)
        return (1);
    RUN(recipient_is_marked_done_in_place);
    RUN(wrong_offset_is_refused);
    unlink("qf");
    rmdir(topdir);
    return (TESTS_DONE());
}

/* delivered_hdr_test - Delivered-To: headers found, body lines ignored */

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "delivered_hdr.h"
#include "msg.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"

TEST(headers_only)
{
    char path[] = "/tmp/delivered_hdr_test.XXXXXX";
    int fd = mkstemp(path);
    VSTREAM *fp = vstream_fdopen(fd, O_RDWR);
    DELIVERED_HDR_INFO *info;

    rec_fputs(fp, REC_TYPE_NORM, "Received: by x");
    rec_fputs(fp, REC_TYPE_NORM, "Delivered-To: Joe@Example.COM");
    rec_fputs(fp, REC_TYPE_NORM, "delivered-to:");
    rec_fputs(fp, REC_TYPE_NORM, "   folded@example.com  ");
    rec_fputs(fp, REC_TYPE_CONT, "Delivered-To: long");
    rec_fputs(fp, REC_TYPE_NORM, "part@example.com");
    rec_fputs(fp, REC_TYPE_NORM, "");
    rec_fputs(fp, REC_TYPE_NORM, "Delivered-To: body@example.com");
    rec_fputs(fp, REC_TYPE_XTRA, "");
    vstream_fflush(fp);
    info = delivered_hdr_init(fp, 0);
    CHECK_INT(delivered_hdr_find(info, "joe@example.com"), 1);
    CHECK_INT(delivered_hdr_find(info, "JOE@example.com"), 1);
    CHECK_INT(delivered_hdr_find(info, "folded@example.com"), 1);
    CHECK_INT(delivered_hdr_find(info, "longpart@example.com"), 1);
    CHECK_INT(delivered_hdr_find(info, "body@example.com"), 0);
    CHECK_INT(delivered_hdr_find(info, "other@example.com"), 0);
    delivered_hdr_free(info);
    vstream_fclose(fp);
    unlink(path);
}

int main(void)
{
    msg_stderr_init("delivered_hdr_test");
    RUN(headers_only);
    return (TESTS_DONE());
}

/* readlline_test - module tests for readlline */

#include <fcntl.h>
#include <unistd.h>

#include "readlline.h"
#include "testing.h"

/* stream_of - a readable stream holding text */
static VSTREAM *stream_of(const char *text)
{
    int fds[2];

    if (pipe(fds) < 0 || write(fds[1], text, strlen(text)) != (ssize_t) strlen(text))
        return (0);
    close(fds[1]);
    return (vstream_fdopen(fds[0], O_RDONLY));
}

TEST(comments_blanks_and_continuations)
{
    VSTREAM *fp = stream_of("# comment\n\nname = a\n  b\n# inside\n\tc\nnext=1\r\n   \nlast = x");
    VSTRING *buf = vstring_alloc(10);
    int lineno = 0, first = 0;

    CHECK(readllines(buf, fp, &lineno, &first) != 0);
    CHECK_STR(vstring_str(buf), "name = a  b\tc");
    CHECK_INT(first, 3);
    CHECK(readllines(buf, fp, &lineno, &first) != 0);
    CHECK_STR(vstring_str(buf), "next=1");
    CHECK_INT(first, 7);
    CHECK(readllines(buf, fp, &lineno, &first) != 0);
    CHECK_STR(vstring_str(buf), "last = x");
    CHECK_INT(first, 9);
    CHECK(readllines(buf, fp, &lineno, &first) == 0);
    vstream_fclose(fp);
    vstring_free(buf);
}

TEST(leading_blank_line_is_returned_for_the_caller_to_reject)
{
    VSTREAM *fp = stream_of("  orphan\nname = v\n");
    VSTRING *buf = vstring_alloc(10);
    int lineno = 0;

    CHECK(readlline(buf, fp, &lineno) != 0);
    CHECK_STR(vstring_str(buf), "  orphan");
    CHECK(readlline(buf, fp, &lineno) != 0);
    CHECK_STR(vstring_str(buf), "name = v");
    vstream_fclose(fp);
    vstring_free(buf);
}

int main(void)
{
    RUN(comments_blanks_and_continuations);
    RUN(leading_blank_line_is_returned_for_the_caller_to_reject);
    return (TESTS_DONE());
}

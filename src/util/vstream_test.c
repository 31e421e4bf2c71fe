/* vstream_test - module tests for vstream: files, pipes, buffering, line readers, timeouts */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mymalloc.h"
#include "testing.h"
#include "vstream.h"
#include "vstring.h"

static char tmpdir[] = "/tmp/vstream_test.XXXXXX";

/* tmp_path - a file name inside the test's private directory */
static const char *tmp_path(const char *name)
{
    static char path[256];

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    return (path);
}

/* write_file - create a file with this content */
static void write_file(const char *path, const char *text)
{
    VSTREAM *fp = vstream_fopen(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    if (fp == 0) {
        perror(path);
        exit(1);
    }
    vstream_fputs(text, fp);
    if (vstream_fclose(fp) != 0) {
        perror(path);
        exit(1);
    }
}

/* file_size - the size of a file on disk, -1 if it does not exist */
static long file_size(const char *path)
{
    struct stat st;

    return (stat(path, &st) < 0 ? -1 : (long)st.st_size);
}

TEST(write_is_buffered_until_flush_or_close)
{
    const char *path = tmp_path("buffered");
    VSTREAM *fp = vstream_fopen(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    CHECK(fp != 0);
    CHECK_STR(vstream_path(fp), path);
    CHECK_INT(vstream_fputs("hello ", fp), 0);
    CHECK_INT(vstream_fprintf(fp, "%s %d\n", "world", 42), 9);
    CHECK_INT(vstream_putc('!', fp), '!');
    CHECK_INT(file_size(path), 0);
    CHECK_INT(vstream_fflush(fp), 0);
    CHECK_INT(file_size(path), 16);
    CHECK_INT(vstream_fputs("more", fp), 0);
    CHECK_INT(vstream_fclose(fp), 0);
    CHECK_INT(file_size(path), 20);
}

TEST(read_gets_bytes_then_sticky_eof)
{
    const char *path = tmp_path("read");
    VSTREAM *fp;
    char buf[10];

    write_file(path, "abcdef");
    fp = vstream_fopen(path, O_RDONLY, 0);
    CHECK(fp != 0);
    CHECK_INT(vstream_getc(fp), 'a');
    CHECK_INT(vstream_ungetc(fp, 'a'), 'a');
    CHECK_INT(vstream_getc(fp), 'a');
    CHECK_INT(vstream_peek(fp), 5);
    CHECK_INT(vstream_fread(fp, buf, 3), 3);
    CHECK(memcmp(buf, "bcd", 3) == 0);
    CHECK_INT(vstream_fread(fp, buf, sizeof(buf)), 2);
    CHECK(memcmp(buf, "ef", 2) == 0);
    /* The short read hit the end of the file. */
    CHECK(vstream_feof(fp));
    CHECK_INT(vstream_getc(fp), VSTREAM_EOF);
    CHECK(!vstream_ferror(fp));
    CHECK_INT(vstream_fread(fp, buf, sizeof(buf)), 0);
    CHECK_INT(vstream_fclose(fp), 0);
}

TEST(open_failure_returns_null_with_errno)
{
    VSTREAM *fp;

    errno = 0;
    fp = vstream_fopen(tmp_path("no/such/file"), O_RDONLY, 0);
    CHECK(fp == 0);
    CHECK_INT(errno, ENOENT);
}

TEST(large_reads_and_writes_cross_buffer_boundaries)
{
    const char *path = tmp_path("large");
    size_t len = 3 * VSTREAM_BUFSIZE + 123;
    char *out = mymalloc(len);
    char *in = mymalloc(len);
    VSTREAM *fp;
    size_t i;

    for (i = 0; i < len; i++)
        out[i] = 'a' + i % 26;
    fp = vstream_fopen(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    /* A small write first, so the big one must flush the buffer in order. */
    CHECK_INT(vstream_fwrite(fp, out, 10), 10);
    CHECK_INT(vstream_fwrite(fp, out + 10, len - 10), len - 10);
    CHECK_INT(vstream_fclose(fp), 0);
    CHECK_INT(file_size(path), len);

    fp = vstream_fopen(path, O_RDONLY, 0);
    CHECK_INT(vstream_fread(fp, in, 1), 1);
    CHECK_INT(vstream_fread(fp, in + 1, len), len - 1);
    CHECK(memcmp(in, out, len) == 0);
    CHECK_INT(vstream_fclose(fp), 0);
    myfree(out);
    myfree(in);
}

TEST(seek_and_tell_with_mixed_reads_and_writes)
{
    const char *path = tmp_path("mixed");
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(10);

    write_file(path, "0123456789");
    fp = vstream_fopen(path, O_RDWR, 0);
    CHECK_INT(vstream_ftell(fp), 0);
    CHECK_INT(vstream_getc(fp), '0');
    CHECK_INT(vstream_getc(fp), '1');
    CHECK_INT(vstream_ftell(fp), 2);

    /* A write after a read lands at the logical position, not after the read-ahead. */
    CHECK_INT(vstream_fputs("ab", fp), 0);
    CHECK_INT(vstream_ftell(fp), 4);
    CHECK_INT(vstream_getc(fp), '4');
    CHECK_INT(vstream_ftell(fp), 5);

    /* Seek relative to the current position and overwrite. */
    CHECK_INT(vstream_fseek(fp, -1, SEEK_CUR), 4);
    CHECK_INT(vstream_putc('X', fp), 'X');
    CHECK_INT(vstream_ftell(fp), 5);

    /* Seek to the end and append; a read there is EOF, then seeking clears it. */
    CHECK_INT(vstream_fseek(fp, 0, SEEK_END), 10);
    CHECK_INT(vstream_getc(fp), VSTREAM_EOF);
    CHECK(vstream_feof(fp));
    CHECK_INT(vstream_fputs("END", fp), 0);
    CHECK_INT(vstream_ftell(fp), 13);
    CHECK_INT(vstream_fseek(fp, 0, SEEK_SET), 0);
    CHECK(!vstream_feof(fp));
    CHECK_INT(vstring_get(buf, fp), 'D');
    CHECK_STR(vstring_str(buf), "01abX56789END");
    CHECK_INT(vstream_fclose(fp), 0);
    vstring_free(buf);
}

TEST(tell_follows_own_io_and_append_mode)
{
    const char *path = tmp_path("tell");
    VSTREAM *fp;
    int fd;

    /* The remembered offset follows reads, writes and flushes. */
    write_file(path, "0123456789");
    fp = vstream_fopen(path, O_RDWR, 0);
    CHECK_INT(vstream_ftell(fp), 0);
    CHECK_INT(vstream_fseek(fp, 0, SEEK_END), 10);
    CHECK_INT(vstream_fputs("abc", fp), 0);
    CHECK_INT(vstream_ftell(fp), 13);
    CHECK_INT(vstream_fflush(fp), 0);
    CHECK_INT(vstream_ftell(fp), 13);
    CHECK_INT(lseek(vstream_fileno(fp), 0, SEEK_CUR), 13);
    CHECK_INT(vstream_fseek(fp, 3, SEEK_SET), 3);
    CHECK_INT(vstream_getc(fp), '3');
    CHECK_INT(vstream_ftell(fp), 4);
    CHECK_INT(vstream_fclose(fp), 0);

    /* An append-mode stream writes at the end, wherever it was told to be. */
    fd = open(path, O_RDWR | O_APPEND);
    fp = vstream_fdopen(fd, O_RDWR);
    CHECK_INT(vstream_ftell(fp), 0);
    CHECK_INT(vstream_fputs("XY", fp), 0);
    CHECK_INT(vstream_fflush(fp), 0);
    CHECK_INT(vstream_ftell(fp), 15);
    CHECK_INT(vstream_fclose(fp), 0);
    CHECK_INT(file_size(path), 15);
}

TEST(line_readers_keep_or_strip_the_newline)
{
    const char *path = tmp_path("lines");
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(1);

    write_file(path, "one\ntwo\n\nlast");
    fp = vstream_fopen(path, O_RDONLY, 0);
    CHECK_INT(vstring_get(buf, fp), '\n');
    CHECK_STR(vstring_str(buf), "one\n");
    CHECK_INT(vstring_get_nonl(buf, fp), '\n');
    CHECK_STR(vstring_str(buf), "two");
    CHECK_INT(vstring_get_nonl(buf, fp), '\n');
    CHECK_STR(vstring_str(buf), "");
    /* An unterminated last line returns its last byte. */
    CHECK_INT(vstring_get_nonl(buf, fp), 't');
    CHECK_STR(vstring_str(buf), "last");
    CHECK_INT(vstring_get(buf, fp), VSTREAM_EOF);
    CHECK_STR(vstring_str(buf), "");
    CHECK_INT(vstring_get_nonl(buf, fp), VSTREAM_EOF);
    CHECK_INT(vstream_fclose(fp), 0);
    vstring_free(buf);
}

TEST(bounded_line_readers_stop_at_the_bound)
{
    const char *path = tmp_path("bound");
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(1);

    write_file(path, "abcdefgh\nxy\n");
    fp = vstream_fopen(path, O_RDONLY, 0);
    CHECK_INT(vstring_get_bound(buf, fp, 3), 'c');
    CHECK_STR(vstring_str(buf), "abc");
    CHECK_INT(vstring_get_nonl_bound(buf, fp, 3), 'f');
    CHECK_STR(vstring_str(buf), "def");
    CHECK_INT(vstring_get_nonl_bound(buf, fp, 3), '\n');
    CHECK_STR(vstring_str(buf), "gh");
    CHECK_INT(vstring_get_bound(buf, fp, 100), '\n');
    CHECK_STR(vstring_str(buf), "xy\n");
    CHECK_INT(vstring_get_bound(buf, fp, 100), VSTREAM_EOF);
    CHECK_INT(vstream_fclose(fp), 0);
    vstring_free(buf);
}

TEST(null_terminated_records)
{
    const char *path = tmp_path("null");
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(1);

    fp = vstream_fopen(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    vstream_fwrite(fp, "a=1\0b=two\0\0tail", 15);
    CHECK_INT(vstream_fclose(fp), 0);
    fp = vstream_fopen(path, O_RDONLY, 0);
    CHECK_INT(vstring_get_null(buf, fp), 0);
    CHECK_STR(vstring_str(buf), "a=1");
    CHECK_INT(VSTRING_LEN(buf), 3);
    CHECK_INT(vstring_get_null(buf, fp), 0);
    CHECK_STR(vstring_str(buf), "b=two");
    CHECK_INT(vstring_get_null(buf, fp), 0);
    CHECK_INT(VSTRING_LEN(buf), 0);
    CHECK_INT(vstring_get_null(buf, fp), 'l');
    CHECK_STR(vstring_str(buf), "tail");
    CHECK_INT(vstring_get_null(buf, fp), VSTREAM_EOF);
    CHECK_INT(vstream_fclose(fp), 0);
    vstring_free(buf);
}

TEST(pipe_carries_data_and_eof)
{
    int fds[2];
    VSTREAM *rd, *wr;
    VSTRING *buf = vstring_alloc(10);

    CHECK(pipe(fds) == 0);
    rd = vstream_fdopen(fds[0], O_RDONLY);
    wr = vstream_fdopen(fds[1], O_WRONLY);
    vstream_fprintf(wr, "line %d\n", 1);
    vstream_fputs("line 2\n", wr);
    CHECK_INT(vstream_fflush(wr), 0);
    CHECK_INT(vstring_get_nonl(buf, rd), '\n');
    CHECK_STR(vstring_str(buf), "line 1");
    CHECK_INT(vstring_get_nonl(buf, rd), '\n');
    CHECK_STR(vstring_str(buf), "line 2");
    /* Close flushes what is still buffered, then the reader sees EOF. */
    vstream_fputs("partial", wr);
    CHECK_INT(vstream_fclose(wr), 0);
    CHECK_INT(vstring_get(buf, rd), 'l');
    CHECK_STR(vstring_str(buf), "partial");
    CHECK_INT(vstring_get(buf, rd), VSTREAM_EOF);
    CHECK(vstream_feof(rd));
    CHECK(!vstream_ftimeout(rd));
    CHECK_INT(vstream_fclose(rd), 0);
    vstring_free(buf);
}

TEST(write_fd_splits_reading_and_writing)
{
    int in[2], out[2];
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(10);
    char got[20];
    ssize_t n;

    CHECK(pipe(in) == 0 && pipe(out) == 0);
    fp = vstream_fdopen(in[0], O_RDWR);
    vstream_set_write_fd(fp, out[1]);
    CHECK_INT(write(in[1], "question\n", 9), 9);
    CHECK_INT(vstring_get_nonl(buf, fp), '\n');
    CHECK_STR(vstring_str(buf), "question");
    vstream_fputs("answer\n", fp);
    CHECK_INT(vstream_fflush(fp), 0);
    n = read(out[0], got, sizeof(got) - 1);
    CHECK_INT(n, 7);
    got[n > 0 ? n : 0] = 0;
    CHECK_STR(got, "answer\n");
    /* fclose closes both descriptors: the reader of the output sees EOF. */
    CHECK_INT(vstream_fclose(fp), 0);
    CHECK_INT(read(out[0], got, sizeof(got)), 0);
    close(in[1]);
    close(out[0]);
    vstring_free(buf);
}

TEST(pipe_read_times_out)
{
    int fds[2];
    VSTREAM *rd;
    time_t start;

    CHECK(pipe(fds) == 0);
    rd = vstream_fdopen(fds[0], O_RDONLY);
    vstream_set_timeout(rd, 1);
    start = time((time_t *)0);
    CHECK_INT(vstream_getc(rd), VSTREAM_EOF);
    CHECK(time((time_t *)0) - start >= 1);
    CHECK(vstream_ftimeout(rd));
    CHECK(vstream_ferror(rd));
    CHECK(!vstream_feof(rd));
    /* The timeout is sticky: data that arrives later is not read. */
    CHECK(write(fds[1], "x", 1) == 1);
    CHECK_INT(vstream_getc(rd), VSTREAM_EOF);
    vstream_clearerr(rd);
    CHECK_INT(vstream_getc(rd), 'x');
    CHECK(vstream_fclose(rd) == 0);
    close(fds[1]);
}

TEST(deadline_bounds_all_reads)
{
    int fds[2];
    VSTREAM *rd;
    time_t start;

    CHECK(pipe(fds) == 0);
    rd = vstream_fdopen(fds[0], O_RDONLY);
    vstream_set_timeout(rd, 100);
    vstream_set_deadline(rd, 1);
    CHECK(write(fds[1], "ab", 2) == 2);
    start = time((time_t *)0);
    CHECK_INT(vstream_getc(rd), 'a');
    CHECK_INT(vstream_getc(rd), 'b');
    CHECK_INT(vstream_getc(rd), VSTREAM_EOF);
    CHECK(time((time_t *)0) - start <= 3);
    CHECK(vstream_ftimeout(rd));
    /* Clearing the deadline leaves only the per-read timeout. */
    vstream_clearerr(rd);
    vstream_set_deadline(rd, 0);
    CHECK(write(fds[1], "c", 1) == 1);
    CHECK_INT(vstream_getc(rd), 'c');
    CHECK(vstream_wait_readable(rd, 0) == 0);
    CHECK(write(fds[1], "d", 1) == 1);
    CHECK(vstream_wait_readable(rd, 1) == 1);
    CHECK_INT(vstream_fclose(rd), 0);
    close(fds[1]);
}

TEST(read_flushes_pending_output_on_a_socket)
{
    int sv[2];
    VSTREAM *stream;
    char buf[8];

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    stream = vstream_fdopen(sv[0], O_RDWR);
    vstream_set_timeout(stream, 5);
    vstream_fputs("ping", stream);
    CHECK_INT(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), -1);
    /* Reading must first send the request, or both sides would wait forever. */
    CHECK(write(sv[1], "pong", 4) == 4);
    CHECK_INT(vstream_getc(stream), 'p');
    CHECK_INT(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    CHECK_INT(vstream_fclose(stream), 0);
    close(sv[1]);
}

TEST(fclose_reports_write_errors)
{
    VSTREAM *fp = vstream_fopen("/dev/full", O_WRONLY, 0);

    if (fp == 0) {
        printf("  (no /dev/full; skipped)\n");
        return;
    }
    CHECK_INT(vstream_fputs("data that cannot be written", fp), 0);
    CHECK(!vstream_ferror(fp));
    CHECK_INT(vstream_fclose(fp), VSTREAM_EOF);

    /* An error is sticky: later writes fail and so does close. */
    fp = vstream_fopen("/dev/full", O_WRONLY, 0);
    vstream_fputs("x", fp);
    CHECK_INT(vstream_fflush(fp), VSTREAM_EOF);
    CHECK(vstream_ferror(fp));
    CHECK_INT(vstream_fputs("y", fp), VSTREAM_EOF);
    CHECK_INT(vstream_fclose(fp), VSTREAM_EOF);
}

TEST(fdclose_leaves_the_descriptor_open)
{
    int fds[2];
    VSTREAM *wr;
    char buf[4];

    CHECK(pipe(fds) == 0);
    wr = vstream_fdopen(fds[1], O_WRONLY);
    vstream_fputs("ok", wr);
    CHECK_INT(vstream_fdclose(wr), 0);
    CHECK(write(fds[1], "!", 1) == 1);
    CHECK(read(fds[0], buf, 3) == 3 && memcmp(buf, "ok!", 3) == 0);
    close(fds[0]);
    close(fds[1]);
}

TEST(fpurge_discards_buffered_data)
{
    const char *path = tmp_path("purge");
    VSTREAM *fp = vstream_fopen(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    vstream_fputs("discarded", fp);
    vstream_fpurge(fp);
    vstream_fputs("kept", fp);
    CHECK_INT(vstream_fclose(fp), 0);
    CHECK_INT(file_size(path), 4);
}

int main(void)
{
    char cmd[300];
    int rc;

    signal(SIGPIPE, SIG_IGN);
    if (mkdtemp(tmpdir) == 0) {
        perror("mkdtemp");
        return (1);
    }
    RUN(write_is_buffered_until_flush_or_close);
    RUN(read_gets_bytes_then_sticky_eof);
    RUN(open_failure_returns_null_with_errno);
    RUN(large_reads_and_writes_cross_buffer_boundaries);
    RUN(seek_and_tell_with_mixed_reads_and_writes);
    RUN(tell_follows_own_io_and_append_mode);
    RUN(line_readers_keep_or_strip_the_newline);
    RUN(bounded_line_readers_stop_at_the_bound);
    RUN(null_terminated_records);
    RUN(pipe_carries_data_and_eof);
    RUN(write_fd_splits_reading_and_writing);
    RUN(pipe_read_times_out);
    RUN(deadline_bounds_all_reads);
    RUN(read_flushes_pending_output_on_a_socket);
    RUN(fclose_reports_write_errors);
    RUN(fdclose_leaves_the_descriptor_open);
    RUN(fpurge_discards_buffered_data);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    rc = system(cmd);
    (void)rc;
    return (TESTS_DONE());
}

/*
 * chat_notify_test - the transcript of a postmaster notice: lines made
 * printable, and long lines broken at blanks to fit 78 columns, with
 * indented continuations, each line starting with a space.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chat_notify.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"

static char path[] = "/tmp/chat_notify_test.XXXXXX";

/* transcript_of - the body lines that chat_notify_transcript() writes */
static ARGV *transcript_of(ARGV *history)
{
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(100);
    ARGV *lines = argv_alloc(10);
    int fd;

    if ((fd = mkstemp(path)) < 0)
        abort();
    close(fd);
    fp = vstream_fopen(path, O_RDWR | O_TRUNC, 0600);
    chat_notify_transcript(fp, history);
    vstream_fclose(fp);
    fp = vstream_fopen(path, O_RDONLY, 0);
    while (rec_get(fp, buf, 0) == REC_TYPE_NORM)
        argv_add(lines, vstring_str(buf), (char *)0);
    vstream_fclose(fp);
    unlink(path);
    strcpy(path + strlen(path) - 6, "XXXXXX");
    vstring_free(buf);
    return (lines);
}

TEST(test_append_makes_printable)
{
    ARGV *history = 0;

    chat_notify_append(&history, "In:  ", "220 hello\001\177 there");
    chat_notify_append(&history, "Out: ", "EHLO x");
    CHECK(history != 0);
    CHECK_INT(history->argc, 2);
    CHECK_STR(history->argv[0], "In:  220 hello?? there");
    CHECK_STR(history->argv[1], "Out: EHLO x");
    argv_free(history);
}

TEST(test_transcript_layout_and_wrapping)
{
    ARGV *history = 0;
    ARGV *lines;
    char word[101];

    chat_notify_append(&history, "Out: ", "EHLO client.example");
    /* 9 + 9 * 10 - 1 characters: the break comes at the last blank that fits 78. */
    chat_notify_append(&history, "In:  ",
                       "550 aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff "
                       "ggggggggg hhhhhhhhh iiiiiiiii");
    memset(word, 'x', 100);
    word[100] = 0;
    chat_notify_append(&history, "In:  ", word);
    lines = transcript_of(history);
    CHECK_INT(lines->argc, 8);
    if (lines->argc == 8) {
        CHECK_STR(lines->argv[0], "Transcript of session follows.");
        CHECK_STR(lines->argv[1], "");
        CHECK_STR(lines->argv[2], " Out: EHLO client.example");
        CHECK_STR(lines->argv[3], " In:  550 aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee "
                                  "fffffffff ggggggggg");
        CHECK_STR(lines->argv[4], "     hhhhhhhhh iiiiiiiii");
        /* A word longer than a line goes on a line of its own, whole. */
        CHECK_STR(lines->argv[5], " In:");
        CHECK_STR(lines->argv[6] + 5, word);
        CHECK_INT(strncmp(lines->argv[6], "     x", 6), 0);
        CHECK_STR(lines->argv[7], "");
    }
    argv_free(lines);
    argv_free(history);
}

TEST(test_transcript_without_history)
{
    ARGV *lines = transcript_of((ARGV *)0);

    CHECK_INT(lines->argc, 3);
    CHECK_STR(lines->argv[2], "");
    argv_free(lines);
}

int main(void)
{
    RUN(test_append_makes_printable);
    RUN(test_transcript_layout_and_wrapping);
    RUN(test_transcript_without_history);
    return (TESTS_DONE());
}

/*
 * sm_copy_test - message input to records: From_ lines, the "." line and
 * -i, line endings, long lines, text without a final newline, and
 * recipient extraction for -t (Resent- headers win, folded headers,
 * header_size_limit).
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sm_copy.c"
#include "testing.h"

static char in_path[] = "/tmp/sm_copy_in.XXXXXX";
static char out_path[] = "/tmp/sm_copy_out.XXXXXX";

/* records - a file's records as "T:text|T:text|..." */
static const char *records(VSTREAM *fp)
{
    static VSTRING *result;
    VSTRING *buf = vstring_alloc(100);
    int type;

    if (result == 0)
        result = vstring_alloc(100);
    VSTRING_RESET(result);
    vstream_fseek(fp, 0, SEEK_SET);
    while ((type = rec_get(fp, buf, 0)) > 0)
        vstring_sprintf_append(result, "%c:%s|", type, vstring_str(buf));
    VSTRING_TERMINATE(result);
    vstring_free(buf);
    return (vstring_str(result));
}

/* copy - run sm_copy_message over text; the records, result in *status */
static const char *copy(const char *text, int flags, ssize_t limit, int strip_cr, int *status,
                        ARGV **rcpt)
{
    static ARGV *saved;
    VSTREAM *in;
    VSTREAM *out;
    SM_COPY state;
    const char *result;

    in = vstream_fopen(in_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    out = vstream_fopen(out_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    vstream_fputs(text, in);
    vstream_fseek(in, 0, SEEK_SET);
    sm_copy_init(&state, out, flags, limit, strip_cr, 200);
    *status = sm_copy_message(&state, in);
    vstream_fflush(out);
    if (saved)
        argv_free(saved);
    saved = argv_copy(sm_copy_recipients(&state));
    if (rcpt)
        *rcpt = saved;
    sm_copy_free(&state);
    result = records(out);
    vstream_fclose(in);
    vstream_fclose(out);
    return (result);
}

TEST(from_lines_and_dot)
{
    int status;

    CHECK_STR(copy("From a b\nFrom c\nSubject: x\n\nbody\n.\nafter\n", SM_FLAG_AEOF, 2048,
                   SM_STRIP_CR_DO, &status, 0),
              "N:Subject: x|N:|N:body|");
    CHECK_INT(status, SM_COPY_OK);
    CHECK_STR(copy("Subject: x\n\nFrom here\n.\nafter", 0, 2048, SM_STRIP_CR_DO, &status, 0),
              "N:Subject: x|N:|N:From here|N:.|L:after|");
    CHECK_STR(copy(".\n", SM_FLAG_AEOF, 2048, SM_STRIP_CR_DO, &status, 0), "");
    CHECK_STR(copy("", SM_FLAG_AEOF, 2048, SM_STRIP_CR_DO, &status, 0), "");
}

TEST(line_endings)
{
    int status;

    CHECK_STR(copy("a\r\r\nb\rc\r\n.\r\nafter\n", SM_FLAG_AEOF, 2048, SM_STRIP_CR_DO, &status,
                   0),
              "N:a|N:b\rc|");
    CHECK_STR(copy("a\r\nb\n", SM_FLAG_AEOF, 2048, SM_STRIP_CR_DONT, &status, 0),
              "N:a\r|N:b|");
    CHECK_STR(copy("a\nb\r\n.\r\n", SM_FLAG_AEOF, 2048, SM_STRIP_CR_DONTKNOW, &status, 0),
              "N:a|N:b\r|N:.\r|");
    CHECK_STR(copy("a\r\nb\r\n.\r\n", SM_FLAG_AEOF, 2048, SM_STRIP_CR_DONTKNOW, &status, 0),
              "N:a|N:b|");
    CHECK_INT(sm_fix_eol_mode("strict"), SM_STRIP_CR_DONTKNOW);
    CHECK_INT(sm_fix_eol_mode("bogus"), -1);
}

TEST(long_lines)
{
    int status;

    CHECK_STR(copy("0123456789\n01234\n0123456789abc\n.\n", SM_FLAG_AEOF, 5, SM_STRIP_CR_DO,
                   &status, 0),
              "L:01234|L:56789|N:|L:01234|N:|L:01234|L:56789|N:abc|");
    /* A "." that is the end of a long line does not end the message. */
    CHECK_STR(copy("01234.\n.\n", SM_FLAG_AEOF, 5, SM_STRIP_CR_DO, &status, 0),
              "L:01234|N:.|");
    /* A CR in a piece of a long line is not before the LF. */
    CHECK_STR(copy("0123\r\nx\n", SM_FLAG_AEOF, 5, SM_STRIP_CR_DO, &status, 0),
              "L:0123\r|N:|N:x|");
}

/* joined - the recipients as one string, valid until the next call */
static const char *joined(ARGV *rcpt)
{
    static char *saved;

    if (saved)
        myfree(saved);
    return (saved = argv_join(rcpt, " "));
}

TEST(extract_recipients)
{
    ARGV *rcpt;
    int status;

    CHECK_STR(copy("To: a@x, \"B\" <b@y>\nCc: c@z,\n\td@w\nBcc: e@v\nSubject: s\n\nTo: no@x\n",
                   SM_FLAG_AEOF | SM_FLAG_XRCPT, 2048, SM_STRIP_CR_DO, &status, &rcpt),
              "N:To: a@x, \"B\" <b@y>|N:Cc: c@z,|N:\td@w|N:Bcc: e@v|N:Subject: s|N:|N:To: no@x|");
    CHECK_INT(status, SM_COPY_OK);
    CHECK_STR(joined(rcpt), "a@x b@y c@z d@w e@v");
    copy("To: t@x\nResent-To: r1@x\nCc: c@x\nResent-Bcc: r2@x\n\n", SM_FLAG_XRCPT, 2048,
         SM_STRIP_CR_DO, &status, &rcpt);
    CHECK_STR(joined(rcpt), "r1@x r2@x");
    copy("To: \"a b\"@x (comment), group: g1@x, g2@x;\n", SM_FLAG_XRCPT, 2048, SM_STRIP_CR_DO,
         &status, &rcpt);
    CHECK_STR(joined(rcpt), "a b@x g1@x g2@x");
    copy(" To: a@x\nTo: b@x\n", SM_FLAG_XRCPT, 2048, SM_STRIP_CR_DO, &status, &rcpt);
    CHECK_INT(rcpt->argc, 0);
}

TEST(long_headers)
{
    int status;

    CHECK_STR(copy("Subject: 0123456789\n\nb\n", SM_FLAG_XRCPT, 8, SM_STRIP_CR_DO, &status, 0),
              "L:Subject:|L: 0123456|N:789|N:|N:b|");
    copy("To: a@x\nX: 0123456789012345678901234567890123456789012345678901234567890123456789"
         "012345678901234567890123456789012345678901234567890123456789012345678901234567890123"
         "4567890123456789012345678901234567890123456789"
         "0123456789012345678901234567890123456789012345678901234567890123456789\n\nb\n",
         SM_FLAG_XRCPT, 50, SM_STRIP_CR_DO, &status, 0);
    CHECK_INT(status, MIME_ERR_TRUNC_HEADER);
}

int main(int argc, char **argv)
{
    int fd;

    msg_stderr_init(argv[0]);
    if ((fd = mkstemp(in_path)) < 0 || close(fd) < 0 || (fd = mkstemp(out_path)) < 0
        || close(fd) < 0)
        msg_fatal("mkstemp: %m");
    RUN(from_lines_and_dot);
    RUN(line_endings);
    RUN(long_lines);
    RUN(extract_recipients);
    RUN(long_headers);
    unlink(in_path);
    unlink(out_path);
    return (TESTS_DONE());
}

/*
 * fuzz_smtp_reply - libFuzzer target for SMTP line and reply reading:
 * smtp_get() from src/global/smtp_stream.c (the line reader of smtpd and
 * the SMTP client) with a length limit and the skip/append flags, and the
 * SMTP client's reply parser smtp_chat_resp() from src/smtp/smtp_chat.c
 * (multi-line replies, reply codes, enhanced status codes, size limits).
 * The first input byte picks which one runs. End of input raises the
 * stream exception, caught with the same setjmp arming the programs use.
 */
#include <setjmp.h>

#include "../../src/smtp/smtp.h"
#include "argv.h"
#include "fuzz_common.h"
#include "smtp_stream.h"
#include "vstring.h"

/* fuzz_lines - read lines with smtp_get() until the input ends */
static void fuzz_lines(VSTREAM *fp, int mode)
{
    static jmp_buf jbuf;
    VSTRING *line = vstring_alloc(10);
    ssize_t limit = (mode & 2) ? 20 : 2048;
    int flags = (mode & 4) ? SMTP_GET_FLAG_SKIP : SMTP_GET_FLAG_NONE;
    volatile int n = 0;

    if (smtp_stream_setjmp(fp, &jbuf) == 0) {
        for (; n < 100000; n++) {
            smtp_get(line, fp, limit, flags | ((n & 1) ? SMTP_GET_FLAG_APPEND : 0));
            if ((n & 1) == 0 && (ssize_t)VSTRING_LEN(line) > limit)
                __builtin_trap();
        }
    }
    smtp_stream_disarm(fp);
    vstring_free(line);
}

/* fuzz_replies - parse SMTP replies with smtp_chat_resp() until the input ends */
static void fuzz_replies(VSTREAM *fp)
{
    static jmp_buf jbuf;
    SMTP_STATE state;
    SMTP_SESSION session;
    SMTP_RESP *resp;
    volatile int n = 0;

    memset(&state, 0, sizeof(state));
    memset(&session, 0, sizeof(session));
    session.stream = fp;
    session.namaddrport = "fuzz[127.0.0.1]:25";
    session.namaddr = "fuzz[127.0.0.1]";
    state.session = &session;
    state.buf = vstring_alloc(10);
    if (smtp_stream_setjmp(fp, &jbuf) == 0) {
        for (; n < 100000; n++) {
            resp = smtp_chat_resp(&state);
            if (strlen(resp->dsn) < 5 || resp->code < 0 || resp->code > 999)
                __builtin_trap();
            (void)strlen(resp->str);
        }
    }
    smtp_stream_disarm(fp);
    vstring_free(state.buf);
    if (state.resp.str_buf)
        vstring_free(state.resp.str_buf);
    if (state.resp.dsn_buf)
        vstring_free(state.resp.dsn_buf);
    if (session.history)
        argv_free(session.history);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    VSTREAM *fp;

    if (size < 1)
        return (0);
    fuzz_quiet();
    fp = fuzz_stream(data + 1, size - 1);
    if (data[0] & 1)
        fuzz_replies(fp);
    else
        fuzz_lines(fp, data[0]);
    vstream_fclose(fp);
    return (0);
}

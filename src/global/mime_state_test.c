/* mime_state_test - module tests for the MIME parser */

#include <string.h>

#include "mime_state.h"
#include "msg.h"
#include "rec_type.h"
#include "testing.h"
#include "vstring.h"

/*
 * The callbacks write a transcript: "P|", "M|", "N|" for primary, multipart
 * and nested headers, "HEAD_END", "N 12|text" and "C 12|text" for body
 * records of type NORM and CONT at offset 12, "BODY_END", and "ERR
 * <text>|<offending text>" for errors.
 */
static void t_head_out(void *context, int class, const HEADER_OPTS *info, VSTRING *buf,
                       off_t offset)
{
    static const char *names[] = {"?", "P", "M", "N"};

    vstring_sprintf_append((VSTRING *)context, "%s%s|%s\n", names[class], info ? "*" : "",
                           vstring_str(buf));
}

static void t_head_end(void *context)
{
    vstring_strcat((VSTRING *)context, "HEAD_END\n");
}

static void t_body_out(void *context, int rec_type, const char *text, ssize_t len, off_t offset)
{
    vstring_sprintf_append((VSTRING *)context, "%c %ld|%.*s\n",
                           rec_type == REC_TYPE_NORM ? 'N' : 'C', (long)offset, (int)len, text);
}

static void t_body_end(void *context)
{
    vstring_strcat((VSTRING *)context, "BODY_END\n");
}

static void t_err_print(void *context, int code, const char *text, ssize_t len)
{
    vstring_sprintf_append((VSTRING *)context, "ERR %s|%.*s\n", mime_state_error(code),
                           (int)(len > 40 ? 40 : len), text);
}

/* feed - run a message through a parser; lines longer than chunk become CONT records */
static int feed(MIME_STATE *state, const char *message, size_t chunk)
{
    const char *cp = message;
    const char *eol;
    size_t len;
    int err = 0;

    while (*cp) {
        eol = strchr(cp, '\n');
        len = eol ? (size_t)(eol - cp) : strlen(cp);
        while (chunk > 0 && len > chunk) {
            err = mime_state_update(state, REC_TYPE_CONT, cp, chunk);
            cp += chunk;
            len -= chunk;
        }
        err = mime_state_update(state, eol ? REC_TYPE_NORM : REC_TYPE_CONT, cp, len);
        cp += len + (eol != 0);
    }
    return (mime_state_update(state, REC_TYPE_XTRA, "", 0) | err);
}

/* run - transcript of one message with the given options and limits */
static const char *run(VSTRING *out, const char *message, int flags,
                       const MIME_STATE_LIMITS *limits, size_t chunk, int *errp)
{
    MIME_STATE *state = mime_state_alloc(flags, t_head_out, t_head_end, t_body_out, t_body_end,
                                         t_err_print, (void *)out);
    int err;

    VSTRING_RESET(out);
    if (limits)
        mime_state_set_limits(state, limits);
    err = feed(state, message, chunk);
    if (errp)
        *errp = err;
    mime_state_free(state);
    return (vstring_str(out));
}

TEST(plain_message_and_folded_headers)
{
    VSTRING *out = vstring_alloc(100);
    int err;

    CHECK_STR(run(out,
                  "From: a@b\n"
                  "Subject: one\n"
                  "\ttwo\n"
                  "  three\n"
                  "X-Empty:\n"
                  "\n"
                  "body 1\n"
                  "\n"
                  " body 3\n",
                  MIME_OPT_NONE, 0, 0, &err),
              "P*|From: a@b\n"
              "P|Subject: one\n\ttwo\n  three\n"
              "P|X-Empty:\n"
              "HEAD_END\n"
              "N 0|\n"
              "N 1|body 1\n"
              "N 8|\n"
              "N 9| body 3\n"
              "BODY_END\n");
    CHECK_INT(err, 0);

    /* No blank line: the first non-header line starts the body. */
    CHECK_STR(run(out, "Subject: x\nnot a header\n", MIME_OPT_NONE, 0, 0, 0),
              "P|Subject: x\nHEAD_END\nN 0|not a header\nBODY_END\n");
    /* Headers only, no final newline. */
    CHECK_STR(run(out, "Subject: x\n y", MIME_OPT_NONE, 0, 0, 0),
              "P|Subject: x\n y\nHEAD_END\nBODY_END\n");
    /* Nothing at all. */
    CHECK_STR(run(out, "", MIME_OPT_NONE, 0, 0, 0), "HEAD_END\nBODY_END\n");
    /* A first line that is no header. */
    CHECK_STR(run(out, " x: y\n\nb\n", MIME_OPT_NONE, 0, 0, 0),
              "HEAD_END\nN 0| x: y\nN 6|\nN 7|b\nBODY_END\n");
    vstring_free(out);
}

TEST(long_lines_arrive_as_cont_records)
{
    VSTRING *out = vstring_alloc(100);

    /* Records of 12 bytes: long enough for a header name and its colon. */
    CHECK_STR(run(out, "Subject: 0123456789\n\tabcdefghij\n\n0123456789012345678\n--x\n",
                  MIME_OPT_NONE, 0, 12, 0),
              "P|Subject: 0123456789\n\tabcdefghij\n"
              "HEAD_END\n"
              "N 0|\n"
              "C 1|012345678901\n"
              "N 13|2345678\n"
              "N 21|--x\n"
              "BODY_END\n");
    vstring_free(out);
}

static const char multipart_msg[] = "From: a@b\n"
                                    "MIME-Version: 1.0\n"
                                    "Content-Type: multipart/mixed;\n"
                                    "\tboundary=\"outer\"\n"
                                    "\n"
                                    "preamble\n"
                                    "--outer\n"
                                    "Content-Type: text/plain\n"
                                    "\n"
                                    "part 1\n"
                                    "--outer\n"
                                    "Content-Type: message/rfc822\n"
                                    "\n"
                                    "From: c@d\n"
                                    "Content-Type: multipart/alternative; boundary=inner\n"
                                    "\n"
                                    "--inner\n"
                                    "\n"
                                    "inner 1\n"
                                    "--inner--\n"
                                    "inner epilogue\n"
                                    "--outer\n"
                                    "Content-Type: multipart/digest; boundary=\"dig\"\n"
                                    "\n"
                                    "--dig\n"
                                    "\n"
                                    "From: digest@part\n"
                                    "\n"
                                    "digest body\n"
                                    "--outer--\n"
                                    "epilogue\n";

TEST(multipart_with_nested_message_and_digest)
{
    VSTRING *out = vstring_alloc(100);
    int err;

    CHECK_STR(run(out, multipart_msg, MIME_OPT_NONE, 0, 0, &err),
              "P*|From: a@b\n"
              "P*|MIME-Version: 1.0\n"
              "P*|Content-Type: multipart/mixed;\n\tboundary=\"outer\"\n"
              "HEAD_END\n"
              "N 0|\n"
              "N 1|preamble\n"
              "N 10|--outer\n"
              "M*|Content-Type: text/plain\n"
              "N 0|\n"
              "N 1|part 1\n"
              "N 8|--outer\n"
              "M*|Content-Type: message/rfc822\n"
              "N 0|\n"
              "N*|From: c@d\n"
              "N*|Content-Type: multipart/alternative; boundary=inner\n"
              "N 0|\n"
              "N 1|--inner\n"
              "N 0|\n"
              "N 1|inner 1\n"
              "N 9|--inner--\n"
              "N 0|inner epilogue\n"
              "N 15|--outer\n"
              "M*|Content-Type: multipart/digest; boundary=\"dig\"\n"
              "N 0|\n"
              "N 1|--dig\n"
              "N 0|\n"
              "N*|From: digest@part\n"
              "N 0|\n"
              "N 1|digest body\n"
              "N 13|--outer--\n"
              "N 0|epilogue\n"
              "BODY_END\n");
    CHECK_INT(err, 0);

    /* With MIME processing off, only the primary header is special. */
    run(out, multipart_msg, MIME_OPT_DISABLE_MIME, 0, 0, &err);
    CHECK(strstr(vstring_str(out), "M*|") == 0 && strstr(vstring_str(out), "N*|") == 0);
    CHECK(strstr(vstring_str(out),
                 "N 0|\nN 1|preamble\nN 10|--outer\nN 18|Content-Type: text/plain\n") != 0);
    vstring_free(out);
}

TEST(missing_final_boundary_and_outer_boundary_ends_inner_parts)
{
    VSTRING *out = vstring_alloc(100);

    CHECK_STR(run(out,
                  "Content-Type: multipart/mixed; boundary=a\n"
                  "\n"
                  "--a\n"
                  "Content-Type: multipart/mixed; boundary=b\n"
                  "\n"
                  "--b\n"
                  "X: in b\n"
                  "\n"
                  "text\n"
                  "--a\n"
                  "Y: back in a\n"
                  "\n"
                  "--b\n"
                  "no final boundary\n",
                  MIME_OPT_NONE, 0, 0, 0),
              "P*|Content-Type: multipart/mixed; boundary=a\n"
              "HEAD_END\n"
              "N 0|\n"
              "N 1|--a\n"
              "M*|Content-Type: multipart/mixed; boundary=b\n"
              "N 0|\n"
              "N 1|--b\n"
              "M|X: in b\n"
              "N 0|\n"
              "N 1|text\n"
              "N 6|--a\n"
              "M|Y: back in a\n"
              "N 0|\n"
              "N 1|--b\n"
              "N 5|no final boundary\n"
              "BODY_END\n");
    /* Boundary prefix match and transport padding, as RFC 2046 allows. */
    CHECK_STR(run(out,
                  "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b  \nH: 1\n\nx\n--b--  \nz\n",
                  MIME_OPT_NONE, 0, 0, 0),
              "P*|Content-Type: multipart/mixed; boundary=\"b\"\nHEAD_END\nN 0|\nN 1|--b  \n"
              "M|H: 1\nN 0|\nN 1|x\nN 3|--b--  \nN 0|z\nBODY_END\n");
    /* A multipart without boundary, or with an empty one, is plain text. */
    CHECK_STR(run(out, "Content-Type: multipart/mixed\n\n--\nH: x\n", MIME_OPT_NONE, 0, 0, 0),
              "P*|Content-Type: multipart/mixed\nHEAD_END\nN 0|\nN 1|--\nN 4|H: x\nBODY_END\n");
    CHECK_STR(run(out, "Content-Type: multipart/mixed; boundary=\"\"\n\n--\nH: x\n", MIME_OPT_NONE,
                  0, 0, 0),
              "P*|Content-Type: multipart/mixed; boundary=\"\"\nHEAD_END\nN 0|\nN 1|--\nN 4|H: x\n"
              "BODY_END\n");
    vstring_free(out);
}

TEST(nesting_limit_stops_descent)
{
    VSTRING *out = vstring_alloc(100);
    VSTRING *msg = vstring_alloc(100);
    MIME_STATE_LIMITS limits = {1024, 3, 2048};
    int err;
    int n;

    /* Three levels are fine, the fourth is not descended into. */
    for (n = 0; n < 4; n++)
        vstring_sprintf_append(msg, "Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n", n, n);
    vstring_strcat(msg, "Content-Type: text/plain\n\nx\n");
    run(out, vstring_str(msg), MIME_OPT_REPORT_NESTING, &limits, 0, &err);
    CHECK_INT(err, MIME_ERR_NESTING);
    CHECK(strstr(vstring_str(out), "M*|Content-Type: multipart/mixed; boundary=b3\n"
                                   "ERR MIME nesting exceeds safety limit|Content-Type: "
                                   "multipart/mixed; boundary=\n"
                                   "N 0|\nN 1|--b3\nN 6|Content-Type: text/plain\n") != 0);
    limits.nesting_limit = 4;
    run(out, vstring_str(msg), MIME_OPT_REPORT_NESTING, &limits, 0, &err);
    CHECK_INT(err, 0);
    /* Without the option, the error is not reported. */
    limits.nesting_limit = 3;
    run(out, vstring_str(msg), MIME_OPT_NONE, &limits, 0, &err);
    CHECK_INT(err, 0);
    CHECK(strstr(vstring_str(out), "ERR") == 0);

    /* A nesting bomb with the default limit: nested messages in multiparts. */
    VSTRING_RESET(msg);
    for (n = 0; n < 5000; n++)
        vstring_sprintf_append(msg,
                               "Content-Type: multipart/mixed; boundary=%d\n\n--%d\n"
                               "Content-Type: message/rfc822\n\n",
                               n, n);
    run(out, vstring_str(msg), MIME_OPT_REPORT_NESTING, 0, 0, &err);
    CHECK_INT(err, MIME_ERR_NESTING);
    CHECK(strstr(vstring_str(out), "ERR MIME nesting exceeds safety limit|") != 0);
    vstring_free(msg);
    vstring_free(out);
}

TEST(long_header_is_truncated)
{
    VSTRING *out = vstring_alloc(100);
    VSTRING *msg = vstring_alloc(100);
    MIME_STATE_LIMITS limits = {100, 100, 2048};
    int err;
    int n;

    vstring_strcpy(msg, "Subject: start\n");
    for (n = 0; n < 20; n++)
        vstring_sprintf_append(msg, " continuation line %02d\n", n);
    vstring_strcat(msg, "To: x@y\n\nbody\n");
    run(out, vstring_str(msg), MIME_OPT_REPORT_TRUNC_HEADER, &limits, 0, &err);
    CHECK_INT(err, MIME_ERR_TRUNC_HEADER);
    /* Whole lines are kept while the header is under the limit. */
    CHECK_STR(vstring_str(out), "ERR message header length exceeds safety limit|Subject: start\n "
                                "continuation line 00\n co\n"
                                "P|Subject: start\n continuation line 00\n continuation line 01\n"
                                " continuation line 02\n continuation line 03\n"
                                "P*|To: x@y\nHEAD_END\nN 0|\nN 1|body\nBODY_END\n");
    run(out, vstring_str(msg), MIME_OPT_NONE, &limits, 0, &err);
    CHECK_INT(err, 0);

    /* The default limit: 200 KB of continuation lines. */
    VSTRING_RESET(msg);
    vstring_strcpy(msg, "X-Big: x\n");
    for (n = 0; n < 10000; n++)
        vstring_strcat(msg, "\t0123456789012345678\n");
    vstring_strcat(msg, "\nbody\n");
    run(out, vstring_str(msg), MIME_OPT_REPORT_TRUNC_HEADER, 0, 0, &err);
    CHECK_INT(err, MIME_ERR_TRUNC_HEADER);
    /* Kept: "X-Big: x" and 4876 lines, the first that reach 102400 bytes. */
    CHECK_INT(strstr(vstring_str(out), "\nHEAD_END") - strstr(vstring_str(out), "P|X-Big") - 2,
              8 + 21 * 4876);
    vstring_free(msg);
    vstring_free(out);
}

TEST(eight_bit_checks)
{
    VSTRING *out = vstring_alloc(100);
    int err;

    run(out, "Subject: gr\xc3\xbc\xc3\x9f\n\nok\n", MIME_OPT_REPORT_8BIT_IN_HEADER, 0, 0, &err);
    CHECK_INT(err, MIME_ERR_8BIT_IN_HEADER);
    CHECK(strstr(vstring_str(out),
                 "ERR improper use of 8-bit data in message header|Subject: gr") != 0);
    run(out, "Subject: gr\xc3\xbc\xc3\x9f\n\nok\n", MIME_OPT_NONE, 0, 0, &err);
    CHECK_INT(err, 0);

    /* 8-bit body text: fine when declared, an error in a 7bit part. */
    run(out, "Content-Transfer-Encoding: 8bit\n\n\xc3\xa9t\xc3\xa9\n",
        MIME_OPT_REPORT_8BIT_IN_7BIT_BODY, 0, 0, &err);
    CHECK_INT(err, 0);
    run(out, "Subject: x\n\n\xc3\xa9t\xc3\xa9\nmore \xff\n", MIME_OPT_REPORT_8BIT_IN_7BIT_BODY, 0,
        0, &err);
    CHECK_INT(err, MIME_ERR_8BIT_IN_7BIT_BODY);
    /* Reported once. */
    CHECK_STR(vstring_str(out), "P|Subject: x\nHEAD_END\nN 0|\n"
                                "ERR improper use of 8-bit data in message body|\xc3\xa9t\xc3\xa9\n"
                                "N 1|\xc3\xa9t\xc3\xa9\nN 7|more \xff\nBODY_END\n");
    run(out,
        "Content-Type: multipart/mixed; boundary=b\nContent-Transfer-Encoding: 8bit\n\n--b\n"
        "Content-Transfer-Encoding: 8bit\n\n\xc3\xa9\n--b\n\n\xc3\xa9\n--b--\n",
        MIME_OPT_REPORT_8BIT_IN_7BIT_BODY, 0, 0, &err);
    CHECK_INT(err, MIME_ERR_8BIT_IN_7BIT_BODY);
    vstring_free(out);
}

TEST(encoding_domain_checks)
{
    VSTRING *out = vstring_alloc(100);
    int err;

    run(out, "Content-Type: multipart/mixed; boundary=b\nContent-Transfer-Encoding: base64\n\nx\n",
        MIME_OPT_REPORT_ENCODING_DOMAIN, 0, 0, &err);
    CHECK_INT(err, MIME_ERR_ENCODING_DOMAIN);
    CHECK(strstr(vstring_str(out), "ERR invalid message/* or multipart/* encoding domain|"
                                   "Content-Transfer-Encoding: base64\n") != 0);
    run(out, "Content-Type: message/partial; id=x\nContent-Transfer-Encoding: 8bit\n\nx\n",
        MIME_OPT_REPORT_ENCODING_DOMAIN, 0, 0, &err);
    CHECK_INT(err, MIME_ERR_ENCODING_DOMAIN);
    run(out, "Content-Type: message/rfc822\nContent-Transfer-Encoding: 8bit\n\nFrom: x\n",
        MIME_OPT_REPORT_ENCODING_DOMAIN, 0, 0, &err);
    CHECK_INT(err, 0);
    CHECK(strstr(vstring_str(out), "N*|From: x\n") != 0);
    run(out, "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nx\n",
        MIME_OPT_REPORT_ENCODING_DOMAIN, 0, 0, &err);
    CHECK_INT(err, 0);
    /* An encoded message/rfc822 is not descended into. */
    run(out, "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nRnJvbTog\n",
        MIME_OPT_NONE, 0, 0, &err);
    CHECK(strstr(vstring_str(out), "N 1|RnJvbTog\n") != 0);
    /* message/partial and external-body stay opaque; other subtypes on request. */
    run(out, "Content-Type: message/external-body; access-type=x\n\nContent-Type: text/plain\n",
        MIME_OPT_RECURSE_ALL_MESSAGE, 0, 0, &err);
    CHECK(strstr(vstring_str(out), "N 1|Content-Type: text/plain\n") != 0);
    run(out, "Content-Type: message/global\n\nSubject: x\n", MIME_OPT_NONE, 0, 0, &err);
    CHECK(strstr(vstring_str(out), "N 1|Subject: x\n") != 0);
    run(out, "Content-Type: message/global\n\nSubject: x\n", MIME_OPT_RECURSE_ALL_MESSAGE, 0, 0,
        &err);
    CHECK(strstr(vstring_str(out), "N|Subject: x\n") != 0);
    vstring_free(out);
}

TEST(downgrade_8bit_parts_to_quoted_printable)
{
    VSTRING *out = vstring_alloc(100);
    VSTRING *msg = vstring_alloc(100);
    int err;
    int n;

    CHECK_STR(run(out,
                  "Subject: x\n"
                  "Content-Transfer-Encoding: 8bit\n"
                  "Content-Type: text/plain; charset=utf-8\n"
                  "\n"
                  "gr\xc3\xbc\xc3\x9f = hello \n"
                  "tab\t\n"
                  "plain\n",
                  MIME_OPT_DOWNGRADE, 0, 0, &err),
              "P|Subject: x\n"
              "P*|Content-Type: text/plain; charset=utf-8\n"
              "P*|Content-Transfer-Encoding: quoted-printable\n"
              "HEAD_END\n"
              "N 0|\n"
              "N 1|gr=C3=BC=C3=9F =3D hello=20\n"
              "N 17|tab=09\n"
              "N 22|plain\n"
              "BODY_END\n");
    CHECK_INT(err, 0);

    /* Long lines get soft breaks; no line is longer than 76 characters. */
    for (n = 0; n < 30; n++)
        vstring_strcat(msg, "\xc3\xa9");
    vstring_strcat(msg, "abcdefghijklmnopqrstuvwxyz0123456789\n");
    vstring_sprintf(out, "Content-Transfer-Encoding: 8bit\n\n%s", vstring_str(msg));
    vstring_strcpy(msg, vstring_str(out));
    CHECK_STR(run(out, vstring_str(msg), MIME_OPT_DOWNGRADE, 0, 0, 0),
              "P*|Content-Transfer-Encoding: quoted-printable\n"
              "HEAD_END\n"
              "N 0|\n"
              "N 1|=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=\n"
              "N 1|=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=\n"
              "N 1|=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9abcdefghijklmnopqrstuvwxyz0123456789\n"
              "BODY_END\n");
    /* The same text in CONT records comes out the same. */
    CHECK_STR(run(out, vstring_str(msg), MIME_OPT_DOWNGRADE, 0, 40, 0),
              "P*|Content-Transfer-Encoding: quoted-printable\n"
              "HEAD_END\n"
              "N 0|\n"
              "N 1|=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=\n"
              "N 1|=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=\n"
              "N 1|=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9abcdefghijklmnopqrstuvwxyz0123456789\n"
              "BODY_END\n");
    /* A last line without newline is ended, its trailing space encoded. */
    CHECK_STR(
        run(out, "Content-Transfer-Encoding: binary\n\nx\xc3\xa9 ", MIME_OPT_DOWNGRADE, 0, 0, 0),
        "P*|Content-Transfer-Encoding: quoted-printable\nHEAD_END\nN 0|\nN 1|x=C3=A9=20\n"
        "BODY_END\n");
    /* 7bit, quoted-printable and base64 parts are left alone. */
    CHECK_STR(run(out, "Content-Transfer-Encoding: base64\n\nw6k=\n", MIME_OPT_DOWNGRADE, 0, 0, 0),
              "P*|Content-Transfer-Encoding: base64\nHEAD_END\nN 0|\nN 1|w6k=\nBODY_END\n");
    vstring_free(msg);
    vstring_free(out);
}

TEST(downgrade_multipart_message)
{
    VSTRING *out = vstring_alloc(100);

    CHECK_STR(run(out,
                  "Content-Transfer-Encoding: 8bit\n"
                  "Content-Type: multipart/mixed; boundary=b\n"
                  "\n"
                  "--b\n"
                  "Content-Transfer-Encoding: 8bit\n"
                  "\n"
                  "caf\xc3\xa9\n"
                  "--b\n"
                  "Content-Type: message/rfc822\n"
                  "Content-Transfer-Encoding: binary\n"
                  "\n"
                  "Subject: inner\n"
                  "Content-Transfer-Encoding: 8bit\n"
                  "\n"
                  "na\xc3\xafve\n"
                  "--b\n"
                  "Content-Transfer-Encoding: quoted-printable\n"
                  "\n"
                  "already=20fine\n"
                  "--b\n"
                  "\n"
                  "undeclared \xc3\xa9 stays\n"
                  "--b--\n"
                  "\xc3\xa9pilogue\n",
                  MIME_OPT_DOWNGRADE, 0, 0, 0),
              "P*|Content-Type: multipart/mixed; boundary=b\n"
              "P*|Content-Transfer-Encoding: 7bit\n"
              "HEAD_END\n"
              "N 0|\n"
              "N 1|--b\n"
              "M*|Content-Transfer-Encoding: quoted-printable\n"
              "N 0|\n"
              "N 1|caf=C3=A9\n"
              "N 7|--b\n"
              "M*|Content-Type: message/rfc822\n"
              "M*|Content-Transfer-Encoding: 7bit\n"
              "N 0|\n"
              "N|Subject: inner\n"
              "N*|Content-Transfer-Encoding: quoted-printable\n"
              "N 0|\n"
              "N 1|na=C3=AFve\n"
              "N 8|--b\n"
              "M*|Content-Transfer-Encoding: quoted-printable\n"
              "N 0|\n"
              "N 1|already=20fine\n"
              "N 16|--b\n"
              "N 0|\n"
              "N 1|undeclared \xc3\xa9 stays\n"
              "N 21|--b--\n"
              "N 0|\xc3\xa9pilogue\n"
              "BODY_END\n");
    vstring_free(out);
}

TEST(error_texts)
{
    CHECK_STR(mime_state_error(MIME_ERR_NESTING), "MIME nesting exceeds safety limit");
    CHECK_STR(mime_state_error(MIME_ERR_TRUNC_HEADER | MIME_ERR_8BIT_IN_HEADER),
              "message header length exceeds safety limit");
    CHECK_STR(mime_state_error(MIME_ERR_8BIT_IN_HEADER),
              "improper use of 8-bit data in message header");
    CHECK_STR(mime_state_error(MIME_ERR_8BIT_IN_7BIT_BODY),
              "improper use of 8-bit data in message body");
    CHECK_STR(mime_state_error(MIME_ERR_ENCODING_DOMAIN),
              "invalid message/* or multipart/* encoding domain");
    CHECK_STR(mime_state_detail(MIME_ERR_ENCODING_DOMAIN)->dsn, "5.6.0");
}

int main(void)
{
    msg_stderr_init("mime_state_test");
    RUN(plain_message_and_folded_headers);
    RUN(long_lines_arrive_as_cont_records);
    RUN(multipart_with_nested_message_and_digest);
    RUN(missing_final_boundary_and_outer_boundary_ends_inner_parts);
    RUN(nesting_limit_stops_descent);
    RUN(long_header_is_truncated);
    RUN(eight_bit_checks);
    RUN(encoding_domain_checks);
    RUN(downgrade_8bit_parts_to_quoted_printable);
    RUN(downgrade_multipart_message);
    RUN(error_texts);
    return (TESTS_DONE());
}

/*
 * postqueue_test - the listing formatters on hand-made showq streams:
 * exact mailq layout (short and long ids, reasons, status marks, totals,
 * empty queue), JSON escaping and structure, malformed input.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attr.h"
#include "mail_proto.h"
#include "msg.h"
#include "postqueue.h"
#include "testing.h"
#include "vstream.h"
#include "vstring.h"

typedef struct {
    const char *address;
    const char *why;
} RCPT;

/* put_message - one message as showq sends it */
static void put_message(VSTREAM *fp, const char *queue, const char *id, long when, long size,
                        int expire, const char *sender, const RCPT *rcpts)
{
    attr_print(fp, ATTR_FLAG_MORE, SEND_ATTR_STR(MAIL_ATTR_QUEUE, queue),
               SEND_ATTR_STR(MAIL_ATTR_QUEUEID, id), SEND_ATTR_LONG(MAIL_ATTR_TIME, when),
               SEND_ATTR_LONG(MAIL_ATTR_SIZE, size), SEND_ATTR_INT(MAIL_ATTR_FORCED_EXPIRE, expire),
               SEND_ATTR_STR(MAIL_ATTR_SENDER, sender), ATTR_TYPE_END);
    for (; rcpts && rcpts->address; rcpts++)
        attr_print(fp, ATTR_FLAG_MORE, SEND_ATTR_STR(MAIL_ATTR_RECIP, rcpts->address),
                   SEND_ATTR_STR(MAIL_ATTR_WHY, rcpts->why), ATTR_TYPE_END);
    attr_print(fp, ATTR_FLAG_NONE, ATTR_TYPE_END);
}

/* new_stream - a read/write stream on an anonymous file */
static VSTREAM *new_stream(void)
{
    FILE *tmp = tmpfile();

    return (vstream_fdopen(dup(fileno(tmp)), O_RDWR));
}

/* run_formatter - rewind, format, return what was printed */
static char *run_formatter(VSTREAM *in, int json, int long_ids)
{
    static char out[8192];
    FILE *tmp = tmpfile();
    int saved = dup(1);
    ssize_t n;

    vstream_fflush(in);
    vstream_fseek(in, 0, SEEK_SET);
    dup2(fileno(tmp), 1);
    if (json)
        showq_json(in);
    else
        showq_compat(in, long_ids);
    vstream_fflush(VSTREAM_OUT);
    dup2(saved, 1);
    close(saved);
    lseek(fileno(tmp), 0, SEEK_SET);
    n = read(fileno(tmp), out, sizeof(out) - 1);
    out[n > 0 ? n : 0] = 0;
    fclose(tmp);
    vstream_fclose(in);
    return (out);
}

static const RCPT one[] = {{"bob@example.org", ""}, {0, 0}};
static const RCPT deferred[] = {
    {"carol@remote.example", "connect to remote.example[192.0.2.1]:25: Connection refused"},
    {"dave@remote.example", "connect to remote.example[192.0.2.1]:25: Connection refused"},
    {"erin@remote.example", ""},
    {0, 0}};

TEST(test_compat_short_layout)
{
    VSTREAM *in = new_stream();

    put_message(in, "active", "4A1B2C3D", 1700000000, 173, 0, "alice@example.com", one);
    put_message(in, "deferred", "5B2C3D4E", 1700000100, 203, 0, "MAILER-DAEMON", deferred);
    put_message(in, "hold", "6C3D4E5F", 1700000200, 1700, 1, "frank@example.com", one);
    put_message(in, "active", "Bv8xk3n0Ccz9Gq", 1700000500, 183, 0, "long@ids.example", one);
    attr_print(in, ATTR_FLAG_NONE, ATTR_TYPE_END);
    CHECK_STR(run_formatter(in, 0, 0),
              "-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n"
              "4A1B2C3D*       173 Tue Nov 14 22:13:20  alice@example.com\n"
              "                                         bob@example.org\n"
              "\n"
              "5B2C3D4E        203 Tue Nov 14 22:15:00  MAILER-DAEMON\n"
              "                 (connect to remote.example[192.0.2.1]:25: Connection refused)\n"
              "                                         carol@remote.example\n"
              "                                         dave@remote.example\n"
              "                                                          (reason unavailable)\n"
              "                                         erin@remote.example\n"
              "\n"
              "6C3D4E5F!#     1700 Tue Nov 14 22:16:40  frank@example.com\n"
              "                                         bob@example.org\n"
              "\n"
              "Bv8xk3n0Ccz9Gq*     183 Tue Nov 14 22:21:40  long@ids.example\n"
              "                                         bob@example.org\n"
              "\n"
              "-- 2 Kbytes in 4 Requests.\n");
}

TEST(test_compat_long_layout)
{
    VSTREAM *in = new_stream();
    static const RCPT why[] = {{"a@b.example", "short"}, {0, 0}};

    put_message(in, "deferred", "8E5F6071", 1700000400, 161, 1, "x@y", why);
    attr_print(in, ATTR_FLAG_NONE, ATTR_TYPE_END);
    CHECK_STR(run_formatter(in, 0, 1),
              "----Queue ID----- --Size-- ---Arrival Time---- --Sender/Recipient------\n"
              "8E5F6071#              161 Tue Nov 14 22:20:00 x@y\n"
              "                                                                       (short)\n"
              "                                               a@b.example\n"
              "\n"
              "-- 0 Kbytes in 1 Request.\n");
}

TEST(test_compat_long_reason_and_empty)
{
    VSTREAM *in = new_stream();
    char reason[120];
    RCPT why[2] = {{"a@b.example", reason}, {0, 0}};
    char *out;

    memset(reason, 'r', sizeof(reason) - 1);
    reason[sizeof(reason) - 1] = 0;
    put_message(in, "deferred", "8E5F6071", 1700000400, 161, 0, "x@y", why);
    attr_print(in, ATTR_FLAG_NONE, ATTR_TYPE_END);
    out = run_formatter(in, 0, 0);
    CHECK(strstr(out, "\n(rrrr") != 0);

    in = new_stream();
    attr_print(in, ATTR_FLAG_NONE, ATTR_TYPE_END);
    CHECK_STR(run_formatter(in, 0, 0), "Mail queue is empty\n");
    in = new_stream();
    attr_print(in, ATTR_FLAG_NONE, ATTR_TYPE_END);
    CHECK_STR(run_formatter(in, 1, 0), "");
}

TEST(test_json_objects)
{
    VSTREAM *in = new_stream();
    static const RCPT rc[] = {{"q\"uote\\d@x", "tab\there"}, {"plain@x", ""}, {0, 0}};

    put_message(in, "deferred", "5B2C3D4E", 1700000100, 203, 1, "s\001x@y", rc);
    put_message(in, "hold", "6C3D4E5F", 1700000200, 1, 0, "", 0);
    attr_print(in, ATTR_FLAG_NONE, ATTR_TYPE_END);
    CHECK_STR(run_formatter(in, 1, 0),
              "{\"queue_name\": \"deferred\", \"queue_id\": \"5B2C3D4E\", \"arrival_time\": "
              "1700000100, \"message_size\": 203, \"forced_expire\": true, \"sender\": "
              "\"s\\u0001x@y\", \"recipients\": [{\"address\": \"q\\\"uote\\\\d@x\", "
              "\"delay_reason\": \"tab\\there\"}, {\"address\": \"plain@x\"}]}\n"
              "{\"queue_name\": \"hold\", \"queue_id\": \"6C3D4E5F\", \"arrival_time\": "
              "1700000200, \"message_size\": 1, \"forced_expire\": false, \"sender\": \"\", "
              "\"recipients\": []}\n");
}

TEST(test_json_quote_non_ascii)
{
    VSTRING *buf = vstring_alloc(10);

    CHECK_STR(showq_json_quote(buf, "a\xc3\xa9"
                                    "b\r\n\f\b\177"),
              "a??b\\r\\n\\f\\b\\u007F");
    vstring_free(buf);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    msg_stderr_init("postqueue_test");
    RUN(test_compat_short_layout);
    RUN(test_compat_long_layout);
    RUN(test_compat_long_reason_and_empty);
    RUN(test_json_objects);
    RUN(test_json_quote_non_ascii);
    return (TESTS_DONE());
}

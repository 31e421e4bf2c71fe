/* attr_test - module tests for the attribute protocol in all three encodings */

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "attr.h"
#include "msg.h"
#include "mymalloc.h"
#include "testing.h"

static char last_warning[4096];
static int warnings;

/* capture - keep the last warning instead of printing it */
static void capture(int level, const char *text)
{
    warnings++;
    snprintf(last_warning, sizeof(last_warning), "%s", text);
}

/* input_of - a readable stream holding len bytes */
static VSTREAM *input_of(const char *bytes, size_t len)
{
    int fds[2];

    if (pipe(fds) < 0 || write(fds[1], bytes, len) != (ssize_t)len)
        exit(1);
    close(fds[1]);
    return (vstream_fdopen(fds[0], O_RDONLY));
}

typedef struct WIRE {
    VSTREAM *out; /* print here */
    int rfd;      /* raw bytes come out here */
} WIRE;

/* wire_open - a pipe with a stream on the write end */
static void wire_open(WIRE *w)
{
    int fds[2];

    if (pipe(fds) < 0)
        exit(1);
    w->out = vstream_fdopen(fds[1], O_WRONLY);
    vstream_set_path(w->out, "test-wire");
    w->rfd = fds[0];
}

/* wire_bytes - close the write end, collect what was printed */
static VSTRING *wire_bytes(WIRE *w)
{
    VSTRING *got = vstring_alloc(100);
    char buf[4096];
    ssize_t n;

    vstream_fclose(w->out);
    while ((n = read(w->rfd, buf, sizeof(buf))) > 0)
        vstring_memcat(got, buf, n);
    close(w->rfd);
    return (got);
}

typedef struct RCPT {
    char *address;
    long offset;
} RCPT;

/* print_rcpt - a nested structure prints itself as two attributes */
static int print_rcpt(ATTR_PRINT_COMMON_FN print_fn, VSTREAM *fp, int flags, const void *ptr)
{
    const RCPT *rcpt = ptr;

    return (print_fn(fp, flags | ATTR_FLAG_MORE, SEND_ATTR_STR("recipient", rcpt->address),
                     SEND_ATTR_LONG("offset", rcpt->offset), ATTR_TYPE_END));
}

/* scan_rcpt - and reads them back */
static int scan_rcpt(ATTR_SCAN_COMMON_FN scan_fn, VSTREAM *fp, int flags, void *ptr)
{
    RCPT *rcpt = ptr;
    VSTRING *addr = vstring_alloc(10);
    int ret;

    ret = scan_fn(fp, flags | ATTR_FLAG_MORE, RECV_ATTR_STR("recipient", addr),
                  RECV_ATTR_LONG("offset", &rcpt->offset), ATTR_TYPE_END);
    rcpt->address = vstring_export(addr);
    return (ret == 2 ? 2 : -1);
}

typedef struct ENCODING {
    const char *name;
    ATTR_PRINT_COMMON_FN print;
    ATTR_SCAN_COMMON_FN scan;
    int (*more)(VSTREAM *);
} ENCODING;

static const ENCODING encodings[] = {
    {"attr0", attr_print0, attr_scan0, attr_scan_more0},
    {"plain", attr_print_plain, attr_scan_plain, attr_scan_more_plain},
    {"attr64", attr_print64, attr_scan64, attr_scan_more64},
};

#define FOR_EACH_ENCODING(e) for (e = encodings; e < encodings + 3; e++)

/* round_trip - print a list of every type, scan it back, compare */
static void round_trip(const ENCODING *e)
{
    WIRE w;
    VSTRING *bytes;
    VSTREAM *in;
    HTABLE *table = htable_create(10);
    HTABLE *got_table = htable_create(10);
    RCPT rcpt = {"user@example.com", 1234567890123L};
    RCPT got_rcpt = {0, 0};
    static const char binary[] = {'a', 0, '\n', '=', ':', (char)0xff, 0};
    VSTRING *str = vstring_alloc(10);
    VSTRING *data = vstring_alloc(10);
    VSTRING *empty = vstring_alloc(10);
    int ival = 0, neg = 0;
    long lval = 0;

    htable_enter(table, "key1", "value one");
    htable_enter(table, "key2", "=x:y");
    wire_open(&w);
    CHECK_INT(e->print(w.out, ATTR_FLAG_NONE, SEND_ATTR_STR("protocol", "test_protocol"),
                       SEND_ATTR_INT("count", 42), SEND_ATTR_INT("neg", -7),
                       SEND_ATTR_LONG("size", -9000000000L), SEND_ATTR_STR("text", "hello = world"),
                       SEND_ATTR_DATA("blob", sizeof(binary), binary), SEND_ATTR_STR("none", ""),
                       SEND_ATTR_HASH(table), SEND_ATTR_FUNC(print_rcpt, &rcpt), ATTR_TYPE_END),
              0);
    bytes = wire_bytes(&w);
    in = input_of(vstring_str(bytes), VSTRING_LEN(bytes));
    CHECK_INT(e->scan(in, ATTR_FLAG_STRICT, RECV_ATTR_STREQ("protocol", "test_protocol"),
                      RECV_ATTR_INT("count", &ival), RECV_ATTR_INT("neg", &neg),
                      RECV_ATTR_LONG("size", &lval), RECV_ATTR_STR("text", str),
                      RECV_ATTR_DATA("blob", data), RECV_ATTR_STR("none", empty),
                      RECV_ATTR_HASH(got_table), RECV_ATTR_FUNC(scan_rcpt, &got_rcpt),
                      ATTR_TYPE_END),
              9);
    CHECK_INT(ival, 42);
    CHECK_INT(neg, -7);
    CHECK_INT(lval, -9000000000L);
    CHECK_STR(vstring_str(str), "hello = world");
    CHECK_INT(VSTRING_LEN(data), sizeof(binary));
    CHECK(memcmp(vstring_str(data), binary, sizeof(binary)) == 0);
    CHECK_STR(vstring_str(empty), "");
    CHECK_INT(got_table->used, 2);
    CHECK_STR(htable_find(got_table, "key1"), "value one");
    CHECK_STR(htable_find(got_table, "key2"), "=x:y");
    CHECK_STR(got_rcpt.address, "user@example.com");
    CHECK_INT(got_rcpt.offset, 1234567890123L);
    /* The terminator was consumed: nothing is left. */
    CHECK_INT(vstream_getc(in), VSTREAM_EOF);
    vstream_fclose(in);
    vstring_free(bytes);
    htable_free(table, 0);
    htable_free(got_table, myfree);
    myfree(got_rcpt.address);
    vstring_free(str);
    vstring_free(data);
    vstring_free(empty);
}

TEST(every_type_round_trips_in_every_encoding)
{
    const ENCODING *e;

    FOR_EACH_ENCODING(e)
    {
        int before = testing_failed_checks;

        round_trip(e);
        if (testing_failed_checks != before)
            printf("  (encoding %s)\n", e->name);
    }
}

/* printed - what print writes for a fixed list */
static VSTRING *printed(const ENCODING *e, int flags)
{
    WIRE w;
    HTABLE *table = htable_create(10);

    htable_enter(table, "k", "v");
    wire_open(&w);
    e->print(w.out, flags, SEND_ATTR_STR("request", "rewrite"), SEND_ATTR_INT("flags", 3),
             SEND_ATTR_DATA("d", 2, "hi"), SEND_ATTR_HASH(table), ATTR_TYPE_END);
    htable_free(table, 0);
    return (wire_bytes(&w));
}

TEST(exact_wire_formats)
{
    VSTRING *got;
    static const char zero[] = "request\0rewrite\0flags\0"
                               "3\0d\0aGk=\0{\0k\0v\0}\0";

    got = printed(&encodings[0], ATTR_FLAG_NONE);
    CHECK_INT(VSTRING_LEN(got), sizeof(zero));
    CHECK(memcmp(vstring_str(got), zero, sizeof(zero)) == 0);
    vstring_free(got);
    got = printed(&encodings[0], ATTR_FLAG_MORE);
    CHECK_INT(VSTRING_LEN(got), sizeof(zero) - 1);
    vstring_free(got);
    got = printed(&encodings[1], ATTR_FLAG_NONE);
    CHECK_STR(vstring_str(got), "request=rewrite\nflags=3\nd=aGk=\n{\nk=v\n}\n\n");
    vstring_free(got);
    got = printed(&encodings[2], ATTR_FLAG_NONE);
    CHECK_STR(vstring_str(got),
              "cmVxdWVzdA==:cmV3cml0ZQ==\nZmxhZ3M=:Mw==\nZA==:aGk=\new==\naw==:dg==\nfQ==\n\n");
    vstring_free(got);
}

TEST(plain_encoding_cannot_be_tricked_into_extra_attributes)
{
    WIRE w;
    VSTRING *got;

    warnings = 0;
    wire_open(&w);
    attr_print_plain(w.out, ATTR_FLAG_NONE, SEND_ATTR_STR("helo_name", "x\naction=OK"),
                     SEND_ATTR_STR("a=b", "c"), ATTR_TYPE_END);
    got = wire_bytes(&w);
    CHECK_STR(vstring_str(got), "helo_name=x action=OK\na_b=c\n\n");
    CHECK_INT(warnings, 2);
    vstring_free(got);
}

/* scan_text - scan a literal input in an encoding, with one STR and one INT wanted */
static int scan_text(const ENCODING *e, const char *text, size_t len, int flags, VSTRING *str,
                     int *num)
{
    VSTREAM *in = input_of(text, len);
    int ret;

    vstream_set_path(in, "test-input");
    ret =
        e->scan(in, flags, RECV_ATTR_STR("name", str), RECV_ATTR_INT("number", num), ATTR_TYPE_END);
    vstream_fclose(in);
    return (ret);
}

#define PLAIN(text) scan_text(&encodings[1], text, sizeof(text) - 1, flags, str, &num)

TEST(unrequested_attributes_are_skipped_unless_extra)
{
    VSTRING *str = vstring_alloc(10);
    int num = 0;
    int flags = ATTR_FLAG_NONE;

    CHECK_INT(PLAIN("junk=1\nname=x\n{\nk=v\n{\n}\n}\nnumber=5\nafter=1\n\n"), 2);
    CHECK_STR(vstring_str(str), "x");
    CHECK_INT(num, 5);
    flags = ATTR_FLAG_EXTRA;
    warnings = 0;
    CHECK_INT(PLAIN("name=y\njunk=1\nnumber=6\n\n"), 1);
    CHECK_INT(warnings, 1);
    CHECK_STR(last_warning, "unexpected attribute junk from test-input (expecting: number)");
    vstring_free(str);
}

TEST(missing_attributes_end_the_list)
{
    VSTRING *str = vstring_alloc(10);
    int num = 0;
    int flags = ATTR_FLAG_NONE;

    warnings = 0;
    CHECK_INT(PLAIN("name=x\n\n"), 1);
    CHECK_INT(warnings, 0);
    flags = ATTR_FLAG_MISSING;
    CHECK_INT(PLAIN("name=x\n\n"), 1);
    CHECK_STR(last_warning, "missing attribute number in input from test-input");
    /* Out of order is missing too: the scan does not look back. */
    flags = ATTR_FLAG_NONE;
    CHECK_INT(PLAIN("number=1\nname=x\n\n"), 1);
    vstring_free(str);
}

TEST(more_flag_leaves_the_rest_of_the_list)
{
    VSTREAM *in = input_of("a=1\nb=2\n\nc=3\n\n", 14);
    int a = 0, b = 0, c = 0;

    CHECK_INT(attr_scan_plain(in, ATTR_FLAG_MORE, RECV_ATTR_INT("a", &a), ATTR_TYPE_END), 1);
    CHECK_INT(attr_scan_more_plain(in), 1);
    CHECK_INT(attr_scan_plain(in, ATTR_FLAG_MORE, RECV_ATTR_INT("b", &b), ATTR_TYPE_END), 1);
    CHECK_INT(attr_scan_more_plain(in), 0);
    CHECK_INT(attr_scan_plain(in, ATTR_FLAG_STRICT, RECV_ATTR_INT("c", &c), ATTR_TYPE_END), 1);
    CHECK_INT(a + b + c, 6);
    CHECK_INT(attr_scan_more_plain(in), -1);
    vstream_fclose(in);
}

TEST(handshake_mismatch_is_an_error)
{
    VSTREAM *in = input_of("protocol\0cleanup_protocol\0\0", 27);

    CHECK_INT(attr_scan0(in, ATTR_FLAG_STRICT, RECV_ATTR_STREQ("protocol", "bounce_protocol"),
                         ATTR_TYPE_END),
              -1);
    CHECK_STR(
        last_warning,
        "unexpected protocol cleanup_protocol from unknown_stream (expected: bounce_protocol)");
    vstream_fclose(in);
}

TEST(malformed_numbers_are_errors)
{
    VSTRING *str = vstring_alloc(10);
    int num = 0;
    int flags = ATTR_FLAG_NONE;
    long lval;
    VSTREAM *in;

    CHECK_INT(PLAIN("name=a\nnumber=12x\n\n"), -1);
    CHECK_STR(last_warning, "malformed numerical data 12x for attribute number from test-input");
    CHECK_INT(PLAIN("name=a\nnumber=\n\n"), -1);
    CHECK_INT(PLAIN("name=a\nnumber= 1\n\n"), -1);
    CHECK_INT(PLAIN("name=a\nnumber=+1\n\n"), -1);
    CHECK_INT(PLAIN("name=a\nnumber=4294967296\n\n"), -1);
    CHECK_INT(PLAIN("name=a\nnumber=-2147483649\n\n"), -1);
    CHECK_INT(PLAIN("name=a\nnumber=4294967295\n\n"), 2);
    CHECK_INT(num, -1);
    in = input_of("n=99999999999999999999\n\n", 25);
    CHECK_INT(attr_scan_plain(in, 0, RECV_ATTR_LONG("n", &lval), ATTR_TYPE_END), -1);
    vstream_fclose(in);
    vstring_free(str);
}

TEST(truncated_input_is_an_error)
{
    VSTRING *str = vstring_alloc(10);
    int num = 0;
    int flags = ATTR_FLAG_NONE;
    const ENCODING *e;

    warnings = 0;
    CHECK_INT(PLAIN(""), -1);
    CHECK_INT(warnings, 0);
    CHECK_INT(PLAIN("name=x\nnum"), -1);
    CHECK_STR(last_warning, "premature end-of-input on test-input while reading input attribute");
    CHECK_INT(PLAIN("name=x\nnumber=1\n"), -1);
    CHECK_INT(scan_text(&encodings[0], "name\0x\0number", 13, 0, str, &num), -1);
    CHECK_INT(scan_text(&encodings[0], "name\0x", 6, 0, str, &num), -1);
    CHECK_STR(last_warning,
              "premature end-of-input on test-input while reading input attribute value");
    CHECK_INT(scan_text(&encodings[2], "bmFtZQ==:eA==", 13, 0, str, &num), -1);
    FOR_EACH_ENCODING(e)
    {
        /* A table that never closes. */
        HTABLE *table = htable_create(1);
        VSTRING *bytes;
        WIRE w;
        VSTREAM *in;

        wire_open(&w);
        htable_enter(table, "k", "v");
        e->print(w.out, ATTR_FLAG_MORE, SEND_ATTR_HASH(table), ATTR_TYPE_END);
        bytes = wire_bytes(&w);
        in = input_of(vstring_str(bytes), VSTRING_LEN(bytes) - 2);
        htable_free(table, 0);
        table = htable_create(1);
        CHECK_INT(e->scan(in, 0, RECV_ATTR_HASH(table), ATTR_TYPE_END), -1);
        htable_free(table, myfree);
        vstream_fclose(in);
        vstring_free(bytes);
    }
    vstring_free(str);
}

TEST(oversized_names_and_values_are_refused)
{
    VSTRING *str = vstring_alloc(10);
    VSTRING *big = vstring_alloc(300);
    VSTRING *bytes;
    int num = 0;
    const ENCODING *e;
    size_t old = attr_scan_set_limit(100);
    WIRE w;
    int i;

    for (i = 0; i < 101; i++)
        VSTRING_ADDCH(big, 'v');
    FOR_EACH_ENCODING(e)
    {
        /* A value at the limit passes, one byte more does not. */
        wire_open(&w);
        e->print(w.out, 0, SEND_ATTR_STR("name", vstring_str(big) + 1), ATTR_TYPE_END);
        bytes = wire_bytes(&w);
        CHECK_INT(scan_text(e, vstring_str(bytes), VSTRING_LEN(bytes), 0, str, &num), 1);
        vstring_free(bytes);
        wire_open(&w);
        e->print(w.out, 0, SEND_ATTR_STR("name", vstring_str(big)), ATTR_TYPE_END);
        bytes = wire_bytes(&w);
        warnings = 0;
        if (scan_text(e, vstring_str(bytes), VSTRING_LEN(bytes), 0, str, &num) != -1)
            printf("  (encoding %s accepted an oversized value)\n", e->name);
        CHECK_INT(warnings, 1);
        vstring_free(bytes);
        /* An oversized name of an attribute nobody asked for. */
        wire_open(&w);
        e->print(w.out, 0, SEND_ATTR_STR(vstring_str(big), "x"), ATTR_TYPE_END);
        bytes = wire_bytes(&w);
        CHECK_INT(scan_text(e, vstring_str(bytes), VSTRING_LEN(bytes), 0, str, &num), -1);
        vstring_free(bytes);
    }
    attr_scan_set_limit(old);
    vstring_free(str);
    vstring_free(big);
}

TEST(table_entry_limit)
{
    HTABLE *table = htable_create(10);
    HTABLE *got = htable_create(10);
    char key[20];
    VSTRING *bytes;
    VSTREAM *in;
    WIRE w;
    int i;

    for (i = 0; i <= ATTR_HASH_LIMIT; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        htable_enter(table, key, "v");
    }
    wire_open(&w);
    attr_print0(w.out, 0, SEND_ATTR_HASH(table), ATTR_TYPE_END);
    bytes = wire_bytes(&w);
    in = input_of(vstring_str(bytes), VSTRING_LEN(bytes));
    CHECK_INT(attr_scan0(in, 0, RECV_ATTR_HASH(got), ATTR_TYPE_END), -1);
    vstream_fclose(in);
    vstring_free(bytes);
    htable_free(table, 0);
    htable_free(got, myfree);
}

TEST(bad_base64_is_an_error)
{
    VSTRING *data = vstring_alloc(10);
    VSTRING *str = vstring_alloc(10);
    int num;
    VSTREAM *in;
    static const char *bad[] = {"aGk", "a=Gk", "aG=k", "aGk*", "aGk=aGk=", 0};
    const char **cp;
    char buf[100];
    int len;

    for (cp = bad; *cp; cp++) {
        len = snprintf(buf, sizeof(buf), "d=%s\n\n", *cp);
        in = input_of(buf, len);
        if (attr_scan_plain(in, 0, RECV_ATTR_DATA("d", data), ATTR_TYPE_END) != -1)
            printf("  accepted bad base64 \"%s\"\n", *cp);
        vstream_fclose(in);
    }
    in = input_of("d=\n\n", 4);
    CHECK_INT(attr_scan_plain(in, 0, RECV_ATTR_DATA("d", data), ATTR_TYPE_END), 1);
    CHECK_INT(VSTRING_LEN(data), 0);
    vstream_fclose(in);
    CHECK_INT(scan_text(&encodings[2], "bmFtZQ=:eA==\n\n", 14, 0, str, &num), -1);
    CHECK_INT(scan_text(&encodings[2], "bmFtZQ==:e!==\n\n", 15, 0, str, &num), -1);
    vstring_free(data);
    vstring_free(str);
}

TEST(read_timeout_is_reported)
{
    int fds[2];
    VSTREAM *in;
    int num;

    CHECK(pipe(fds) == 0);
    CHECK(write(fds[1], "number=1\n", 9) == 9);
    in = vstream_fdopen(fds[0], O_RDONLY);
    vstream_set_path(in, "slow-peer");
    vstream_set_timeout(in, 1);
    CHECK_INT(attr_scan_plain(in, 0, RECV_ATTR_INT("number", &num), ATTR_TYPE_END), -1);
    CHECK_STR(last_warning, "timeout on slow-peer while reading input attribute");
    vstream_fclose(in);
    close(fds[1]);
}

TEST(garbage_never_crashes)
{
    char buf[512];
    VSTRING *str = vstring_alloc(10);
    VSTRING *data = vstring_alloc(10);
    HTABLE *table;
    RCPT rcpt;
    const ENCODING *e;
    static const char alphabet[] = "ab=:{}\n\0\0\n=aGk=ZA==ew==fQ==123-";
    VSTREAM *in;
    int num;
    long lval;
    int round;
    int i;
    int len;

    srandom(4711);
    for (round = 0; round < 3000; round++) {
        len = random() % sizeof(buf);
        for (i = 0; i < len; i++)
            buf[i] = (round & 1) ? (char)random() : alphabet[random() % (sizeof(alphabet) - 1)];
        FOR_EACH_ENCODING(e)
        {
            table = htable_create(1);
            rcpt.address = 0;
            in = input_of(buf, len);
            (void)e->scan(in, round % 3 ? ATTR_FLAG_NONE : ATTR_FLAG_STRICT,
                          RECV_ATTR_STR("a", str), RECV_ATTR_INT("b", &num), RECV_ATTR_HASH(table),
                          RECV_ATTR_DATA("ab", data), RECV_ATTR_FUNC(scan_rcpt, &rcpt),
                          RECV_ATTR_LONG("a", &lval), ATTR_TYPE_END);
            vstream_fclose(in);
            htable_free(table, myfree);
            myfree(rcpt.address);
        }
    }
    vstring_free(str);
    vstring_free(data);
}

int main(void)
{
    msg_output(capture);
    RUN(every_type_round_trips_in_every_encoding);
    RUN(exact_wire_formats);
    RUN(plain_encoding_cannot_be_tricked_into_extra_attributes);
    RUN(unrequested_attributes_are_skipped_unless_extra);
    RUN(missing_attributes_end_the_list);
    RUN(more_flag_leaves_the_rest_of_the_list);
    RUN(handshake_mismatch_is_an_error);
    RUN(malformed_numbers_are_errors);
    RUN(truncated_input_is_an_error);
    RUN(oversized_names_and_values_are_refused);
    RUN(table_entry_limit);
    RUN(bad_base64_is_an_error);
    RUN(read_timeout_is_reported);
    RUN(garbage_never_crashes);
    return (TESTS_DONE());
}

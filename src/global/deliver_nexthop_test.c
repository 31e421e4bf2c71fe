/* deliver_nexthop_test - every recipient gets the next-hop status; done when asked */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deliver_nexthop.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"

static char topdir[] = "/tmp/deliver_nexthop_test.XXXXXX";

/* What the fake append function saw, and what it answers. */
static char seen[1000];
static int fail_rcpt = -1; /* index of a recipient whose record "cannot be written" */
static int calls;

/* fake_append - record "recipient status relay reason flags;" */
static int fake_append(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt,
                       const char *relay, DSN *dsn)
{
    size_t len = strlen(seen);

    snprintf(seen + len, sizeof(seen) - len, "%s %s %s %s %s %d;", id, rcpt->address, dsn->status,
             relay, dsn->reason, flags);
    return (calls++ == fail_rcpt ? -1 : 0);
}

/* make_request - a request with two recipients in a small queue file */
static void make_request(DELIVER_REQUEST *rq, const char *nexthop, int flags)
{
    VSTREAM *fp = vstream_fopen("qf", O_CREAT | O_TRUNC | O_RDWR, 0600);
    long r1, r2;

    rec_fputs(fp, REC_TYPE_FROM, "sender@example.com");
    r1 = (long)vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_RCPT, "one@example.com");
    r2 = (long)vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_RCPT, "two@example.com");
    rec_fputs(fp, REC_TYPE_END, "");
    vstream_fflush(fp);
    memset(rq, 0, sizeof(*rq));
    rq->fp = fp;
    rq->flags = flags;
    rq->queue_id = "ABC123";
    rq->nexthop = (char *)nexthop;
    recipient_list_init(&rq->rcpt_list, RCPT_LIST_INIT_STATUS);
    recipient_list_add(&rq->rcpt_list, r1, "", 0, "one@example.com", "one@example.com");
    recipient_list_add(&rq->rcpt_list, r2, "", 0, "two@example.com", "two@example.com");
    seen[0] = 0;
    calls = 0;
    fail_rcpt = -1;
}

/* record_types - the record types of the queue file, as a string */
static const char *record_types(void)
{
    static char types[16];
    VSTREAM *fp = vstream_fopen("qf", O_RDONLY, 0);
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

/* done_request - release what make_request() made */
static void done_request(DELIVER_REQUEST *rq)
{
    vstream_fclose(rq->fp);
    recipient_list_free(&rq->rcpt_list);
}

TEST(the_nexthop_code_details_the_default_class)
{
    DELIVER_REQUEST rq;

    make_request(&rq, "5.1.1 no such user", DEL_REQ_FLAG_BOUNCE);
    CHECK_INT(deliver_nexthop_all(&rq, "5.0.0", fake_append, DEL_REQ_FLAG_BOUNCE), 0);
    CHECK_STR(seen, "ABC123 one@example.com 5.1.1 none no such user 0;"
                    "ABC123 two@example.com 5.1.1 none no such user 0;");
    CHECK_STR(record_types(), "SDDE");
    done_request(&rq);
    /* retry: the class stays "try again" whatever the text says. */
    make_request(&rq, "5.1.1 no such user", DEL_REQ_FLAG_BOUNCE);
    CHECK_INT(deliver_nexthop_all(&rq, "4.0.0", fake_append, DEL_REQ_FLAG_BOUNCE), 0);
    CHECK_STR(seen, "ABC123 one@example.com 4.1.1 none no such user 0;"
                    "ABC123 two@example.com 4.1.1 none no such user 0;");
    done_request(&rq);
}

TEST(plain_text_gets_the_default_status_and_no_flag_no_marking)
{
    DELIVER_REQUEST rq;

    make_request(&rq, "discarded by policy", DEL_REQ_FLAG_BOUNCE);
    CHECK_INT(deliver_nexthop_all(&rq, "2.0.0", fake_append, DEL_REQ_FLAG_SUCCESS), 0);
    CHECK_STR(seen, "ABC123 one@example.com 2.0.0 none discarded by policy 0;"
                    "ABC123 two@example.com 2.0.0 none discarded by policy 0;");
    CHECK_STR(record_types(), "SRRE");
    done_request(&rq);
}

TEST(a_record_that_fails_is_not_marked_and_the_result_says_so)
{
    DELIVER_REQUEST rq;

    make_request(&rq, "4.4.1 later", DEL_REQ_FLAG_DEFLT);
    fail_rcpt = 0;
    CHECK(deliver_nexthop_all(&rq, "4.0.0", fake_append, DEL_REQ_FLAG_BOUNCE) != 0);
    CHECK_STR(record_types(), "SRDE");
    done_request(&rq);
}

TEST(trace_only_requests_pass_the_trace_flags_and_mark_nothing)
{
    DELIVER_REQUEST rq;
    char want[300];

    make_request(&rq, "ok", DEL_REQ_FLAG_DEFLT | DEL_REQ_FLAG_MTA_VRFY);
    CHECK_INT(deliver_nexthop_all(&rq, "2.0.0", fake_append, DEL_REQ_FLAG_SUCCESS), 0);
    snprintf(want, sizeof(want),
             "ABC123 one@example.com 2.0.0 none ok %d;ABC123 two@example.com 2.0.0 none ok %d;",
             DEL_REQ_FLAG_MTA_VRFY, DEL_REQ_FLAG_MTA_VRFY);
    CHECK_STR(seen, want);
    CHECK_STR(record_types(), "SRRE");
    done_request(&rq);
}

int main(int argc, char **argv)
{
    msg_stderr_init(argv[0]);
    if (mkdtemp(topdir) == 0 || chdir(topdir) < 0)
        msg_fatal("%s: %m", topdir);
    RUN(the_nexthop_code_details_the_default_class);
    RUN(plain_text_gets_the_default_status_and_no_flag_no_marking);
    RUN(a_record_that_fails_is_not_marked_and_the_result_says_so);
    RUN(trace_only_requests_pass_the_trace_flags_and_mark_nothing);
    (void)unlink("qf");
    (void)chdir("/");
    (void)rmdir(topdir);
    return (TESTS_DONE());
}

/* dsn_test - module tests for dsn, dsn_buf, dsn_util and dsn_mask */

#include <stdlib.h>

#include "dsn.h"
#include "dsn_buf.h"
#include "dsn_mask.h"
#include "dsn_util.h"
#include "mymalloc.h"
#include "testing.h"

TEST(status_codes_are_validated)
{
    CHECK_INT(dsn_valid("5.1.1"), 5);
    CHECK_INT(dsn_valid("4.7.123 text"), 7);
    CHECK_INT(dsn_valid("2.0.0"), 5);
    CHECK_INT(dsn_valid("5.123.123"), 9);
    CHECK_INT(dsn_valid("3.1.1"), 0);      /* no such class */
    CHECK_INT(dsn_valid("5.1234.1"), 0);   /* subject too long */
    CHECK_INT(dsn_valid("5.1."), 0);
    CHECK_INT(dsn_valid("5.1.1x"), 0);     /* must end at white space */
    CHECK_INT(dsn_valid("550 5.1.1"), 0);
    CHECK_INT(dsn_valid(""), 0);
}

TEST(split_finds_code_and_text)
{
    DSN_SPLIT dp;
    char *s;

    dsn_split(&dp, "4.0.0", "5.1.1 user unknown");
    CHECK_STR(dp.dsn.data, "4.1.1");        /* the temporary default wins the class */
    CHECK_STR(dp.text, "user unknown");
    dsn_split(&dp, "2.0.0", "5.1.1 user unknown");
    CHECK_STR(dp.dsn.data, "5.1.1");
    dsn_split(&dp, "5.0.0", "no code here");
    CHECK_STR(dp.dsn.data, "5.0.0");
    CHECK_STR(dp.text, "no code here");
    s = dsn_prepend("5.0.0", "mailbox full");
    CHECK_STR(s, "5.0.0 mailbox full");
    myfree(s);
    s = dsn_prepend("5.0.0", "5.2.2 mailbox full");
    CHECK_STR(s, "5.2.2 mailbox full");
    myfree(s);
}

TEST(notify_and_ret_masks)
{
    CHECK_INT(DSN_NOTIFY_NEVER, 1);
    CHECK_INT(DSN_NOTIFY_SUCCESS, 2);
    CHECK_INT(DSN_NOTIFY_FAILURE, 4);
    CHECK_INT(DSN_NOTIFY_DELAY, 8);
    CHECK_INT(DSN_RET_FULL, 1);
    CHECK_INT(DSN_RET_HDRS, 2);
    CHECK_INT(dsn_notify_mask("SUCCESS,FAILURE"), 6);
    CHECK_INT(dsn_notify_mask("delay"), 8);
    CHECK_INT(dsn_notify_mask("NEVER"), 1);
    CHECK_INT(dsn_notify_mask("NEVER,SUCCESS"), 0);
    CHECK_INT(dsn_notify_mask("SUCCESS,,DELAY"), 10);    /* empty elements are skipped, as Postfix does */
    CHECK_INT(dsn_notify_mask("SOMETIMES"), 0);
    CHECK_INT(dsn_notify_mask(""), 0);
    CHECK_STR(dsn_notify_str(14), "SUCCESS,FAILURE,DELAY");
    CHECK_STR(dsn_notify_str(1), "NEVER");
    CHECK_INT(dsn_ret_code("hdrs"), DSN_RET_HDRS);
    CHECK_INT(dsn_ret_code("FULL"), DSN_RET_FULL);
    CHECK_INT(dsn_ret_code("PART"), 0);
    CHECK_STR(dsn_ret_str(DSN_RET_HDRS), "HDRS");
}

TEST(dsn_create_copies_and_buf_updates)
{
    DSN *dsn = dsn_create("5.1.1", "failed", "unknown user", "smtp", "550 no", "dns", "mx.x");
    DSN_BUF *dsb = dsb_create();
    DSN *view;

    CHECK_STR(dsn->mname, "mx.x");
    dsn_free(dsn);
    dsb_simple(dsb, "4.3.0", "queue %s", "full");
    view = DSN_FROM_DSN_BUF(dsb);
    CHECK_STR(view->status, "4.3.0");
    CHECK_STR(view->reason, "queue full");
    CHECK_STR(view->dtype, "");
    dsb_unix(dsb, "5.3.0", "exit 1", "command failed");
    view = DSN_FROM_DSN_BUF(dsb);
    CHECK_STR(view->dtype, "x-unix");
    CHECK_STR(view->dtext, "exit 1");
    dsb_update(dsb, "5.1.1", "failed", "dns", "mx.example", "smtp", "550 5.1.1 no", "host said %d",
               550);
    view = DSN_FROM_DSN_BUF(dsb);
    CHECK_STR(view->mtype, "dns");
    CHECK_STR(view->mname, "mx.example");
    CHECK_STR(view->reason, "host said 550");
    dsb_status(dsb, "4.1.1");
    CHECK_STR(DSN_FROM_DSN_BUF(dsb)->status, "4.1.1");
    dsb_free(dsb);
}

int main(void)
{
    RUN(status_codes_are_validated);
    RUN(split_finds_code_and_text);
    RUN(notify_and_ret_masks);
    RUN(dsn_create_copies_and_buf_updates);
    return (TESTS_DONE());
}

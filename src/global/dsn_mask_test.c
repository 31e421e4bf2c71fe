/*
 * dsn_mask_test - DSN NOTIFY lists and RET keywords.
 */

#include "dsn_mask.h"
#include "msg.h"
#include "testing.h"

TEST(notify)
{
    CHECK_INT(dsn_notify_mask("never"), DSN_NOTIFY_NEVER);
    CHECK_INT(dsn_notify_mask("success,delay"), DSN_NOTIFY_SUCCESS | DSN_NOTIFY_DELAY);
    CHECK_INT(dsn_notify_mask("Failure, DELAY success"), DSN_NOTIFY_ANY);
    CHECK_INT(dsn_notify_mask("never,success"), 0);
    CHECK_INT(dsn_notify_mask("bogus"), 0);
    CHECK_INT(dsn_notify_mask(""), 0);
    CHECK_STR(dsn_notify_str(DSN_NOTIFY_SUCCESS | DSN_NOTIFY_DELAY), "SUCCESS,DELAY");
}

TEST(ret)
{
    CHECK_INT(dsn_ret_code("full"), DSN_RET_FULL);
    CHECK_INT(dsn_ret_code("HDRS"), DSN_RET_HDRS);
    CHECK_INT(dsn_ret_code("headers"), 0);
    CHECK_STR(dsn_ret_str(DSN_RET_HDRS), "HDRS");
}

int main(int argc, char **argv)
{
    msg_stderr_init(argv[0]);
    RUN(notify);
    RUN(ret);
    return (TESTS_DONE());
}

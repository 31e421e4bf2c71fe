/*
 * user_acl_test - login-name lists: allow, deny, unknown UIDs, and a
 * failing table.
 */

#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

#include "msg.h"
#include "testing.h"
#include "user_acl.h"

/* unused_uid - a UID without a password file entry */
static uid_t unused_uid(void)
{
    uid_t uid;

    for (uid = 54321; getpwuid(uid) != 0; uid++)
        /* void */ ;
    return (uid);
}

TEST(root_by_name)
{
    CHECK(check_user_acl_byuid("authorized_submit_users", "static:anyone", 0) == 0);
    CHECK(check_user_acl_byuid("authorized_submit_users", "root", 0) == 0);
    CHECK_STR(check_user_acl_byuid("authorized_submit_users", "!root, static:anyone", 0), "root");
    CHECK_STR(check_user_acl_byuid("authorized_submit_users", "", 0), "root");
    CHECK_STR(check_user_acl_byuid("authorized_submit_users", "bin daemon", 0), "root");
}

TEST(unknown_uid)
{
    uid_t uid = unused_uid();

    CHECK_STR(check_user_acl_byuid("authorized_submit_users", "root", uid), "unknown");
    CHECK(check_user_acl_byuid("authorized_submit_users", "unknown", uid) == 0);
    CHECK(check_user_acl_byuid("authorized_submit_users", "inline:{unknown=x}", uid) == 0);
    CHECK_STR(check_user_acl_byuid("authorized_submit_users", "!unknown static:all", uid),
              "unknown");
}

int main(int argc, char **argv)
{
    msg_stderr_init(argv[0]);
    RUN(root_by_name);
    RUN(unknown_uid);
    return (TESTS_DONE());
}

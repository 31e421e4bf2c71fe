/*
 * login_sender_match_test - local_login_sender_maps patterns: any, null
 * sender, @domain, exact addresses, extensions, unknown users.
 */

#include "login_sender_match.h"
#include "msg.h"
#include "testing.h"

TEST(patterns)
{
    LOGIN_SENDER_MATCH *lsm = login_sender_create(
        "local_login_sender_maps",
        "inline:{ {root = *}, {alice = alice@example.com, <> @lists.example.com},"
        " {uid:1234 = robot} }",
        "+", "<>");

    CHECK_INT(login_sender_match(lsm, "root", "anyone@anywhere"), LSM_STAT_FOUND);
    CHECK_INT(login_sender_match(lsm, "root", ""), LSM_STAT_FOUND);
    CHECK_INT(login_sender_match(lsm, "alice", "alice@example.com"), LSM_STAT_FOUND);
    CHECK_INT(login_sender_match(lsm, "alice", "Alice@Example.COM"), LSM_STAT_FOUND);
    CHECK_INT(login_sender_match(lsm, "alice", "alice+tag@example.com"), LSM_STAT_FOUND);
    CHECK_INT(login_sender_match(lsm, "alice", ""), LSM_STAT_FOUND);
    CHECK_INT(login_sender_match(lsm, "alice", "owner@lists.example.com"), LSM_STAT_FOUND);
    CHECK_INT(login_sender_match(lsm, "alice", "bob@example.com"), LSM_STAT_NOTFOUND);
    CHECK_INT(login_sender_match(lsm, "alice", "alice"), LSM_STAT_NOTFOUND);
    CHECK_INT(login_sender_match(lsm, "alice", "x@sub.lists.example.com"), LSM_STAT_NOTFOUND);
    CHECK_INT(login_sender_match(lsm, "uid:1234", "robot"), LSM_STAT_FOUND);
    CHECK_INT(login_sender_match(lsm, "uid:1234", ""), LSM_STAT_NOTFOUND);
    CHECK_INT(login_sender_match(lsm, "mallory", "mallory"), LSM_STAT_NOTFOUND);
    login_sender_free(lsm);
}

TEST(no_delimiter)
{
    LOGIN_SENDER_MATCH *lsm = login_sender_create("local_login_sender_maps",
                                                  "inline:{alice=alice@example.com}", "", "<>");

    CHECK_INT(login_sender_match(lsm, "alice", "alice+tag@example.com"), LSM_STAT_NOTFOUND);
    login_sender_free(lsm);
}

TEST(default_allows_everyone)
{
    LOGIN_SENDER_MATCH *lsm = login_sender_create("local_login_sender_maps", "static:*", "+",
                                                  "<>");

    CHECK_INT(login_sender_match(lsm, "whoever", "someone@example.com"), LSM_STAT_FOUND);
    CHECK_INT(login_sender_match(lsm, "uid:99999", ""), LSM_STAT_FOUND);
    login_sender_free(lsm);
}

TEST(table_failure)
{
    LOGIN_SENDER_MATCH *lsm = login_sender_create("local_login_sender_maps", "fail:broken",
                                                  "+", "<>");

    CHECK(login_sender_match(lsm, "alice", "alice") < 0);
    login_sender_free(lsm);
}

int main(int argc, char **argv)
{
    msg_stderr_init(argv[0]);
    RUN(patterns);
    RUN(no_delimiter);
    RUN(default_allows_everyone);
    RUN(table_failure);
    return (TESTS_DONE());
}

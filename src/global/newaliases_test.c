/* newaliases_test - module tests for newaliases_argv */

#include "mymalloc.h"
#include "newaliases.h"
#include "testing.h"

TEST(argv_matches_reference_command_line)
{
    ARGV *argv = newaliases_argv(2, "hash:/etc/aliases, btree:/etc/more\tfoo");
    char *joined = argv_join(argv, "|");

    CHECK_STR(joined, "postalias|-v|-v|--|hash:/etc/aliases|btree:/etc/more|foo");
    CHECK_INT(argv->argc, 7);
    CHECK(argv->argv[argv->argc] == 0);
    myfree(joined);
    argv_free(argv);
}

TEST(empty_alias_database_runs_no_tables)
{
    ARGV *argv = newaliases_argv(0, "");

    CHECK_INT(argv->argc, 2);
    argv_free(argv);
}

int main(void)
{
    RUN(argv_matches_reference_command_line);
    RUN(empty_alias_database_runs_no_tables);
    return (TESTS_DONE());
}

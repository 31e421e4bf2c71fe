/* lock_type_test - lock method names and lists */

#include "lock_type.h"
#include "testing.h"

TEST(names_in_postconf_order)
{
    ARGV *names = lock_type_names();

    CHECK_INT(names->argc, 3);
    CHECK_STR(names->argv[0], "flock");
    CHECK_STR(names->argv[1], "fcntl");
    CHECK_STR(names->argv[2], "dotlock");
    argv_free(names);
}

TEST(lists_become_masks)
{
    VSTRING *why = vstring_alloc(10);

    CHECK_INT(lock_type_mask("fcntl, dotlock", why), LOCK_TYPE_FCNTL | LOCK_TYPE_DOTLOCK);
    CHECK_INT(lock_type_mask("flock", why), LOCK_TYPE_FLOCK);
    CHECK_INT(lock_type_mask(" flock\tfcntl,,dotlock ", why),
              LOCK_TYPE_FLOCK | LOCK_TYPE_FCNTL | LOCK_TYPE_DOTLOCK);
    CHECK_INT(lock_type_mask("", why), 0);
    CHECK_INT(lock_type_mask("fcntl, lockf", why), -1);
    CHECK_STR(vstring_str(why), "unknown lock type \"lockf\" in \"fcntl, lockf\"");
    vstring_free(why);
}

int main(void)
{
    RUN(names_in_postconf_order);
    RUN(lists_become_masks);
    return (TESTS_DONE());
}

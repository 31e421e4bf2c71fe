/* clean_env_test - module tests for clean_env and update_env */

#include <stdlib.h>

#include "clean_env.h"
#include "msg.h"
#include "testing.h"

extern char **environ;

/* env_count - number of environment entries */
static int env_count(void)
{
    int n = 0;

    /* clearenv() may leave environ null. */
    while (environ && environ[n])
        n++;
    return (n);
}

TEST(keeps_listed_names_and_sets_values)
{
    char *list[] = {"KEEP_ME", "MISSING", "TZ", "LANG=C", "MAIL_CONFIG=/etc/alt", 0};

    setenv("KEEP_ME", "kept value", 1);
    setenv("DROP_ME", "gone", 1);
    setenv("LD_PRELOAD", "/tmp/evil.so", 1);
    setenv("LANG", "de_DE.UTF-8", 1);
    unsetenv("TZ");
    clean_env(list);
    CHECK_STR(getenv("KEEP_ME"), "kept value");
    CHECK_STR(getenv("LANG"), "C");
    CHECK_STR(getenv("MAIL_CONFIG"), "/etc/alt");
    CHECK(getenv("DROP_ME") == 0);
    CHECK(getenv("LD_PRELOAD") == 0);
    CHECK(getenv("MISSING") == 0);
    CHECK(getenv("TZ") == 0);
    CHECK(getenv("PATH") == 0);
    CHECK_INT(env_count(), 3);
}

TEST(empty_list_empties_the_environment)
{
    char *list[] = {0};

    setenv("ANYTHING", "x", 1);
    clean_env(list);
    CHECK_INT(env_count(), 0);
}

TEST(update_env_only_sets)
{
    char *list[] = {"A=1", "B=two=2", "IGNORED_NAME", "=bad", 0};

    setenv("OTHER", "stays", 1);
    update_env(list);
    CHECK_STR(getenv("A"), "1");
    CHECK_STR(getenv("B"), "two=2");
    CHECK_STR(getenv("OTHER"), "stays");
    CHECK(getenv("IGNORED_NAME") == 0);
}

int main(void)
{
    RUN(keeps_listed_names_and_sets_values);
    RUN(empty_list_empties_the_environment);
    RUN(update_env_only_sets);
    return (TESTS_DONE());
}

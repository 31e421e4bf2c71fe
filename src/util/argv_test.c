/* argv_test - module tests for argv string vectors */

#include <stdlib.h>

#include "argv.h"
#include "mymalloc.h"
#include "testing.h"

/* joined - the vector as one "|"-separated string, in a static buffer */
static const char *joined(const ARGV *argvp)
{
    static char buf[1000];
    char *str = argv_join(argvp, "|");

    snprintf(buf, sizeof(buf), "%s", str);
    myfree(str);
    return (buf);
}

TEST(split_drops_empty_fields)
{
    ARGV *argvp = argv_split("  a, b,,c\td  ", ", \t");

    CHECK_INT(argvp->argc, 4);
    CHECK_STR(joined(argvp), "a|b|c|d");
    CHECK(argvp->argv[4] == 0);
    argv_free(argvp);

    argvp = argv_split(" , ", ", ");
    CHECK_INT(argvp->argc, 0);
    CHECK(argvp->argv[0] == 0);
    argv_free(argvp);
}

TEST(split_append_extends_a_vector)
{
    ARGV *argvp = argv_split("a b", " ");

    argv_split_append(argvp, "c:d", ":");
    CHECK_STR(joined(argvp), "a|b|c|d");
    argv_free(argvp);
}

TEST(splitq_keeps_braced_text_together)
{
    ARGV *argvp = argv_splitq("inline:{a, b}, x { y = 1 },z", ", ", "{}");

    CHECK_INT(argvp->argc, 4);
    CHECK_STR(argvp->argv[0], "inline:{a, b}");
    CHECK_STR(argvp->argv[1], "x");
    CHECK_STR(argvp->argv[2], "{ y = 1 }");
    CHECK_STR(argvp->argv[3], "z");
    argv_free(argvp);

    argvp = argv_splitq("{ {nested, list} }, after", ", ", "{}");
    CHECK_INT(argvp->argc, 2);
    CHECK_STR(argvp->argv[0], "{ {nested, list} }");
    CHECK_STR(argvp->argv[1], "after");
    argv_free(argvp);
}

TEST(add_and_addn_copy_strings)
{
    ARGV *argvp = argv_alloc(1);
    char text[] = "abcdef";
    int i;

    argv_add(argvp, text, "second", (char *)0);
    text[0] = 'X';
    argv_addn(argvp, "xyz123", 3);
    CHECK_STR(joined(argvp), "abcdef|second|xyz");
    for (i = 0; i < 100; i++)
        argv_add(argvp, "n", (char *)0);
    CHECK_INT(argvp->argc, 103);
    CHECK(argvp->argv[103] == 0);
    argv_free(argvp);
    argv_free((ARGV *)0);
}

TEST(insert_delete_truncate)
{
    ARGV *argvp = argv_split("b d", " ");

    argv_insert_one(argvp, 0, "a");
    argv_insert_one(argvp, 2, "c");
    argv_insert_one(argvp, argvp->argc, "e");
    CHECK_STR(joined(argvp), "a|b|c|d|e");
    CHECK(argvp->argv[5] == 0);
    argv_delete(argvp, 1, 2);
    CHECK_STR(joined(argvp), "a|d|e");
    CHECK(argvp->argv[3] == 0);
    argv_delete(argvp, 0, 0);
    CHECK_INT(argvp->argc, 3);
    argv_truncate(argvp, 10);
    CHECK_INT(argvp->argc, 3);
    argv_truncate(argvp, 1);
    CHECK_STR(joined(argvp), "a");
    CHECK(argvp->argv[1] == 0);
    argv_truncate(argvp, 0);
    CHECK_INT(argvp->argc, 0);
    CHECK(argvp->argv[0] == 0);
    argv_free(argvp);
}

TEST(sort_and_uniq)
{
    ARGV *argvp = argv_split("pear apple fig apple Zebra fig fig", " ");

    argv_sort(argvp);
    CHECK_STR(joined(argvp), "Zebra|apple|apple|fig|fig|fig|pear");
    argv_uniq(argvp);
    CHECK_STR(joined(argvp), "Zebra|apple|fig|pear");
    CHECK(argvp->argv[4] == 0);
    argv_free(argvp);
}

TEST(copy_and_join)
{
    ARGV *argvp = argv_split("x y z", " ");
    ARGV *copy = argv_copy(argvp);
    char *str;

    argv_free(argvp);
    str = argv_join(copy, ", ");
    CHECK_STR(str, "x, y, z");
    myfree(str);
    argv_truncate(copy, 0);
    str = argv_join(copy, ", ");
    CHECK_STR(str, "");
    myfree(str);
    argv_free(copy);
}

int main(void)
{
    RUN(split_drops_empty_fields);
    RUN(split_append_extends_a_vector);
    RUN(splitq_keeps_braced_text_together);
    RUN(add_and_addn_copy_strings);
    RUN(insert_delete_truncate);
    RUN(sort_and_uniq);
    RUN(copy_and_join);
    return (TESTS_DONE());
}

/* vstring_test - module tests for vstring */

#include "testing.h"
#include "vstring.h"

TEST(copy_and_append_grow_the_string)
{
    VSTRING *vp = vstring_alloc(1);
    int i;

    vstring_strcpy(vp, "abc");
    for (i = 0; i < 1000; i++)
        vstring_strcat(vp, "x");
    CHECK_INT(VSTRING_LEN(vp), 1003);
    CHECK_INT(vstring_str(vp)[1003], 0);
    CHECK(strncmp(vstring_str(vp), "abcxx", 5) == 0);
    vstring_free(vp);
}

TEST(sprintf_replaces_and_appends)
{
    VSTRING *vp = vstring_alloc(2);

    vstring_sprintf(vp, "%s-%d", "id", 42);
    CHECK_STR(vstring_str(vp), "id-42");
    vstring_sprintf_append(vp, "/%0300d", 7);
    CHECK_INT(VSTRING_LEN(vp), 5 + 1 + 300);
    vstring_sprintf(vp, "%c", 'z');
    CHECK_STR(vstring_str(vp), "z");
    vstring_free(vp);
}

TEST(binary_data_keeps_embedded_nulls)
{
    VSTRING *vp = vstring_alloc(4);

    vstring_memcpy(vp, "a\0b", 3);
    CHECK_INT(VSTRING_LEN(vp), 3);
    CHECK_INT(vstring_str(vp)[1], 0);
    VSTRING_ADDCH(vp, 'c');
    CHECK_INT(VSTRING_LEN(vp), 4);
    CHECK_INT(vstring_str(vp)[3], 'c');
    vstring_free(vp);
}

TEST(truncate_insert_and_export)
{
    VSTRING *vp = vstring_alloc(4);
    char *str;

    vstring_strcpy(vp, "hello world");
    vstring_truncate(vp, 5);
    CHECK_STR(vstring_str(vp), "hello");
    vstring_truncate(vp, 50);
    CHECK_STR(vstring_str(vp), "hello");
    vstring_insert(vp, 0, ">> ", 3);
    CHECK_STR(vstring_str(vp), ">> hello");
    vstring_strncat(vp, "!!!", 1);
    str = vstring_export(vp);
    CHECK_STR(str, ">> hello!");
    vp = vstring_import(str);
    CHECK_INT(VSTRING_LEN(vp), 9);
    vstring_free(vp);
}

int main(void)
{
    RUN(copy_and_append_grow_the_string);
    RUN(sprintf_replaces_and_appends);
    RUN(binary_data_keeps_embedded_nulls);
    RUN(truncate_insert_and_export);
    return (TESTS_DONE());
}

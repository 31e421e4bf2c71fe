/*
 * maps_test - table lists: order, first hit, a failing table stops the
 * search with a retry, fixed-only queries skip pattern tables, sharing.
 */

#include <stdio.h>
#include <string.h>

#include "dict.h"
#include "maps.h"
#include "msg.h"
#include "testing.h"
#include "vstring.h"

static VSTRING *warnings;

/* capture - collect warnings */
static void capture(int level, const char *text)
{
    vstring_sprintf_append(warnings, "%s%s\n", msg_level_prefix(level), text);
}

TEST(order_and_first_hit)
{
    MAPS *maps = maps_create("virtual_alias_maps",
                             "inline:{a=one, b=two}, inline:{ a=shadowed, c=three }"
                             " regexp:{ {/^d/ four} }",
                             DICT_FLAG_LOCK);

    CHECK_INT(maps->argv->argc, 3);
    CHECK_STR(maps_find(maps, "a", 0), "one");
    CHECK_STR(maps_find(maps, "c", 0), "three");
    CHECK_STR(maps_find(maps, "dx", 0), "four");
    CHECK(maps_find(maps, "zz", 0) == 0);
    CHECK_INT(maps->error, DICT_ERR_NONE);
    /* Fixed-string queries skip the regexp table. */
    CHECK(maps_find(maps, "dx", DICT_FLAG_FIXED) == 0);
    CHECK_STR(maps_find(maps, "c", DICT_FLAG_FIXED), "three");
    CHECK(maps_find(maps, "", 0) == 0);
    maps_free(maps);
}

TEST(failure_in_the_middle)
{
    MAPS *maps = maps_create("transport_maps", "inline:{a=one}, fail:broken, inline:{b=two}",
                             DICT_FLAG_LOCK);

    VSTRING_RESET(warnings);
    CHECK_STR(maps_find(maps, "a", 0), "one");
    CHECK_INT(maps->error, DICT_ERR_NONE);
    /* b is in the third table, but the second one failed: retry, not found. */
    CHECK(maps_find(maps, "b", 0) == 0);
    CHECK_INT(maps->error, DICT_ERR_RETRY);
    CHECK_STR(vstring_str(warnings), "warning: fail:broken lookup error for \"b\"\n");
    CHECK_STR(maps_find(maps, "a", 0), "one");
    CHECK_INT(maps->error, DICT_ERR_NONE);
    maps_free(maps);
}

TEST(empty_result_is_an_error)
{
    MAPS *maps = maps_create("canonical_maps", "regexp:{ {/x/} }", DICT_FLAG_LOCK);

    VSTRING_RESET(warnings);
    CHECK(maps_find(maps, "x", 0) == 0);
    CHECK_INT(maps->error, DICT_ERR_CONFIG);
    CHECK(strstr(vstring_str(warnings),
                 "warning: canonical_maps lookup of x returns an empty string result\n") != 0);
    maps_free(maps);
}

TEST(shared_tables)
{
    MAPS *one = maps_create("one", "inline:{k=v}", DICT_FLAG_LOCK);
    MAPS *two = maps_create("two", "inline:{k=v}", DICT_FLAG_LOCK);

    CHECK(dict_handle(one->argv->argv[0]) == dict_handle(two->argv->argv[0]));
    maps_free(one);
    CHECK_STR(maps_find(two, "k", 0), "v");
    maps_free(two);
}

int main(void)
{
    warnings = vstring_alloc(100);
    msg_output_reset();
    msg_output(capture);
    RUN(order_and_first_hit);
    RUN(failure_in_the_middle);
    RUN(empty_result_is_an_error);
    RUN(shared_tables);
    return (TESTS_DONE());
}

/* htable_test - module tests for htable */

#include <stdlib.h>

#include "htable.h"
#include "mymalloc.h"
#include "testing.h"

static int freed;

/* count_free - value destructor that counts its calls */
static void count_free(void *value)
{
    freed++;
    myfree(value);
}

TEST(enter_find_delete)
{
    HTABLE *table = htable_create(0);
    HTABLE_INFO *ht;
    int one = 1, two = 2;

    ht = htable_enter(table, "one", &one);
    CHECK_STR(ht->key, "one");
    CHECK(ht->value == &one);
    htable_enter(table, "two", &two);
    CHECK_INT(table->used, 2);
    CHECK(htable_find(table, "one") == &one);
    CHECK(htable_find(table, "two") == &two);
    CHECK(htable_find(table, "three") == 0);
    CHECK(htable_find(table, "ONE") == 0);
    CHECK(htable_locate(table, "two")->value == &two);

    /* Replacing a value goes through htable_locate. */
    htable_locate(table, "one")->value = &two;
    CHECK(htable_find(table, "one") == &two);

    htable_delete(table, "one", 0);
    CHECK(htable_find(table, "one") == 0);
    CHECK_INT(table->used, 1);
    htable_delete(table, "absent", 0);
    CHECK_INT(table->used, 1);
    htable_free(table, 0);
}

TEST(empty_key_is_a_key)
{
    HTABLE *table = htable_create(5);
    int v;

    htable_enter(table, "", &v);
    CHECK(htable_find(table, "") == &v);
    htable_free(table, 0);
}

TEST(grows_to_ten_thousand_entries)
{
    HTABLE *table = htable_create(1);
    size_t start_size = table->size;
    char key[32];
    int i, bad = 0;

    for (i = 0; i < 10000; i++) {
        snprintf(key, sizeof(key), "key%d", i);
        htable_enter(table, key, mystrdup(key));
    }
    CHECK_INT(table->used, 10000);
    CHECK(table->size > start_size);
    CHECK(table->size >= 5000);
    for (i = 0; i < 10000; i++) {
        const char *val;

        snprintf(key, sizeof(key), "key%d", i);
        if ((val = htable_find(table, key)) == 0 || strcmp(val, key) != 0)
            bad++;
    }
    CHECK_INT(bad, 0);
    freed = 0;
    for (i = 0; i < 10000; i += 2) {
        snprintf(key, sizeof(key), "key%d", i);
        htable_delete(table, key, count_free);
    }
    CHECK_INT(freed, 5000);
    CHECK_INT(table->used, 5000);
    CHECK(htable_find(table, "key2") == 0);
    CHECK_STR(htable_find(table, "key3"), "key3");
    freed = 0;
    htable_free(table, count_free);
    CHECK_INT(freed, 5000);
}

TEST(list_and_list_sorted)
{
    HTABLE *table = htable_create(3);
    HTABLE_INFO **list;
    const char *keys[] = {"pear", "apple", "fig", "banana", "cherry"};
    int i, n;

    for (i = 0; i < 5; i++)
        htable_enter(table, keys[i], (void *)keys[i]);
    list = htable_list(table);
    for (n = 0; list[n]; n++)
        CHECK(list[n]->value == htable_find(table, list[n]->key));
    CHECK_INT(n, 5);
    myfree(list);
    list = htable_list_sorted(table);
    CHECK_STR(list[0]->key, "apple");
    CHECK_STR(list[1]->key, "banana");
    CHECK_STR(list[2]->key, "cherry");
    CHECK_STR(list[3]->key, "fig");
    CHECK_STR(list[4]->key, "pear");
    CHECK(list[5] == 0);
    myfree(list);
    htable_free(table, 0);

    table = htable_create(0);
    list = htable_list_sorted(table);
    CHECK(list[0] == 0);
    myfree(list);
    htable_free(table, 0);
    htable_free((HTABLE *)0, 0);
}

TEST(hash_is_within_range_and_stable)
{
    CHECK(htable_hash("abc", 13) < 13);
    CHECK_INT(htable_hash("abc", 1000003), htable_hash("abc", 1000003));
    CHECK(htable_hash("abc", 1000003) != htable_hash("abd", 1000003));
}

int main(void)
{
    RUN(enter_find_delete);
    RUN(empty_key_is_a_key);
    RUN(grows_to_ten_thousand_entries);
    RUN(list_and_list_sorted);
    RUN(hash_is_within_range_and_stable);
    return (TESTS_DONE());
}

/* queue_id_test - module tests for queue ids */

#include "queue_id.h"
#include "testing.h"

TEST(short_id_is_five_hex_usec_digits_then_hex_inode)
{
    VSTRING *buf = vstring_alloc(10);
    struct timeval tv = {1169404379, 0xDE040};
    unsigned long ino;

    CHECK_STR(queue_id_short(buf, &tv, 0x290405), "DE040290405");
    tv.tv_usec = 0x40;
    CHECK_STR(queue_id_short(buf, &tv, 0xA), "00040A");
    CHECK(queue_id_ok("DE040290405"));
    CHECK(queue_id_inode("DE040290405", &ino) == 0);
    CHECK_INT(ino, 0x290405);
    vstring_free(buf);
}

TEST(long_id_has_base52_time_separator_and_base51_inode)
{
    VSTRING *buf = vstring_alloc(10);
    struct timeval tv = {1700000000, 999999};
    unsigned long ino;
    const char *id = queue_id_long(buf, &tv, 123456789);

    CHECK(queue_id_is_long(id));
    CHECK(queue_id_ok(id));
    CHECK_INT(strchr(id, 'z') - id, 6 + 4);
    CHECK(strpbrk(id, "aeiouAEIOU") == 0);
    CHECK(queue_id_inode(id, &ino) == 0);
    CHECK_INT(ino, 123456789);
    vstring_free(buf);
}

TEST(long_ids_round_trip_even_with_z_in_the_time_part)
{
    VSTRING *buf = vstring_alloc(10);
    struct timeval tv;
    unsigned long ino;
    int i, bad = 0, with_z = 0;

    for (i = 0; i < 100000; i++) {
        tv.tv_sec = 1700000000L + (long) i * 7919;
        tv.tv_usec = ((long) i * 104729) % 1000000;
        queue_id_long(buf, &tv, 1000 + i * 31);
        if (strchr(vstring_str(buf), 'z') != strrchr(vstring_str(buf), 'z'))
            with_z++;
        if (!queue_id_ok(vstring_str(buf)) || queue_id_inode(vstring_str(buf), &ino) != 0
            || ino != (unsigned long) (1000 + i * 31))
            bad++;
    }
    CHECK_INT(bad, 0);
    CHECK(with_z > 0);
    vstring_free(buf);
}

TEST(long_ids_sort_by_time)
{
    VSTRING *a = vstring_alloc(10), *b = vstring_alloc(10);
    struct timeval t1 = {1700000000, 5}, t2 = {1700000000, 6}, t3 = {1700000001, 0};

    queue_id_long(a, &t1, 99);
    queue_id_long(b, &t2, 1);
    CHECK(strcmp(vstring_str(a), vstring_str(b)) < 0);
    queue_id_long(a, &t3, 1);
    CHECK(strcmp(vstring_str(b), vstring_str(a)) < 0);
    vstring_free(a);
    vstring_free(b);
}

TEST(hash_directory_uses_hex_usec_for_both_forms)
{
    VSTRING *buf = vstring_alloc(10), *id = vstring_alloc(10);
    struct timeval tv = {1700000000, 0xDE040};

    CHECK_STR(queue_id_hash_dir(buf, "DE040290405", 1), "D/");
    CHECK_STR(queue_id_hash_dir(buf, "DE040290405", 2), "D/E/");
    CHECK_STR(queue_id_hash_dir(buf, "DE040290405", 0), "");
    queue_id_long(id, &tv, 77);
    CHECK_STR(queue_id_hash_dir(buf, vstring_str(id), 2), "D/E/");
    vstring_free(buf);
    vstring_free(id);
}

TEST(bad_ids_are_refused)
{
    CHECK(!queue_id_ok(""));
    CHECK(!queue_id_ok("../etc"));
    CHECK(!queue_id_ok("de040290405"));
    CHECK(!queue_id_ok("DE04"));
    CHECK(!queue_id_ok("3Xy7Bz"));
    CHECK(!queue_id_ok("4Kq9xQ3ABCDzz1"));
    CHECK(!queue_id_ok("4Kq9xQ3ABCaz1"));
    CHECK(!queue_id_ok("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"));
}

TEST(reinode_keeps_time_and_replaces_inode)
{
    VSTRING *buf = vstring_alloc(20);
    VSTRING *id = vstring_alloc(20);
    struct timeval tv = {1700000000, 0x4A1B2};
    unsigned long inode;

    CHECK_STR(queue_id_reinode(buf, "4A1B2C3D", 0xA76595, 0), "4A1B2A76595");
    queue_id_long(id, &tv, 12345);
    queue_id_reinode(buf, vstring_str(id), 777, 1);
    CHECK(queue_id_is_long(vstring_str(buf)));
    CHECK_INT(queue_id_inode(vstring_str(buf), &inode), 0);
    CHECK_INT(inode, 777);
    CHECK_INT(strncmp(vstring_str(buf), vstring_str(id), strrchr(vstring_str(id), 'z') - vstring_str(id)), 0);
    CHECK_STR(queue_id_reinode(buf, vstring_str(id), 0xABC, 0), "4A1B2ABC");
    vstring_free(buf);
    vstring_free(id);
}

int main(void)
{
    RUN(short_id_is_five_hex_usec_digits_then_hex_inode);
    RUN(long_id_has_base52_time_separator_and_base51_inode);
    RUN(long_ids_round_trip_even_with_z_in_the_time_part);
    RUN(long_ids_sort_by_time);
    RUN(hash_directory_uses_hex_usec_for_both_forms);
    RUN(bad_ids_are_refused);
    RUN(reinode_keeps_time_and_replaces_inode);
    return (TESTS_DONE());
}

/* dict_db_test - module tests for hash: and btree: tables and the mkmap writer */

#include <db.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dict.h"
#include "mkmap.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "testing.h"

static jmp_buf fatal_jmp;
static char last_msg[4096];
static char tmpdir[] = "/tmp/dict_db_test.XXXXXX";

/* capture - remember the last message */
static void capture(int level, const char *text)
{
    snprintf(last_msg, sizeof(last_msg), "%s", text);
}

/* fatal_exit - turn msg_fatal into a longjmp */
static void fatal_exit(int status)
{
    longjmp(fatal_jmp, 1);
}

/* path_of - a file in the scratch directory (static buffer) */
static const char *path_of(const char *name)
{
    static char buf[256];

    snprintf(buf, sizeof(buf), "%s/%s", tmpdir, name);
    return (buf);
}

/* fixture - a file under tests/fixtures/dict, found from the test's cwd */
static const char *fixture(const char *name)
{
    static char buf[1024];
    const char *ups[] = {"", "../", "../../", "../../../", "../../../../"};
    struct stat st;
    size_t i;

    for (i = 0; i < sizeof(ups) / sizeof(ups[0]); i++) {
        snprintf(buf, sizeof(buf), "%stests/fixtures/dict/%s", ups[i], name);
        if (stat(buf, &st) == 0)
            return (buf);
    }
    return (name);
}

/* build - make a table from key/value pairs with mkmap */
static void build(const char *type, const char *name, int dict_flags, const char **pairs)
{
    MKMAP *mkmap = mkmap_open(type, path_of(name), O_RDWR | O_CREAT | O_TRUNC, dict_flags);

    for (; pairs[0]; pairs += 2)
        mkmap_append(mkmap, pairs[0], pairs[1]);
    mkmap_close(mkmap);
}

/* raw_get - look a key up with Berkeley DB directly; value bytes or null */
static int raw_get(const char *file, DBTYPE type, const char *key, size_t klen, char *out,
                   size_t outlen)
{
    DB *db;
    DBT k, v;
    int found;

    if (db_create(&db, 0, 0) != 0 || db->open(db, 0, file, 0, type, DB_RDONLY, 0) != 0)
        return (-1);
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    k.data = (void *)key;
    k.size = klen;
    found = (db->get(db, 0, &k, &v, 0) == 0);
    if (found && v.size <= outlen)
        memcpy(out, v.data, v.size);
    db->close(db, 0);
    return (found ? (int)v.size : 0);
}

static const char *sample[] = {
    "Example.COM",
    "relay:[mx.example.com]",
    "user@example.org",
    "OK",
    "\"quoted key\"",
    "value with  blanks",
    0,
};

TEST(hash_build_and_query_with_folding)
{
    DICT *dict;

    build("hash", "h1", DICT_FLAG_DUP_WARN | DICT_FLAG_FOLD_FIX, sample);
    dict = dict_open3("hash", path_of("h1"), O_RDONLY, DICT_FLAG_FOLD_FIX);
    CHECK_STR(dict_get(dict, "EXAMPLE.com"), "relay:[mx.example.com]");
    CHECK_STR(dict_get(dict, "\"quoted key\""), "value with  blanks");
    CHECK(dict_get(dict, "nope") == 0);
    CHECK_INT(dict->error, DICT_ERR_NONE);
    CHECK_STR(dict->name, path_of("h1.db"));
    dict_close(dict);
    /* Without folding the stored (folded) key does not match mixed case. */
    dict = dict_open3("hash", path_of("h1"), O_RDONLY, 0);
    CHECK(dict_get(dict, "Example.COM") == 0);
    CHECK_STR(dict_get(dict, "example.com"), "relay:[mx.example.com]");
    dict_close(dict);
}

TEST(stored_bytes_match_reference_layout)
{
    char val[100];

    build("hash", "h2", DICT_FLAG_FOLD_FIX, sample);
    /* Key and value both carry the trailing null, like the reference writes. */
    CHECK_INT(raw_get(path_of("h2.db"), DB_HASH, "user@example.org", 17, val, sizeof(val)), 3);
    CHECK(memcmp(val, "OK", 3) == 0);
    CHECK_INT(raw_get(path_of("h2.db"), DB_HASH, "user@example.org", 16, val, sizeof(val)), 0);
    /* -n style: no nulls anywhere. */
    build("btree", "b2", DICT_FLAG_TRY0NULL, sample);
    CHECK_INT(raw_get(path_of("b2.db"), DB_BTREE, "OK", 2, val, sizeof(val)), 0);
    CHECK_INT(raw_get(path_of("b2.db"), DB_BTREE, "user@example.org", 16, val, sizeof(val)), 2);
}

TEST(reads_reference_fixtures)
{
    static const char *files[][2] = {
        {"hash", "ref_hash"},
        {"btree", "ref_btree"},
        {"hash", "ref_nonull"},
    };
    char base[1024];
    DICT *dict;
    size_t i;

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(base, sizeof(base), "%s", fixture("ref_src"));
        *strrchr(base, '/') = 0;
        strcat(base, "/");
        strcat(base, files[i][1]);
        dict = dict_open3(files[i][0], base, O_RDONLY, DICT_FLAG_FOLD_FIX);
        CHECK_STR(dict_get(dict, "Example.com"), "relay:[mx.example.com]");
        CHECK_STR(dict_get(dict, "long"), "v1  continued");
        CHECK_STR(dict_get(dict, "\"quoted key\""), "value with  blanks");
        CHECK(dict_get(dict, "missing") == 0);
        dict_close(dict);
    }
    snprintf(base, sizeof(base), "%s", fixture("ref_alias"));
    dict = dict_open3("hash", base, O_RDONLY, DICT_FLAG_FOLD_FIX);
    CHECK_STR(dict_get(dict, "postmaster"), "root");
    CHECK_STR(dict_get(dict, "@"), "@");
    CHECK_STR(dict_get(dict, "root"), "admin, \"|/bin/cat\", /tmp/file");
    dict_close(dict);
}

TEST(duplicates_warn_ignore_replace)
{
    const char *dups[] = {"k", "first", "K", "second", 0};
    DICT *dict;

    last_msg[0] = 0;
    build("hash", "d1", DICT_FLAG_DUP_WARN | DICT_FLAG_FOLD_FIX, dups);
    CHECK_STR(last_msg, concatenate(path_of("d1.db"), ": duplicate entry: \"k\"", (char *)0));
    dict = dict_open3("hash", path_of("d1"), O_RDONLY, DICT_FLAG_FOLD_FIX);
    CHECK_STR(dict_get(dict, "k"), "first");
    dict_close(dict);
    last_msg[0] = 0;
    build("hash", "d2", DICT_FLAG_DUP_REPLACE | DICT_FLAG_FOLD_FIX, dups);
    CHECK_STR(last_msg, "");
    dict = dict_open3("hash", path_of("d2"), O_RDONLY, DICT_FLAG_FOLD_FIX);
    CHECK_STR(dict_get(dict, "k"), "second");
    dict_close(dict);
}

TEST(incremental_update_delete_sequence)
{
    DICT *dict;
    MKMAP *mkmap;
    const char *k, *v;
    int n = 0;

    build("btree", "u1", DICT_FLAG_FOLD_FIX, sample);
    mkmap = mkmap_open("btree", path_of("u1"), O_RDWR | O_CREAT, DICT_FLAG_DUP_REPLACE);
    mkmap_append(mkmap, "new", "entry");
    mkmap_close(mkmap);
    dict = dict_open3("btree", path_of("u1"), O_RDWR, DICT_FLAG_LOCK);
    CHECK_STR(dict_get(dict, "new"), "entry");
    CHECK_INT(dict_del(dict, "user@example.org"), DICT_STAT_SUCCESS);
    CHECK_INT(dict_del(dict, "user@example.org"), DICT_STAT_FAIL);
    CHECK_INT(dict_seq(dict, DICT_SEQ_FUN_FIRST, &k, &v), DICT_STAT_SUCCESS);
    CHECK_STR(k, "\"quoted key\""); /* btree order */
    for (n = 1; dict_seq(dict, DICT_SEQ_FUN_NEXT, &k, &v) == DICT_STAT_SUCCESS; n++)
        /* void */;
    CHECK_INT(n, 3);
    dict_close(dict);
}

TEST(rebuild_replaces_file_and_is_detected)
{
    const char *one[] = {"a", "1", 0};
    const char *two[] = {"a", "2", 0};
    struct stat before, after;
    DICT *dict;

    build("hash", "r1", 0, one);
    CHECK(stat(path_of("r1.db"), &before) == 0);
    CHECK(chmod(path_of("r1.db"), 0640) == 0);
    dict = dict_open3("hash", path_of("r1"), O_RDONLY, 0);
    dict_register("hash:r1", dict);
    CHECK(dict_changed_name() == 0);
    build("hash", "r1", 0, two);
    CHECK(stat(path_of("r1.db"), &after) == 0);
    CHECK(before.st_ino != after.st_ino);
    CHECK_INT(after.st_mode & 0777, 0640);
    CHECK_STR(dict_changed_name(), "hash:r1");
    /* The open table still answers from the old file. */
    CHECK_STR(dict_get(dict, "a"), "1");
    dict_unregister("hash:r1");
    CHECK(access(path_of("r1.db.tmp"), F_OK) < 0);
}

TEST(open_errors)
{
    int fd;
    char junk[20000];
    size_t i;

    dict_allow_surrogate = 0;
    if (setjmp(fatal_jmp) == 0) {
        dict_open3("hash", path_of("nonexistent"), O_RDONLY, 0);
        CHECK(0);
    }
    CHECK_STR(last_msg, concatenate("open database ", path_of("nonexistent.db"),
                                    ": No such file or directory", (char *)0));
    /* Garbage and empty files are refused, not crashed on. */
    srandom(1);
    for (i = 0; i < sizeof(junk); i++)
        junk[i] = (char)random();
    fd = open(path_of("junk.db"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(write(fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk));
    close(fd);
    if (setjmp(fatal_jmp) == 0) {
        dict_open3("hash", path_of("junk"), O_RDONLY, 0);
        CHECK(0);
    }
    CHECK_STR(last_msg,
              concatenate("open database ", path_of("junk.db"), ": Invalid argument", (char *)0));
    close(open(path_of("empty.db"), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    if (setjmp(fatal_jmp) == 0) {
        dict_open3("btree", path_of("empty"), O_RDONLY, 0);
        CHECK(0);
    }
    CHECK_STR(last_msg,
              concatenate("open database ", path_of("empty.db"), ": Invalid argument", (char *)0));
    if (setjmp(fatal_jmp) == 0) {
        mkmap_open("texthash", path_of("x"), O_RDWR | O_CREAT | O_TRUNC, 0);
        CHECK(0);
    }
    CHECK_STR(last_msg, "unsupported map type for this operation: texthash");
}

TEST(surrogate_for_daemons_on_missing_file)
{
    DICT *dict;

    dict_allow_surrogate = 1;
    dict = dict_open3("hash", path_of("missing"), O_RDONLY, DICT_FLAG_LOCK);
    CHECK(dict_get(dict, "x") == 0);
    CHECK_INT(dict->error, DICT_ERR_CONFIG);
    dict_close(dict);
    dict_allow_surrogate = 0;
}

int main(void)
{
    int status;

    if (mkdtemp(tmpdir) == 0)
        return (1);
    msg_output(capture);
    msg_exit_hook(fatal_exit);
    RUN(hash_build_and_query_with_folding);
    RUN(stored_bytes_match_reference_layout);
    RUN(reads_reference_fixtures);
    RUN(duplicates_warn_ignore_replace);
    RUN(incremental_update_delete_sequence);
    RUN(rebuild_replaces_file_and_is_detected);
    RUN(open_errors);
    RUN(surrogate_for_daemons_on_missing_file);
    status = TESTS_DONE();
    if (status == 0) {
        char *cmd = concatenate("rm -rf ", tmpdir, (char *)0);

        if (system(cmd) != 0)
            status = 1;
        myfree(cmd);
    }
    return (status);
}

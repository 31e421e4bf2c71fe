/* mail_queue_test - module tests for queue paths and queue file creation */

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail_params.h"
#include "mail_queue.h"
#include "queue_id.h"
#include "testing.h"

static char topdir[] = "/tmp/mail_queue_test.XXXXXX";

/* setup - an empty queue tree, and the settings this module reads */
static void setup(int long_ids, int depth)
{
    static char names[] = "deferred, defer";

    var_hash_queue_names = names;
    var_hash_queue_depth = depth;
    var_enable_long_queue_ids = long_ids;
    if (chdir(topdir) < 0)
        exit(1);
    mkdir("incoming", 0700);
    mkdir("deferred", 0700);
}

TEST(hashed_and_flat_paths)
{
    VSTRING *buf = vstring_alloc(10);

    setup(0, 1);
    CHECK_STR(mail_queue_path(buf, "incoming", "DE040290405"), "incoming/DE040290405");
    CHECK_STR(mail_queue_path(buf, "deferred", "DE040290405"), "deferred/D/DE040290405");
    var_hash_queue_depth = 2;
    CHECK_STR(mail_queue_path(buf, "deferred", "DE040290405"), "deferred/D/E/DE040290405");
    CHECK_STR(mail_queue_dir(buf, "defer", "DE040290405"), "defer/D/E");
    CHECK(!mail_queue_name_ok("../x"));
    CHECK(!mail_queue_id_ok("../x"));
    vstring_free(buf);
}

TEST(enter_names_the_file_after_its_inode)
{
    struct timeval tv;
    struct stat st;
    VSTREAM *fp;
    const char *id;
    unsigned long ino;

    setup(0, 1);
    fp = mail_queue_enter("incoming", 0600, &tv);
    id = mail_queue_id_of(fp);
    CHECK(queue_id_ok(id));
    CHECK(fstat(vstream_fileno(fp), &st) == 0);
    CHECK(queue_id_inode(id, &ino) == 0);
    CHECK_INT(ino, st.st_ino);
    CHECK_INT(st.st_nlink, 1);                  /* temporary name is gone */
    CHECK_INT(st.st_mode & 07777, 0600);
    CHECK(access(vstream_path(fp), F_OK) == 0);
    vstream_fclose(fp);
}

TEST(long_ids_and_rename_into_hashed_queue)
{
    VSTREAM *fp;
    char id[QUEUE_ID_MAXLEN + 1];
    VSTRING *buf = vstring_alloc(10);

    setup(1, 1);
    fp = mail_queue_enter("incoming", 0600, 0);
    snprintf(id, sizeof(id), "%s", mail_queue_id_of(fp));
    vstream_fclose(fp);
    CHECK(queue_id_is_long(id));
    CHECK_INT(mail_queue_rename(id, "incoming", "deferred"), 0);
    CHECK(access(mail_queue_path(buf, "deferred", id), F_OK) == 0);
    CHECK(access(mail_queue_path(buf, "incoming", id), F_OK) != 0);
    fp = mail_queue_open("deferred", id, O_RDONLY, 0);
    CHECK(fp != 0);
    if (fp)
        vstream_fclose(fp);
    CHECK_INT(mail_queue_remove("deferred", id), 0);
    CHECK(mail_queue_open("deferred", id, O_RDONLY, 0) == 0);
    vstring_free(buf);
}

TEST(many_files_get_distinct_ids)
{
    char ids[200][QUEUE_ID_MAXLEN + 1];
    VSTREAM *fp;
    int i, j, dup = 0;

    setup(0, 1);
    for (i = 0; i < 200; i++) {
        fp = mail_queue_enter("incoming", 0600, 0);
        snprintf(ids[i], sizeof(ids[i]), "%s", mail_queue_id_of(fp));
        vstream_fclose(fp);
    }
    for (i = 0; i < 200; i++)
        for (j = i + 1; j < 200; j++)
            dup += strcmp(ids[i], ids[j]) == 0;
    CHECK_INT(dup, 0);
}

int main(void)
{
    if (mkdtemp(topdir) == 0)
        return (1);
    RUN(hashed_and_flat_paths);
    RUN(enter_names_the_file_after_its_inode);
    RUN(long_ids_and_rename_into_hashed_queue);
    RUN(many_files_get_distinct_ids);
    if (chdir("/") == 0 && fork() == 0)
        execlp("rm", "rm", "-rf", topdir, (char *) 0);
    return (TESTS_DONE());
}

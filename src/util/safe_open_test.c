/* safe_open_test - safe_open against the attacks it exists for */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safe_open.h"
#include "testing.h"

static char dir[] = "/tmp/safe_open_test.XXXXXX";
static char spool[256];  /* writable by everyone, like a mail spool */
static char mbox[300];   /* the file being delivered to */
static char victim[300]; /* what an attacker wants us to write */
static char other[300];

/* put - create a file with the given content */
static void put(const char *path, const char *text)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);

    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        exit(1);
    close(fd);
}

/* content - a file's content, or "(missing)" */
static const char *content(const char *path)
{
    static char buf[256];
    int fd = open(path, O_RDONLY);
    ssize_t n;

    if (fd < 0)
        return ("(missing)");
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n < 0 ? 0 : n] = 0;
    return (buf);
}

/* reset - an empty spool with a victim file outside it */
static void reset(void)
{
    unlink(mbox);
    unlink(other);
    rmdir(mbox);
    put(victim, "secret\n");
    safe_open_race_hook = 0;
}

/* refused - safe_open must fail with this reason and leave the victim alone */
static void refused(int flags, const char *reason)
{
    VSTRING *why = vstring_alloc(10);
    struct stat st;
    VSTREAM *fp;

    errno = 0;
    fp = safe_open(mbox, flags, 0600, &st, -1, -1, why);
    CHECK(fp == 0);
    if (fp)
        vstream_fclose(fp);
    CHECK_STR(vstring_str(why), reason);
    CHECK_INT(errno, EPERM);
    CHECK_STR(content(victim), "secret\n");
    vstring_free(why);
}

#define APPEND (O_WRONLY | O_APPEND | O_CREAT)

TEST(creates_a_new_file_exclusively)
{
    VSTRING *why = vstring_alloc(10);
    struct stat st;
    VSTREAM *fp;
    uid_t uid = getuid() == 0 ? 65534 : (uid_t)-1;

    reset();
    fp = safe_open(mbox, O_WRONLY | O_CREAT | O_EXCL, 0600, &st, uid, uid, why);
    CHECK(fp != 0);
    CHECK(S_ISREG(st.st_mode));
    if (getuid() == 0)
        CHECK_INT(st.st_uid, 65534);
    vstream_fputs("hello\n", fp);
    CHECK_INT(vstream_fclose(fp), 0);
    CHECK_STR(content(mbox), "hello\n");
    CHECK(safe_open(mbox, O_WRONLY | O_CREAT | O_EXCL, 0600, &st, -1, -1, why) == 0);
    CHECK_STR(vstring_str(why), "cannot create file exclusively: File exists");
    vstring_free(why);
}

TEST(opens_or_creates_a_mailbox)
{
    VSTRING *why = vstring_alloc(10);
    struct stat st;
    struct stat st2;
    VSTREAM *fp;

    reset();
    fp = safe_open(mbox, APPEND, 0600, &st, -1, -1, why);
    CHECK(fp != 0);
    vstream_fputs("one\n", fp);
    vstream_fclose(fp);
    fp = safe_open(mbox, APPEND, 0600, &st2, -1, -1, why);
    CHECK(fp != 0);
    CHECK(st.st_ino == st2.st_ino);
    vstream_fputs("two\n", fp);
    vstream_fclose(fp);
    CHECK_STR(content(mbox), "one\ntwo\n");
    fp = safe_open(mbox, O_WRONLY | O_TRUNC, 0600, &st, -1, -1, why);
    CHECK(fp != 0);
    CHECK_INT(st.st_size, 0);
    vstream_fclose(fp);
    CHECK_STR(content(mbox), "");
    unlink(mbox);
    CHECK(safe_open(mbox, O_RDONLY, 0, &st, -1, -1, why) == 0);
    CHECK_STR(vstring_str(why), "cannot open file: No such file or directory");
    CHECK_INT(errno, ENOENT);
    vstring_free(why);
}

TEST(refuses_a_symbolic_link)
{
    reset();
    CHECK(symlink(victim, mbox) == 0);
    refused(APPEND, "file is a symbolic link");
    refused(O_WRONLY | O_TRUNC, "file is a symbolic link");
    /* A dangling link must not make us create its target. */
    unlink(mbox);
    unlink(victim);
    CHECK(symlink(victim, mbox) == 0);
    CHECK(safe_open(mbox, APPEND, 0600, (struct stat *)0, -1, -1, (VSTRING *)0) == 0);
    CHECK_INT(errno, EPERM);
    CHECK_STR(content(victim), "(missing)");
    unlink(mbox);
}

TEST(refuses_a_hard_link)
{
    reset();
    CHECK(link(victim, mbox) == 0);
    refused(APPEND | O_TRUNC, "file has 2 hard links");
}

TEST(refuses_special_files_without_hanging)
{
    reset();
    CHECK(mkfifo(mbox, 0600) == 0);
    refused(APPEND, "file is not a regular file");
    unlink(mbox);
    CHECK(mkdir(mbox, 0700) == 0);
    refused(APPEND, "file is not a regular file");
    rmdir(mbox);
}

/* swap_in_symlink - the attacker replaces the checked file by a link */
static void swap_in_symlink(const char *path)
{
    if (unlink(path) < 0 || symlink(victim, path) < 0)
        exit(1);
}

/* swap_in_other_file - the attacker renames another file over the checked one */
static void swap_in_other_file(const char *path)
{
    put(other, "other\n");
    if (rename(other, path) < 0)
        exit(1);
}

/* add_hard_link - the attacker links the checked file elsewhere */
static void add_hard_link(const char *path)
{
    if (link(path, other) < 0)
        exit(1);
}

/* swap_in_fifo - the attacker replaces the checked file by a FIFO */
static void swap_in_fifo(const char *path)
{
    if (unlink(path) < 0 || mkfifo(path, 0600) < 0)
        exit(1);
}

TEST(refuses_a_file_swapped_after_the_check)
{
    reset();
    put(mbox, "mail\n");
    safe_open_race_hook = swap_in_symlink;
    refused(APPEND | O_TRUNC, "file status changed unexpectedly");
    reset();
    put(mbox, "mail\n");
    safe_open_race_hook = swap_in_other_file;
    refused(APPEND | O_TRUNC, "file status changed unexpectedly");
    CHECK_STR(content(mbox), "other\n");
    reset();
    put(mbox, "mail\n");
    safe_open_race_hook = add_hard_link;
    refused(APPEND | O_TRUNC, "file has 2 hard links");
    CHECK_STR(content(mbox), "mail\n");
    reset();
    put(mbox, "mail\n");
    safe_open_race_hook = swap_in_fifo;
    refused(O_WRONLY | O_APPEND, "file status changed unexpectedly");
    reset();
    put(mbox, "mail\n");
    safe_open_race_hook = swap_in_fifo;
    refused(O_RDWR, "file is not a regular file");
    reset();
}

TEST(root_owned_link_in_root_owned_directory_is_followed)
{
    char safe_dir[300];
    char link_path[400];
    VSTRING *why = vstring_alloc(10);
    struct stat st;
    VSTREAM *fp;

    if (getuid() != 0) {
        printf("  (not root; only root can make such a link)\n");
        vstring_free(why);
        return;
    }
    reset();
    snprintf(safe_dir, sizeof(safe_dir), "%s/rootonly", dir);
    CHECK(mkdir(safe_dir, 0755) == 0);
    snprintf(link_path, sizeof(link_path), "%s/link", safe_dir);
    put(other, "target\n");
    CHECK(symlink(other, link_path) == 0);
    fp = safe_open(link_path, O_RDONLY, 0, &st, -1, -1, why);
    CHECK(fp != 0);
    if (fp)
        vstream_fclose(fp);
    /* The same link where others may write is an attack. */
    CHECK(chmod(safe_dir, 0777) == 0);
    CHECK(safe_open(link_path, O_RDONLY, 0, &st, -1, -1, why) == 0);
    CHECK_STR(vstring_str(why), "file is a symbolic link");
    unlink(link_path);
    rmdir(safe_dir);
    vstring_free(why);
}

int main(void)
{
    int rc;
    char cmd[300];

    if (mkdtemp(dir) == 0) {
        perror("mkdtemp");
        return (1);
    }
    snprintf(spool, sizeof(spool), "%s/spool", dir);
    if (mkdir(spool, 0700) < 0 || chmod(spool, 01777) < 0)
        return (1);
    snprintf(mbox, sizeof(mbox), "%s/user", spool);
    snprintf(victim, sizeof(victim), "%s/victim", dir);
    snprintf(other, sizeof(other), "%s/other", spool);
    RUN(creates_a_new_file_exclusively);
    RUN(opens_or_creates_a_mailbox);
    RUN(refuses_a_symbolic_link);
    RUN(refuses_a_hard_link);
    RUN(refuses_special_files_without_hanging);
    RUN(refuses_a_file_swapped_after_the_check);
    RUN(root_owned_link_in_root_owned_directory_is_followed);
    rc = TESTS_DONE();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return (rc);
}

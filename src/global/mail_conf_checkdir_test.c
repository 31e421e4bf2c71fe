/*
 * mail_conf_checkdir_test - which directories a default main.cf authorizes.
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mail_conf_checkdir.h"
#include "msg.h"
#include "testing.h"

static char dir[] = "/tmp/mccd_test.XXXXXX";

/* write_main_cf - replace the test main.cf */
static void write_main_cf(const char *text)
{
    char path[100];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/main.cf", dir);
    if ((fp = fopen(path, "w")) == 0)
        msg_fatal("create %s: %m", path);
    fputs(text, fp);
    fclose(fp);
}

TEST(listed_directories)
{
    write_main_cf("# comment\n"
                  "alternate_config_directories = /etc/pf-a,\n"
                  "    /etc/pf-b\n"
                  "multi_instance_directories = /etc/pf-m1 /etc/pf-m2\n"
                  "other = /etc/pf-x\n");
    CHECK_INT(mail_conf_dir_listed(dir, "/etc/pf-a"), 1);
    CHECK_INT(mail_conf_dir_listed(dir, "/etc/pf-b"), 1);
    CHECK_INT(mail_conf_dir_listed(dir, "/etc/pf-m2"), 1);
    CHECK_INT(mail_conf_dir_listed(dir, "/etc/pf-x"), 0);
    CHECK_INT(mail_conf_dir_listed(dir, "/etc/pf"), 0);
    CHECK_INT(mail_conf_dir_listed(dir, "/etc/pf-a/"), 0);
}

TEST(no_expansion)
{
    write_main_cf("base = /etc/pf-a\nalternate_config_directories = $base\n");
    CHECK_INT(mail_conf_dir_listed(dir, "/etc/pf-a"), 0);
    CHECK_INT(mail_conf_dir_listed(dir, "$base"), 1);
}

int main(int argc, char **argv)
{
    char path[100];

    msg_stderr_init(argv[0]);
    if (mkdtemp(dir) == 0)
        msg_fatal("mkdtemp: %m");
    RUN(listed_directories);
    RUN(no_expansion);
    snprintf(path, sizeof(path), "%s/main.cf", dir);
    unlink(path);
    rmdir(dir);
    return (TESTS_DONE());
}

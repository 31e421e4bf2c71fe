/*
 * mail_conf_checkdir - the guard that keeps set-gid commands (postdrop,
 * postqueue) and "sendmail -C" from reading a configuration that the
 * invoking user wrote.
 *
 * A non-default configuration directory is accepted only when the default
 * main.cf (in the compiled-in config_directory, which only the
 * administrator can change) lists it in alternate_config_directories or
 * multi_instance_directories. The values are compared as written: $name
 * expansion is not done here, because expanding would mean trusting more
 * of the file than the one line.
 *
 * Exports:
 *   mail_conf_dir_listed(default_dir, dir)  1 when default_dir/main.cf lists dir
 *   mail_conf_checkdir(dir)                 fatal unless listed (the
 *                                           reference's two-line refusal)
 *   mail_conf_unsafe()                      1 when the process runs set-id
 *   mail_conf_check_env_dir()               the check for MAIL_CONFIG, done
 *                                           only for a set-id process that is
 *                                           not root: an unprivileged command
 *                                           gains nothing from a foreign
 *                                           configuration, and root may do
 *                                           anything anyway.
 *
 * Errors: a default main.cf that cannot be read is fatal.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail_conf.h"
#include "mail_conf_checkdir.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "readlline.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#define CONFIG_DIRS_NAME "alternate_config_directories"
#define MULTI_DIRS_NAME "multi_instance_directories"

/* mail_conf_dir_listed - does default_dir/main.cf authorize config_dir */
int mail_conf_dir_listed(const char *default_dir, const char *config_dir)
{
    char *path = concatenate(default_dir, "/main.cf", (char *) 0);
    VSTRING *buf = vstring_alloc(100);
    VSTREAM *fp;
    char *name;
    char *value;
    char *cp;
    int found = 0;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0)
        msg_fatal("open file %s: %m", path);
    while (found == 0 && readlline(buf, fp, (int *) 0) != 0) {
        if (split_nameval(vstring_str(buf), &name, &value) != 0)
            continue;
        if (strcmp(name, CONFIG_DIRS_NAME) != 0 && strcmp(name, MULTI_DIRS_NAME) != 0)
            continue;
        while (found == 0 && (cp = mystrtok(&value, ", \t\r\n")) != 0)
            if (strcmp(cp, config_dir) == 0)
                found = 1;
    }
    if (vstream_fclose(fp) != 0)
        msg_fatal("read file %s: %m", path);
    vstring_free(buf);
    myfree(path);
    return (found);
}

/* mail_conf_checkdir - refuse a configuration directory that is not listed */
void mail_conf_checkdir(const char *config_dir)
{
    if (mail_conf_dir_listed(DEF_CONFIG_DIRECTORY, config_dir) == 0) {
        msg_error("unauthorized configuration directory name: %s", config_dir);
        msg_fatal("specify \"%s = %s\" or \"%s = %s\" in %s/main.cf", CONFIG_DIRS_NAME,
                  config_dir, MULTI_DIRS_NAME, config_dir, DEF_CONFIG_DIRECTORY);
    }
}

/* mail_conf_unsafe - does this process run with set-uid or set-gid rights */
int mail_conf_unsafe(void)
{
    return (getuid() != geteuid() || getgid() != getegid());
}

/* mail_conf_check_env_dir - vet MAIL_CONFIG for a set-id process */
void mail_conf_check_env_dir(void)
{
    const char *dir = getenv("MAIL_CONFIG");

    if (dir != 0 && *dir != 0 && strcmp(dir, DEF_CONFIG_DIRECTORY) != 0
        && mail_conf_unsafe() && geteuid() != 0)
        mail_conf_checkdir(dir);
}

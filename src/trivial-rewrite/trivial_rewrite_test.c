/*
 * trivial_rewrite_test - the rewrite and resolve logic of trivial-rewrite,
 * without the daemon around it.
 *
 * Each scenario is a main.cf (plus table files) and a list of queries with
 * the answers that Postfix 3.7 gives for them. A scenario runs in a child
 * process, because the configuration is read once per process.
 *
 * With "-c dir" the program is a query tool instead: it reads dir/main.cf
 * and answers lines "rewrite local|remote ADDRESS" and "resolve|verify
 * SENDER|- ADDRESS" on standard input, one result line each.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mail_conf.h"
#include "mail_params.h"
#include "msg.h"
#include "testing.h"
#include "trivial-rewrite.h"
#include "vstream.h"
#include "vstring.h"

/* answer - one query line in, one result line out */
static void answer(const char *line, VSTRING *out)
{
    char *copy = strdup(line);
    char *cmd = copy;
    char *arg1;
    char *addr;
    VSTRING *result = vstring_alloc(100);
    VSTRING *channel = vstring_alloc(100);
    VSTRING *nexthop = vstring_alloc(100);
    int flags;

    if ((arg1 = strchr(cmd, ' ')) == 0) {
        vstring_sprintf(out, "bad query: %s", line);
    } else {
        *arg1++ = 0;
        if ((addr = strchr(arg1, ' ')) != 0)
            *addr++ = 0;
        else
            addr = "";
        if (strcmp(cmd, "rewrite") == 0) {
            rewrite_addr(strcmp(arg1, "remote") == 0 ? &rewrite_remote_context
                                                     : &rewrite_local_context,
                         addr, result);
            vstring_sprintf(out, "rewrite %s <%s> -> <%s>", arg1, addr, vstring_str(result));
        } else {
            resolve_addr(strcmp(cmd, "verify") == 0 ? resolve_verify : resolve_regular,
                         strcmp(arg1, "-") == 0 ? "" : arg1, addr, channel, nexthop, result,
                         &flags);
            vstring_sprintf(out, "%s <%s> -> %s | %s | %s | 0x%x", cmd, addr, vstring_str(channel),
                            vstring_str(nexthop), vstring_str(result), flags);
        }
    }
    vstring_free(result);
    vstring_free(channel);
    vstring_free(nexthop);
    free(copy);
}

/* configure - read main.cf from dir and open the tables */
static void configure(const char *dir)
{
    mail_conf_set_dir(dir);
    mail_conf_read();
    rewrite_init();
    resolve_init();
}

/* query_tool - the -c mode */
static int query_tool(const char *dir)
{
    VSTRING *line = vstring_alloc(100);
    VSTRING *out = vstring_alloc(100);

    configure(dir);
    while (vstring_get_nonl(line, VSTREAM_IN) != VSTREAM_EOF) {
        if (VSTRING_LEN(line) == 0 || vstring_str(line)[0] == '#')
            continue;
        answer(vstring_str(line), out);
        vstream_printf("%s\n", vstring_str(out));
        vstream_fflush(VSTREAM_OUT);
    }
    return (0);
}

static char topdir[] = "/tmp/trivial_rewrite_test.XXXXXX";
static int scenario_count;

/* write_file - create dir/name with text */
static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
        write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) < 0)
        msg_fatal("write %s: %m", path);
}

/*
 * scenario - run queries against a configuration. files: NULL-terminated
 * name, text pairs (main.cf among them; "$dir" in main.cf stands for the
 * scenario directory); expect: NULL-terminated query, answer pairs, where
 * the answer is what follows " -> " in the result line.
 */
static void scenario(const char **files, const char **expect)
{
    char dir[300];
    VSTRING *text = vstring_alloc(100);
    VSTRING *out = vstring_alloc(100);
    const char *cp;
    const char *arrow;
    int status;
    int failed = 0;
    pid_t pid;

    snprintf(dir, sizeof(dir), "%s/s%d", topdir, ++scenario_count);
    if (mkdir(dir, 0755) < 0)
        msg_fatal("mkdir %s: %m", dir);
    for (; files[0]; files += 2) {
        VSTRING_RESET(text);
        for (cp = files[1]; *cp; cp++) {
            if (strncmp(cp, "$dir", 4) == 0) {
                vstring_strcat(text, dir);
                cp += 3;
            } else {
                VSTRING_ADDCH(text, *cp);
            }
        }
        VSTRING_TERMINATE(text);
        write_file(dir, files[0], vstring_str(text));
    }
    fflush(stdout);
    if ((pid = fork()) == 0) {
        configure(dir);
        for (; expect[0]; expect += 2) {
            answer(expect[0], out);
            arrow = strstr(vstring_str(out), " -> ");
            if (arrow == 0 || strcmp(arrow + 4, expect[1]) != 0) {
                printf("  scenario %d: %s\n    expected: %s\n    got:      %s\n", scenario_count,
                       expect[0], expect[1], arrow ? arrow + 4 : vstring_str(out));
                failed++;
            }
        }
        fflush(stdout);
        _exit(failed > 100 ? 100 : failed);
    }
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        testing_failed_checks++;
    else
        testing_failed_checks += WEXITSTATUS(status);
    vstring_free(text);
    vstring_free(out);
}

#include "trivial_rewrite_cases.h"

int main(int argc, char **argv)
{
    char cmd[400];

    msg_stderr_init(argv[0]);
    if (argc == 3 && strcmp(argv[1], "-c") == 0)
        return (query_tool(argv[2]));
    if (mkdtemp(topdir) == 0)
        msg_fatal("mkdtemp: %m");
    RUN_ALL_CASES();
    snprintf(cmd, sizeof(cmd), "rm -rf %s", topdir);
    if (system(cmd) != 0)
        msg_warn("could not remove %s", topdir);
    return (TESTS_DONE());
}

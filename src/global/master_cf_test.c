/* master_cf_test - parsing master.cf entries, good and broken */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "argv.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "testing.h"
#include "vstring.h"

#include "master_cf.h"

static VSTRING *warnings;

static void capture(int level, const char *text)
{
    vstring_sprintf_append(warnings, "%s%s\n", msg_level_prefix(level), text);
}

/* parse_error - the reason a line is rejected */
static const char *parse_error(const char *line)
{
    static VSTRING *why;
    MASTER_CF_ENTRY *entry;

    if (why == 0)
        why = vstring_alloc(100);
    VSTRING_RESET(why);
    if ((entry = master_cf_parse(line, "/x/master.cf", 7, why)) != 0) {
        master_cf_entry_free(entry);
        return ("");
    }
    return (vstring_str(why));
}

TEST(test_good_entry)
{
    VSTRING *why = vstring_alloc(10);
    MASTER_CF_ENTRY *e;
    ARGV *names = argv_alloc(2), *values = argv_alloc(2);

    e = master_cf_parse("relay unix - n y 60? 5 smtp -v -o a=b -o { c = d e } "
                        "-o {f=g} x -o h=i",
                        "/x/master.cf", 3, why);
    CHECK(e != 0);
    CHECK_STR(e->name, "relay");
    CHECK_STR(e->type, "unix");
    CHECK_INT(e->private_flag, MASTER_CF_DEFAULT);
    CHECK_INT(e->unpriv_flag, 0);
    CHECK_INT(e->chroot_flag, 1);
    CHECK_INT(e->wakeup, 60);
    CHECK_INT(e->wakeup_if_used, 1);
    CHECK_INT(e->maxproc, 5);
    CHECK_INT(e->lineno, 3);
    CHECK_STR(master_cf_command(e), "smtp");
    CHECK_INT(e->argv->argc, 11);
    CHECK_STR(e->argv->argv[5], "c=d e");
    CHECK_STR(e->argv->argv[7], "f=g");
    /* Options end at the first non-option argument, as for getopt(). */
    CHECK_INT(master_cf_options(e, names, values), 3);
    CHECK_STR(names->argv[1], "c");
    CHECK_STR(values->argv[1], "d e");
    master_cf_entry_free(e);
    e = master_cf_parse("postlog unix-dgram n - n - 1 postlogd", "m", 1, why);
    CHECK(e != 0 && e->maxproc == 1 && e->wakeup == 0 && e->wakeup_if_used == 0);
    master_cf_entry_free(e);
    argv_free(names);
    argv_free(values);
    vstring_free(why);
}

TEST(test_broken_entries)
{
    CHECK_STR(parse_error("smtp inet n - y -"), "file /x/master.cf: line 7: bad field count");
    CHECK_STR(parse_error("smtp inet n - y - -"), "file /x/master.cf: line 7: bad field count");
    CHECK_STR(parse_error("smtp foo n - y - - smtpd"),
              "invalid type field \"foo\" in \"smtp foo n - y - - smtpd\"");
    CHECK_STR(parse_error("smtp inet x - y - - smtpd"),
              "invalid private field \"x\" in \"smtp inet x - y - - smtpd\"");
    CHECK_STR(parse_error("smtp inet n x y - - smtpd"),
              "invalid unprivileged field \"x\" in \"smtp inet n x y - - smtpd\"");
    CHECK_STR(parse_error("smtp inet n - x - - smtpd"),
              "invalid chroot field \"x\" in \"smtp inet n - x - - smtpd\"");
    CHECK_STR(parse_error("smtp inet n - y x - smtpd"),
              "invalid wakeup field \"x\" in \"smtp inet n - y x - smtpd\"");
    CHECK_STR(parse_error("smtp inet n - y - 1? smtpd"),
              "invalid process_limit field \"1?\" in \"smtp inet n - y - 1? smtpd\"");
    CHECK_STR(parse_error("smtp pass n - y - - smtpd"), "");
    CHECK_STR(parse_error("smtp fifo n - y - - smtpd"), "");
}

TEST(test_warnings)
{
    VSTRING_RESET(warnings);
    CHECK_STR(parse_error("smtp inet n - y - - smtpd { a b"), "");
    CHECK_STR(parse_error("smtp inet n - y - - smtpd -o {foo}"), "");
    CHECK_STR(vstring_str(warnings), "warning: master.cf: missing '}' in \"{ a b\"\n"
                                     "warning: master.cf: missing '=' after attribute name: "
                                     "\"foo\"\n");
}

TEST(test_read_file)
{
    char path[] = "/tmp/master_cf_test.XXXXXX";
    int fd = mkstemp(path);
    const char *text = "# comment\n  indented first\nsmtp inet n - y - - smtpd\n"
                       "  -o a=b\n\n# x\nbad inet n - y\n";
    VSTRING *why = vstring_alloc(10);
    MASTER_CF *mcf;

    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        perror("write");
    close(fd);
    VSTRING_RESET(warnings);
    mcf = master_cf_read(path, why);
    CHECK(mcf == 0);
    {
        char want[200];

        snprintf(want, sizeof(want), "file %s: line 7: bad field count", path);
        CHECK_STR(vstring_str(why), want);
        snprintf(want, sizeof(want),
                 "warning: %s: logical line must not start with whitespace: "
                 "\"  indented first\"\n",
                 path);
        CHECK_STR(vstring_str(warnings), want);
    }
    fd = open(path, O_WRONLY | O_TRUNC);
    text = "smtp inet n - y - - smtpd\n  -o a=b\npickup unix n - y 60 1 pickup\n";
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        perror("write");
    close(fd);
    mcf = master_cf_read(path, why);
    CHECK(mcf != 0 && mcf->count == 2);
    if (mcf) {
        CHECK_STR(mcf->entries[1]->name, "pickup");
        CHECK_INT(mcf->entries[1]->lineno, 3);
        CHECK_INT(master_cf_options(mcf->entries[0], 0, 0), 1);
        master_cf_free(mcf);
    }
    unlink(path);
    CHECK(master_cf_read(path, why) == 0);
    CHECK(strncmp(vstring_str(why), "open ", 5) == 0);
    vstring_free(why);
}

int main(int argc, char **argv)
{
    warnings = vstring_alloc(100);
    msg_output(capture);
    RUN(test_good_entry);
    RUN(test_broken_entries);
    RUN(test_warnings);
    RUN(test_read_file);
    return (TESTS_DONE());
}

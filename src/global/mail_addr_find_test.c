/*
 * mail_addr_find_test - the order of keys for each strategy, local versus
 * remote domains, extensions (several delimiters, names never split),
 * parent domains, errors, and real texthash/inline/regexp tables.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict.h"
#include "mail_addr_find.h"
#include "maps.h"
#include "msg.h"
#include "mymalloc.h"
#include "testing.h"
#include "vstring.h"

static VSTRING *asked;          /* keys the recording table saw */

/* rec_lookup - remember the key, answer for keys named "hit..." only */
static const char *rec_lookup(DICT *dict, const char *key)
{
    dict->error = DICT_ERR_NONE;
    vstring_sprintf_append(asked, "%s%s", VSTRING_LEN(asked) ? " " : "", key);
    return (strncmp(key, "hit", 3) == 0 ? "found" : 0);
}

/* rec_close - release the test table */
static void rec_close(DICT *dict)
{
    dict_free(dict);
}

/* rec_open - the "rec:" test table type */
static DICT *rec_open(const char *name, int open_flags, int dict_flags)
{
    DICT *dict = dict_alloc("rec", name, sizeof(*dict));

    dict->lookup = rec_lookup;
    dict->close = rec_close;
    dict->flags = dict_flags | DICT_FLAG_FIXED;
    return (dict);
}

/* is_local - "local.test" and "LOCAL.test" are ours; "broken.test" fails */
static int is_local(const char *domain, void *context)
{
    if (strcmp(domain, "broken.test") == 0)
        return (-1);
    return (strcasecmp(domain, "local.test") == 0);
}

static MAIL_ADDR_FIND_ENV env = {"+", 0, is_local, 0};

/* keys - the keys tried for one address */
static const char *keys(MAPS *maps, const char *addr, int strategy)
{
    VSTRING_RESET(asked);
    mail_addr_find(maps, addr, (char **) 0, strategy, &env);
    return (vstring_str(asked));
}

TEST(default_order)
{
    MAPS *maps = maps_create("virtual_alias_maps", "rec:one", 0);

    CHECK_STR(keys(maps, "user+ext@local.test", MA_FIND_DEFAULT),
              "user+ext@local.test user@local.test user+ext user @local.test");
    CHECK_STR(keys(maps, "user+ext@remote.test", MA_FIND_DEFAULT),
              "user+ext@remote.test user@remote.test @remote.test");
    CHECK_STR(keys(maps, "user@local.test", MA_FIND_DEFAULT), "user@local.test user @local.test");
    CHECK_STR(keys(maps, "user+ext", MA_FIND_DEFAULT), "user+ext user");
    maps_free(maps);
}

TEST(access_and_transport_order)
{
    MAPS *maps = maps_create("smtpd_access_maps", "rec:one", 0);

    CHECK_STR(keys(maps, "u+e@a.b.c", MA_FIND_ACCESS | MA_FIND_PDMS),
              "u+e@a.b.c u@a.b.c a.b.c b.c c u+e@ u@");
    CHECK_STR(keys(maps, "u+e@a.b.c", MA_FIND_ACCESS | MA_FIND_PDDMDS),
              "u+e@a.b.c u@a.b.c a.b.c .b.c .c u+e@ u@");
    CHECK_STR(keys(maps, "u@a.b.c", MA_FIND_TRANSPORT | MA_FIND_PDDMDS), "u@a.b.c a.b.c .b.c .c");
    CHECK_STR(keys(maps, "u@a.b.c", MA_FIND_TRANSPORT), "u@a.b.c a.b.c");
    maps_free(maps);
}

TEST(extensions)
{
    MAPS *maps = maps_create("canonical_maps", "rec:one", 0);
    MAIL_ADDR_FIND_ENV multi = {"+-", "double-bounce", is_local, 0};
    const char *result;
    char *ext;

    VSTRING_RESET(asked);
    mail_addr_find(maps, "a-b+c@remote.test", (char **) 0, MA_FIND_DEFAULT, &multi);
    CHECK_STR(vstring_str(asked), "a-b+c@remote.test a@remote.test @remote.test");
    VSTRING_RESET(asked);
    mail_addr_find(maps, "owner-list@remote.test", (char **) 0, MA_FIND_DEFAULT, &multi);
    CHECK_STR(vstring_str(asked), "owner-list@remote.test @remote.test");
    CHECK_INT(mail_addr_ext_offset("list-request", 12, "-", 0), 0);
    CHECK_INT(mail_addr_ext_offset("MAILER-DAEMON", 13, "-", 0), 0);
    CHECK_INT(mail_addr_ext_offset("double-bounce", 13, "-", 0), 0);
    CHECK_INT(mail_addr_ext_offset("bounce-me", 9, "-", "bounce-me"), 0);
    CHECK_INT(mail_addr_ext_offset("postmaster+x", 12, "+", 0), 10);
    CHECK_INT(mail_addr_ext_offset("+x", 2, "+", 0), 0);
    CHECK_INT(mail_addr_ext_offset("u+x", 3, "+", 0), 1);
    CHECK_INT(mail_addr_ext_offset("u+x", 3, "", 0), 0);

    /* Hit on the key without extension: the extension comes back. */
    result = mail_addr_find(maps, "hit+foo@remote.test", &ext, MA_FIND_DEFAULT, &env);
    CHECK_STR(result, "found");
    CHECK_STR(ext, 0);          /* the full key "hit+foo@..." matched first */
    result = mail_addr_find(maps, "hitx+foo@local.test", &ext, MA_FIND_DEFAULT, &env);
    CHECK_STR(result, "found");
    CHECK_STR(ext, 0);
    maps_free(maps);
}

TEST(real_tables)
{
    char path[] = "/tmp/mail_addr_find_test.XXXXXX";
    int fd = mkstemp(path);
    VSTRING *spec = vstring_alloc(100);
    MAPS *maps;
    const char *result;
    char *ext;

    CHECK(write(fd, "user@local.test  mailbox\n@remote.test catchall\nbob  bobby\n", 58) == 58);
    close(fd);
    vstring_sprintf(spec, "regexp:{ {/^full\\+x@/ by-regexp} }, texthash:%s", path);
    maps = maps_create("virtual_alias_maps", vstring_str(spec), DICT_FLAG_FOLD_FIX);

    result = mail_addr_find(maps, "user+box@local.test", &ext, MA_FIND_DEFAULT, &env);
    CHECK_STR(result, "mailbox");
    CHECK_STR(ext, "+box");
    myfree(ext);
    result = mail_addr_find(maps, "bob+x@LOCAL.test", &ext, MA_FIND_DEFAULT, &env);
    CHECK_STR(result, "bobby");
    CHECK_STR(ext, "+x");
    myfree(ext);
    result = mail_addr_find(maps, "bob@remote.test", &ext, MA_FIND_DEFAULT, &env);
    CHECK_STR(result, "catchall");
    CHECK_STR(ext, 0);
    result = mail_addr_find(maps, "full+x@remote.test", &ext, MA_FIND_DEFAULT, &env);
    CHECK_STR(result, "by-regexp");
    /* The regexp table never sees the key without extension. */
    CHECK_STR(mail_addr_find(maps, "full+y@elsewhere.test", &ext, MA_FIND_DEFAULT, &env), 0);
    CHECK_INT(maps->error, DICT_ERR_NONE);
    maps_free(maps);
    unlink(path);
    vstring_free(spec);
}

TEST(errors)
{
    MAPS *maps = maps_create("virtual_alias_maps", "inline:{x=y}, fail:down", 0);
    MAPS *rec = maps_create("virtual_alias_maps", "rec:one", 0);

    CHECK_STR(mail_addr_find(maps, "x", (char **) 0, MA_FIND_DEFAULT, &env), "y");
    CHECK_STR(mail_addr_find(maps, "u@remote.test", (char **) 0, MA_FIND_DEFAULT, &env), 0);
    CHECK_INT(maps->error, DICT_ERR_RETRY);
    /* An undecidable "is it local" is a retry too, and stops the search. */
    CHECK_STR(keys(rec, "u@broken.test", MA_FIND_DEFAULT), "u@broken.test");
    CHECK_INT(rec->error, DICT_ERR_RETRY);
    maps_free(maps);
    maps_free(rec);
}

/* quiet - drop the warnings that the error tests provoke */
static void quiet(int level, const char *text)
{
}

int main(void)
{
    asked = vstring_alloc(100);
    dict_open_register("rec", rec_open);
    msg_output_reset();
    msg_output(quiet);
    RUN(default_order);
    RUN(access_and_transport_order);
    RUN(extensions);
    RUN(real_tables);
    RUN(errors);
    return (TESTS_DONE());
}

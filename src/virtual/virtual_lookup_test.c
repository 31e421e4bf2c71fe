/*
 * virtual_lookup_test - virtual(8) table interpretation: mailbox vs
 * Maildir results under virtual_mailbox_base, extension and catch-all
 * search order, static: ids, the minimum uid, missing and bad ids, and
 * failing tables (defer, never "unknown").
 */

#include <string.h>

#include "dict.h"
#include "msg.h"
#include "testing.h"
#include "virtual_lookup.h"
#include "vstring.h"

static VSTRING *warnings;
static MAIL_ADDR_FIND_ENV env = {"+", "double-bounce", 0, 0};

/* capture - collect warnings */
static void capture(int level, const char *text)
{
    vstring_sprintf_append(warnings, "%s%s\n", msg_level_prefix(level), text);
}

/* setup - three tables and the base directory */
static VIRTUAL_MAPS *setup(VIRTUAL_MAPS *vm, const char *mbox, const char *uids, const char *gids)
{
    vm->mailbox_maps = maps_create("virtual_mailbox_maps", mbox, DICT_FLAG_LOCK);
    vm->uid_maps = maps_create("virtual_uid_maps", uids, DICT_FLAG_LOCK);
    vm->gid_maps = maps_create("virtual_gid_maps", gids, DICT_FLAG_LOCK);
    vm->mailbox_base = "/var/mail/vhosts";
    vm->minimum_uid = 100;
    vm->env = &env;
    VSTRING_RESET(warnings);
    VSTRING_TERMINATE(warnings);
    return (vm);
}

/* teardown - free the tables */
static void teardown(VIRTUAL_MAPS *vm)
{
    maps_free(vm->mailbox_maps);
    maps_free(vm->uid_maps);
    maps_free(vm->gid_maps);
}

TEST(mailbox_and_maildir)
{
    VIRTUAL_MAPS vm;
    VIRTUAL_USER user;
    DSN_BUF *why = dsb_create();

    setup(&vm, "inline:{a@ex.test=ex.test/a, b@ex.test=ex.test/b/}", "static:5000", "static:5000");
    CHECK_INT(virtual_lookup(&vm, "a@ex.test", &user, why), VIRTUAL_FOUND);
    CHECK_STR(user.mailbox, "/var/mail/vhosts/ex.test/a");
    CHECK_INT(user.maildir, 0);
    CHECK_INT(user.uid, 5000);
    CHECK_INT(user.gid, 5000);
    virtual_user_free(&user);
    CHECK_INT(virtual_lookup(&vm, "b@ex.test", &user, why), VIRTUAL_FOUND);
    CHECK_STR(user.mailbox, "/var/mail/vhosts/ex.test/b/");
    CHECK_INT(user.maildir, 1);
    virtual_user_free(&user);
    CHECK_INT(virtual_lookup(&vm, "c@ex.test", &user, why), VIRTUAL_UNKNOWN);
    CHECK(user.mailbox == 0);
    CHECK_STR(vstring_str(warnings), "");
    teardown(&vm);
    dsb_free(why);
}

TEST(extension_and_catch_all)
{
    VIRTUAL_MAPS vm;
    VIRTUAL_USER user;
    DSN_BUF *why = dsb_create();

    setup(&vm, "inline:{a+x@ex.test=ax, a@ex.test=a, @ex.test=catchall/, @other.test=other}",
          "inline:{a+x@ex.test=1001, a@ex.test=1002, @ex.test=1003, @other.test=1004}",
          "static:2000");
    CHECK_INT(virtual_lookup(&vm, "a+x@ex.test", &user, why), VIRTUAL_FOUND);
    CHECK_STR(user.mailbox, "/var/mail/vhosts/ax");
    CHECK_INT(user.uid, 1001);
    virtual_user_free(&user);
    /* An extension without an entry of its own falls back to the user. */
    CHECK_INT(virtual_lookup(&vm, "a+y@ex.test", &user, why), VIRTUAL_FOUND);
    CHECK_STR(user.mailbox, "/var/mail/vhosts/a");
    CHECK_INT(user.uid, 1002);
    virtual_user_free(&user);
    /* Anybody else in the domain goes to the catch-all. */
    CHECK_INT(virtual_lookup(&vm, "zz@ex.test", &user, why), VIRTUAL_FOUND);
    CHECK_STR(user.mailbox, "/var/mail/vhosts/catchall/");
    CHECK_INT(user.maildir, 1);
    CHECK_INT(user.uid, 1003);
    virtual_user_free(&user);
    CHECK_INT(virtual_lookup(&vm, "zz@third.test", &user, why), VIRTUAL_UNKNOWN);
    teardown(&vm);
    dsb_free(why);
}

TEST(bad_ids_defer)
{
    VIRTUAL_MAPS vm;
    VIRTUAL_USER user;
    DSN_BUF *why = dsb_create();

    setup(&vm, "inline:{low@ex.test=low, nouid@ex.test=n, nogid@ex.test=g, junk@ex.test=j}",
          "inline:{low@ex.test=99, nogid@ex.test=1000, junk@ex.test=abc}",
          "inline:{low@ex.test=10, nouid@ex.test=10, junk@ex.test=10, x@ex.test=0}");
    CHECK_INT(virtual_lookup(&vm, "low@ex.test", &user, why), VIRTUAL_DEFER);
    CHECK_STR(vstring_str(why->status), "4.3.5");
    CHECK_STR(vstring_str(why->reason), "mail system configuration error");
    CHECK(user.mailbox == 0);
    CHECK_INT(virtual_lookup(&vm, "nouid@ex.test", &user, why), VIRTUAL_DEFER);
    CHECK_INT(virtual_lookup(&vm, "nogid@ex.test", &user, why), VIRTUAL_DEFER);
    CHECK_INT(virtual_lookup(&vm, "junk@ex.test", &user, why), VIRTUAL_DEFER);
    CHECK_STR(vstring_str(warnings),
              "warning: recipient low@ex.test: bad uid 99 in virtual_uid_maps\n"
              "warning: recipient nouid@ex.test: not found in virtual_uid_maps\n"
              "warning: recipient nogid@ex.test: not found in virtual_gid_maps\n"
              "warning: recipient junk@ex.test: bad uid abc in virtual_uid_maps\n");
    teardown(&vm);

    /* uid 99 is fine once the minimum allows it; gid 0 never is. */
    setup(&vm, "inline:{a@ex.test=a}", "static:99", "static:0");
    vm.minimum_uid = 50;
    CHECK_INT(virtual_lookup(&vm, "a@ex.test", &user, why), VIRTUAL_DEFER);
    CHECK_STR(vstring_str(warnings),
              "warning: recipient a@ex.test: bad gid 0 in virtual_gid_maps\n");
    teardown(&vm);
    dsb_free(why);
}

TEST(failing_table_defers)
{
    VIRTUAL_MAPS vm;
    VIRTUAL_USER user;
    DSN_BUF *why = dsb_create();

    setup(&vm, "fail:broken", "static:1000", "static:1000");
    CHECK_INT(virtual_lookup(&vm, "a@ex.test", &user, why), VIRTUAL_DEFER);
    CHECK_STR(vstring_str(why->status), "4.3.5");
    CHECK(strstr(vstring_str(warnings),
                 "warning: table virtual_mailbox_maps: lookup a@ex.test: temporary failure\n") !=
          0);
    teardown(&vm);
    setup(&vm, "inline:{a@ex.test=a}", "fail:uids", "static:1000");
    CHECK_INT(virtual_lookup(&vm, "a@ex.test", &user, why), VIRTUAL_DEFER);
    CHECK(strstr(vstring_str(warnings),
                 "warning: table virtual_uid_maps: lookup a@ex.test: temporary failure\n") != 0);
    teardown(&vm);
    dsb_free(why);
}

int main(void)
{
    warnings = vstring_alloc(100);
    msg_output_reset();
    msg_output(capture);
    RUN(mailbox_and_maildir);
    RUN(extension_and_catch_all);
    RUN(bad_ids_defer);
    RUN(failing_table_defers);
    vstring_free(warnings);
    return (TESTS_DONE());
}

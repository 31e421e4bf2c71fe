/* name_mask_test - module tests for name_mask and name_code */

#include <setjmp.h>

#include "msg.h"
#include "name_code.h"
#include "name_mask.h"
#include "testing.h"

#define CLS_BOUNCE 1
#define CLS_DELAY 2
#define CLS_RESOURCE 4
#define CLS_SOFTWARE 8

static const NAME_MASK classes[] = {
    {"bounce", CLS_BOUNCE},
    {"delay", CLS_DELAY},
    {"resource", CLS_RESOURCE},
    {"software", CLS_SOFTWARE},
    {0, 0},
};

static char last_text[1000];
static int last_level = -1;
static jmp_buf jbuf;

/* capture - remember the last message */
static void capture(int level, const char *text)
{
    last_level = level;
    snprintf(last_text, sizeof(last_text), "%s", text);
}

/* no_exit - msg_exit_hook target */
static void no_exit(int status)
{
    longjmp(jbuf, 1);
}

TEST(names_to_mask)
{
    CHECK_INT(name_mask("notify_classes", classes, "bounce, resource software"),
              CLS_BOUNCE | CLS_RESOURCE | CLS_SOFTWARE);
    CHECK_INT(name_mask("notify_classes", classes, ""), 0);
    CHECK_INT(name_mask("notify_classes", classes, " \t,delay,,delay\n"), CLS_DELAY);
    CHECK_INT(name_mask_opt("x", classes, "BOUNCE Delay", NAME_MASK_ANY_CASE | NAME_MASK_FATAL),
              CLS_BOUNCE | CLS_DELAY);
}

TEST(unknown_names_per_flag)
{
    volatile int fatal = 0;

    last_level = -1;
    CHECK_INT(name_mask_opt("notify_classes", classes, "bounce, bogus", NAME_MASK_IGNORE),
              CLS_BOUNCE);
    CHECK_INT(last_level, -1);
    CHECK_INT(name_mask_opt("notify_classes", classes, "bounce, bogus, delay", NAME_MASK_WARN),
              CLS_BOUNCE | CLS_DELAY);
    CHECK_INT(last_level, MSG_WARN);
    CHECK_STR(last_text, "unknown notify_classes value \"bogus\" in \"bounce, bogus, delay\"");
    CHECK_INT(name_mask_opt("notify_classes", classes, "bounce, bogus, delay", NAME_MASK_RETURN),
              0);
    CHECK_INT(last_level, MSG_WARN);
    /* Case matters unless asked otherwise. */
    if (setjmp(jbuf) == 0)
        name_mask("notify_classes", classes, "Bounce");
    else
        fatal = 1;
    CHECK_INT(fatal, 1);
    CHECK_INT(last_level, MSG_FATAL);
    CHECK_STR(last_text, "unknown notify_classes value \"Bounce\" in \"Bounce\"");
}

TEST(mask_to_names)
{
    VSTRING *buf = vstring_alloc(10);

    CHECK_STR(str_name_mask("notify_classes", classes, CLS_SOFTWARE | CLS_BOUNCE),
              "bounce software");
    CHECK_STR(str_name_mask("notify_classes", classes, 0), "");
    CHECK_STR(str_name_mask_opt(buf, "x", classes, CLS_DELAY | CLS_RESOURCE,
                                NAME_MASK_COMMA | NAME_MASK_FATAL),
              "delay,resource");
    CHECK_STR(str_name_mask_opt(buf, "x", classes, CLS_DELAY | CLS_RESOURCE,
                                NAME_MASK_PIPE | NAME_MASK_FATAL),
              "delay|resource");
    CHECK_STR(str_name_mask_opt(buf, "x", classes, CLS_DELAY | 0x30, NAME_MASK_NUMBER),
              "delay 0x30");
    CHECK_STR(str_name_mask_opt(buf, "x", classes, CLS_DELAY | 0x30, NAME_MASK_IGNORE), "delay");
    CHECK(str_name_mask_opt(buf, "notify_classes", classes, 0x40, NAME_MASK_RETURN) == 0);
    CHECK_STR(last_text, "name_mask: unknown notify_classes bit in mask: 0x40");
    vstring_free(buf);
}

TEST(name_code_lookup)
{
    static const NAME_CODE styles[] = {
        {"subnet", 1},
        {"class", 2},
        {"host", 3},
        {0, -1},
    };

    CHECK_INT(name_code(styles, NAME_CODE_FLAG_NONE, "host"), 3);
    CHECK_INT(name_code(styles, NAME_CODE_FLAG_NONE, "Subnet"), 1);
    CHECK_INT(name_code(styles, NAME_CODE_FLAG_STRICT_CASE, "Subnet"), -1);
    CHECK_INT(name_code(styles, NAME_CODE_FLAG_NONE, "bogus"), -1);
    CHECK_STR(str_name_code(styles, 2), "class");
    CHECK(str_name_code(styles, 9) == 0);
}

int main(void)
{
    msg_output(capture);
    msg_exit_hook(no_exit);
    RUN(names_to_mask);
    RUN(unknown_names_per_flag);
    RUN(mask_to_names);
    RUN(name_code_lookup);
    return (TESTS_DONE());
}

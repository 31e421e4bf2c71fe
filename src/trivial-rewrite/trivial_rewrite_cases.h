/* trivial_rewrite_cases - scenarios for trivial_rewrite_test (answers of Postfix 3.7) */

TEST(default_configuration)
{
    static const char *files[] = {"main.cf", BASE_CF, 0};
    static const char *expect[] = {
        "rewrite local user", "<user@host.example.com>",
        0,
    };
    scenario(files, expect);
}

#define RUN_ALL_CASES() \
    do { \
        RUN(default_configuration); \
    } while (0)

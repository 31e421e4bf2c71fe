#ifndef TESTING_H
#define TESTING_H

/*
 * testing - the module-test driver shared by every *_test.c.
 *
 * A test file defines functions with TEST(name) and lists them in main()
 * with RUN(name). Each check that fails prints what was expected and what
 * came; each test prints one "PASS: name" or "FAIL: name" line, which
 * tests/run counts. The driver exits 1 when any test failed.
 */

#include <stdio.h>
#include <string.h>

static int testing_failed_checks;
static int testing_failed_tests;
static int testing_passed_tests;

#define TEST(name) static void name(void)

#define CHECK(cond) \
    do { \
        if (!(cond)) { \
            printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            testing_failed_checks++; \
        } \
    } while (0)

#define CHECK_INT(got, want) \
    do { \
        long long g_ = (long long) (got), w_ = (long long) (want); \
        if (g_ != w_) { \
            printf("  %s:%d: %s: expected %lld, got %lld\n", __FILE__, __LINE__, #got, w_, g_); \
            testing_failed_checks++; \
        } \
    } while (0)

#define CHECK_STR(got, want) \
    do { \
        const char *g_ = (got), *w_ = (want); \
        if ((g_ == 0) != (w_ == 0) || (g_ && strcmp(g_, w_) != 0)) { \
            printf("  %s:%d: %s: expected \"%s\", got \"%s\"\n", __FILE__, __LINE__, #got, \
                   w_ ? w_ : "(null)", g_ ? g_ : "(null)"); \
            testing_failed_checks++; \
        } \
    } while (0)

#define RUN(name) \
    do { \
        int before_ = testing_failed_checks; \
        name(); \
        if (testing_failed_checks == before_) { \
            printf("PASS: %s\n", #name); \
            testing_passed_tests++; \
        } else { \
            printf("FAIL: %s\n", #name); \
            testing_failed_tests++; \
        } \
        fflush(stdout); \
    } while (0)

#define TESTS_DONE() (testing_failed_tests ? 1 : 0)

#endif

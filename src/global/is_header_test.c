/* is_header_test - module tests for header recognition */

#include "is_header.h"
#include "testing.h"

TEST(header_names)
{
    static const struct {
        const char *text;
        ssize_t want;
    } cases[] = {
        {"Subject: hello", 7},
        {"Subject:", 7},
        {"X-Weird!#$%&'*+-./0123456789;<=>?@[\\]^_`{|}~: x", 44},
        {"Subject : obsolete space", 7},
        {"Subject\t\t: obsolete tab", 7},
        {": no name", 0},
        {" Subject: continuation", 0},
        {"\tSubject: continuation", 0},
        {"Two words: no", 0},
        {"Subject", 0},
        {"", 0},
        {"S\xc3\xbc"
         "bject: 8-bit",
         0},
        {"Sub\x01ject: control", 0},
        {"Sub\x7f"
         "ject: del",
         0},
        {"From user@example.com Thu Jan  1", 0},
        {">From: quoted", 5},
        {"a:", 1},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (is_header(cases[i].text) != cases[i].want)
            printf("  case %zu: [%s]\n", i, cases[i].text);
        CHECK_INT(is_header(cases[i].text), cases[i].want);
    }
}

TEST(header_buffer_length_is_honoured)
{
    CHECK_INT(is_header_buf("Subject: x", 8), 7);
    CHECK_INT(is_header_buf("Subject: x", 7), 0);
    CHECK_INT(is_header_buf("Subject: x", 0), 0);
    CHECK_INT(is_header_buf("Sub\0ject: x", 11), 0);
    CHECK_INT(is_header_buf("To :", 4), 2);
}

int main(void)
{
    RUN(header_names);
    RUN(header_buffer_length_is_honoured);
    return (TESTS_DONE());
}

/*
 * fuzz_addr_misc - libFuzzer target for the small parsers that see
 * client- or peer-supplied names and numbers: host_port() (src/util),
 * valid_hostname()/valid_hostaddr() (src/util/valid_hostname.c),
 * cidr_match_parse()/execute()/format() (src/util/cidr_match.c),
 * valid_utf8_string() (src/util), valid_mailhost_addr() (src/global),
 * mail_addr_split() (src/global/mail_addr.c), dsn_valid()/dsn_split()
 * (src/global/dsn_util.c) and conv_time()/conv_int()/conv_long()/
 * conv_bool() (src/global/conv_time.c), all on the same input text.
 */
#include "cidr_match.h"
#include "conv_time.h"
#include "dsn_util.h"
#include "fuzz_common.h"
#include "host_port.h"
#include "mail_addr.h"
#include "valid_hostname.h"
#include "valid_mailhost_addr.h"
#include "valid_utf8_string.h"
#include "vstring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CIDR_MATCH cm;
    DSN_SPLIT dp;
    VSTRING *a, *b;
    char *str, *copy, *host, *port;
    int ival;
    long lval;

    fuzz_quiet();
    str = fuzz_cstring(data, size);
    a = vstring_alloc(10);
    b = vstring_alloc(10);

    copy = mystrdup(str);
    (void)host_port(copy, &host, "localhost", &port, "25");
    myfree(copy);
    (void)valid_hostname(str, 0);
    (void)valid_hostaddr(str, 0);
    (void)valid_mailhost_addr(str, 0);
    (void)valid_mailhost_literal(str, 0);
    (void)valid_utf8_string((const char *)data, size);
    if (cidr_match_parse(&cm, str, a) == 0) {
        (void)cidr_match_format(&cm, b);
        (void)cidr_match_execute(&cm, "192.0.2.1");
        (void)cidr_match_execute(&cm, "2001:db8::1");
        (void)cidr_match_execute(&cm, str);
    }
    (void)mail_addr_split(str, a, b);
    (void)dsn_valid(str);
    (void)dsn_split(&dp, "4.0.0", str);
    (void)conv_time(str, &ival, 's');
    (void)conv_int(str, &ival);
    (void)conv_long(str, &lval);
    (void)conv_bool(str, &ival);

    vstring_free(a);
    vstring_free(b);
    myfree(str);
    return (0);
}

/*
 * input_transp_test - receive_override_options parsing and its effect on
 * the cleanup request flags.
 */

#include "cleanup_user.h"
#include "input_transp.h"
#include "msg.h"
#include "testing.h"

TEST(masks)
{
    CHECK_INT(input_transp_mask("receive_override_options", ""), 0);
    CHECK_INT(input_transp_mask("receive_override_options",
                                "no_address_mappings, No_Milters"),
              INPUT_TRANSP_ADDRESS_MAPPING | INPUT_TRANSP_MILTER);
    CHECK_INT(input_transp_mask("receive_override_options",
                                "no_unknown_recipient_checks no_header_body_checks"),
              INPUT_TRANSP_UNKNOWN_RCPT | INPUT_TRANSP_HEADER_BODY);
}

TEST(cleanup_flags)
{
    int all = CLEANUP_FLAG_BOUNCE | CLEANUP_FLAG_MASK_EXTERNAL;

    CHECK_INT(input_transp_cleanup(all, 0), all);
    CHECK_INT(input_transp_cleanup(all, INPUT_TRANSP_ADDRESS_MAPPING),
              CLEANUP_FLAG_BOUNCE | CLEANUP_FLAG_FILTER | CLEANUP_FLAG_MILTER);
    CHECK_INT(input_transp_cleanup(all, INPUT_TRANSP_HEADER_BODY | INPUT_TRANSP_MILTER),
              CLEANUP_FLAG_BOUNCE | CLEANUP_FLAG_BCC_OK | CLEANUP_FLAG_MAP_OK);
    CHECK_INT(input_transp_cleanup(all, INPUT_TRANSP_UNKNOWN_RCPT), all);
}

int main(int argc, char **argv)
{
    msg_stderr_init(argv[0]);
    RUN(masks);
    RUN(cleanup_flags);
    return (TESTS_DONE());
}

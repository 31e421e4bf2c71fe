/* header_opts_test - module tests for the table of known headers */

#include <string.h>
#include <strings.h>

#include "header_opts.h"
#include "testing.h"

TEST(lookup_ignores_case_value_and_space_before_colon)
{
    const HEADER_OPTS *hp;

    hp = header_opts_find("from: joe@example.com");
    CHECK(hp != 0 && hp->type == HDR_FROM && (hp->flags & HDR_OPT_SENDER));
    CHECK_STR(hp ? hp->name : 0, "From");
    hp = header_opts_find("CONTENT-TYPE : text/plain");
    CHECK(hp != 0 && hp->type == HDR_CONTENT_TYPE && (hp->flags & HDR_OPT_MIME));
    hp = header_opts_find("Message-ID");
    CHECK(hp != 0 && hp->type == HDR_MESSAGE_ID);
    hp = header_opts_find("mime-version:1.0");
    CHECK(hp != 0 && hp->type == HDR_MIME_VERSION);
    CHECK(header_opts_find("X-Mailer: foo") == 0);
    CHECK(header_opts_find("T: x") == 0);
    CHECK(header_opts_find("Tox: x") == 0);
    CHECK(header_opts_find("Resent: x") == 0);
    CHECK(header_opts_find("Resent-To-: x") == 0);
    CHECK(header_opts_find(": x") == 0);
    CHECK(header_opts_find("") == 0);
}

TEST(every_known_header_is_found_with_its_flags)
{
    static const struct {
        const char *name;
        int type;
        int flags;
    } known[] = {
        {"Apparently-To", HDR_APPARENTLY_TO, HDR_OPT_RECIP},
        {"Bcc", HDR_BCC, HDR_OPT_RECIP | HDR_OPT_EXTRACT | HDR_OPT_BLIND},
        {"Cc", HDR_CC, HDR_OPT_RECIP | HDR_OPT_EXTRACT},
        {"Content-Description", HDR_CONTENT_DESCRIPTION, HDR_OPT_MIME},
        {"Content-Disposition", HDR_CONTENT_DISPOSITION, HDR_OPT_MIME},
        {"Content-Id", HDR_CONTENT_ID, HDR_OPT_MIME},
        {"Content-Length", HDR_CONTENT_LENGTH, HDR_OPT_DROP},
        {"Content-Transfer-Encoding", HDR_CONTENT_TRANSFER_ENCODING, HDR_OPT_MIME},
        {"Content-Type", HDR_CONTENT_TYPE, HDR_OPT_MIME},
        {"Date", HDR_DATE, 0},
        {"Delivered-To", HDR_DELIVERED_TO, 0},
        {"Disposition-Notification-To", HDR_DISP_NOTIFICATION, HDR_OPT_SENDER},
        {"Errors-To", HDR_ERRORS_TO, HDR_OPT_SENDER},
        {"From", HDR_FROM, HDR_OPT_SENDER},
        {"Mail-Followup-To", HDR_MAIL_FOLLOWUP_TO, HDR_OPT_RECIP},
        {"Message-Id", HDR_MESSAGE_ID, 0},
        {"MIME-Version", HDR_MIME_VERSION, HDR_OPT_MIME},
        {"Received", HDR_RECEIVED, 0},
        {"Reply-To", HDR_REPLY_TO, HDR_OPT_RECIP},
        {"Resent-Bcc", HDR_RESENT_BCC, HDR_OPT_XRECIP | HDR_OPT_RR | HDR_OPT_BLIND},
        {"Resent-Cc", HDR_RESENT_CC, HDR_OPT_XRECIP | HDR_OPT_RR},
        {"Resent-Date", HDR_RESENT_DATE, HDR_OPT_RR},
        {"Resent-From", HDR_RESENT_FROM, HDR_OPT_SENDER | HDR_OPT_RR},
        {"Resent-Message-Id", HDR_RESENT_MESSAGE_ID, HDR_OPT_RR},
        {"Resent-Reply-To", HDR_RESENT_REPLY_TO, HDR_OPT_RECIP | HDR_OPT_RR},
        {"Resent-Sender", HDR_RESENT_SENDER, HDR_OPT_SENDER | HDR_OPT_RR},
        {"Resent-To", HDR_RESENT_TO, HDR_OPT_XRECIP | HDR_OPT_RR},
        {"Return-Path", HDR_RETURN_PATH, HDR_OPT_DROP | HDR_OPT_SENDER},
        {"Return-Receipt-To", HDR_RETURN_RECEIPT_TO, HDR_OPT_SENDER},
        {"Sender", HDR_SENDER, HDR_OPT_SENDER},
        {"To", HDR_TO, HDR_OPT_XRECIP},
        {"X-Original-To", HDR_X_ORIGINAL_TO, 0},
    };
    const HEADER_OPTS *hp;
    size_t i;

    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        hp = header_opts_find(known[i].name);
        if (hp == 0) {
            printf("  not found: %s\n", known[i].name);
            CHECK(hp != 0);
            continue;
        }
        CHECK(strcasecmp(hp->name, known[i].name) == 0);
        CHECK_INT(hp->type, known[i].type);
        CHECK_INT(hp->flags, known[i].flags);
    }
}

int main(void)
{
    RUN(lookup_ignores_case_value_and_space_before_colon);
    RUN(every_known_header_is_found_with_its_flags);
    return (TESTS_DONE());
}

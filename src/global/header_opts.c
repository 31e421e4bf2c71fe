/*
 * header_opts - the table of message headers with a special meaning.
 *
 * Exports header_opts_find(); see header_opts.h for the types and
 * property flags. The table is sorted by name (ignoring case) and
 * searched with a binary search, so lookups need no setup and no memory.
 * Nothing here fails; an unknown or empty name returns null.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "header_opts.h"

/* Keep this sorted by strcasecmp() on the name. */
static const HEADER_OPTS header_opts_table[] = {
    {"Apparently-To", HDR_APPARENTLY_TO, HDR_OPT_RECIP},
    {"Bcc", HDR_BCC, HDR_OPT_XRECIP | HDR_OPT_BLIND},
    {"Cc", HDR_CC, HDR_OPT_XRECIP},
    {"Content-Description", HDR_CONTENT_DESCRIPTION, HDR_OPT_MIME},
    {"Content-Disposition", HDR_CONTENT_DISPOSITION, HDR_OPT_MIME},
    {"Content-ID", HDR_CONTENT_ID, HDR_OPT_MIME},
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

#define HEADER_OPTS_COUNT (sizeof(header_opts_table) / sizeof(header_opts_table[0]))

/* The name being looked up, counted, since it need not be null-terminated. */
typedef struct {
    const char *name;
    size_t len;
} HEADER_KEY;

/* header_opts_compare - bsearch() comparison of a key with an entry */
static int header_opts_compare(const void *key_ptr, const void *entry_ptr)
{
    const HEADER_KEY *key = (const HEADER_KEY *)key_ptr;
    const HEADER_OPTS *entry = (const HEADER_OPTS *)entry_ptr;
    int diff = strncasecmp(key->name, entry->name, key->len);

    if (diff != 0)
        return (diff);
    return (entry->name[key->len] == 0 ? 0 : -1);
}

/* header_opts_find - the entry for a header line or name, or null */
const HEADER_OPTS *header_opts_find(const char *string)
{
    HEADER_KEY key;
    const char *colon = strchr(string, ':');

    key.name = string;
    key.len = colon ? (size_t)(colon - string) : strlen(string);
    while (key.len > 0 && (string[key.len - 1] == ' ' || string[key.len - 1] == '\t'))
        key.len--;
    if (key.len == 0)
        return (0);
    return ((const HEADER_OPTS *)bsearch(&key, header_opts_table, HEADER_OPTS_COUNT,
                                         sizeof(header_opts_table[0]), header_opts_compare));
}

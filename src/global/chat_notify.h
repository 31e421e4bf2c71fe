#ifndef CHAT_NOTIFY_H
#define CHAT_NOTIFY_H

/*
 * chat_notify - the postmaster notice with an SMTP session transcript
 * (notify_classes protocol, policy, ...), shared by the SMTP server and the
 * SMTP/LMTP client.
 */

#include "argv.h"
#include "vstream.h"

/* chat_notify_append - add "prefix text" to a transcript, made printable */
extern void chat_notify_append(ARGV **history, const char *prefix, const char *text);

/* chat_notify_open - start the notice "$mail_name <agent>: errors from <peer>"; null on failure */
extern VSTREAM *chat_notify_open(const char *agent, const char *peer);

/* chat_notify_transcript - "Transcript of session follows.", the lines, an empty line */
extern void chat_notify_transcript(VSTREAM *notice, ARGV *history);

/* chat_notify_close - the closing line; post the notice */
extern void chat_notify_close(VSTREAM *notice);

#endif

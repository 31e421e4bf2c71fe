#ifndef POSTQUEUE_H
#define POSTQUEUE_H

/*
 * postqueue - the formatters that turn a showq(8) listing into the
 * sendmail-style queue listing (-p) or into JSON (-j). Both read the
 * attribute stream from the protocol announcement's end to the final
 * terminator, write to VSTREAM_OUT, and end the program with EX_SOFTWARE
 * when the listing is malformed.
 */

#include "vstream.h"
#include "vstring.h"

/* showq_compat - mailq format; long_ids picks the wider columns */
extern void showq_compat(VSTREAM *showq, int long_ids);

/* showq_json - one JSON object per message, one per line */
extern void showq_json(VSTREAM *showq);

/* showq_json_quote - value as the inside of a JSON string (buf is overwritten) */
extern const char *showq_json_quote(VSTRING *buf, const char *value);

#endif

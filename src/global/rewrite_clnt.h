#ifndef REWRITE_CLNT_H
#define REWRITE_CLNT_H

/*
 * rewrite_clnt - ask trivial-rewrite to rewrite an address to standard
 * form ("user@fully.qualified.domain").
 *
 * rule is REWRITE_LOCAL ("local") or REWRITE_REMOTE ("remote"), the
 * rewrite context (see trivial-rewrite(8)). rewrite_clnt() takes and gives
 * addresses in external (RFC 5322 quoted) form, which is also what travels
 * on the wire; rewrite_clnt_internal() takes and gives internal (unquoted)
 * form and quotes/unquotes the local part around the request. The result
 * must not be the input buffer. Both retry once per second until the
 * service answers; they return result.
 */

#include "clnt_stream.h"
#include "vstring.h"

#define REWRITE_LOCAL "local"
#define REWRITE_REMOTE "remote"
#define REWRITE_CANON REWRITE_LOCAL /* older name of the local context */

extern VSTRING *rewrite_clnt(const char *rule, const char *addr, VSTRING *result);
extern VSTRING *rewrite_clnt_internal(const char *rule, const char *addr, VSTRING *result);

/* The connection shared with resolve_clnt (same service). */
extern CLNT_STREAM *rewrite_clnt_stream(void);

#endif

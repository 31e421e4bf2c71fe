#ifndef CLNT_STREAM_H
#define CLNT_STREAM_H

/*
 * clnt_stream - a kept-open connection from a client to a daemon of this
 * mail system (trivial-rewrite, and any other request/reply service), with
 * the server's protocol announcement checked once per connection.
 */

#include "vstream.h"

typedef struct CLNT_STREAM CLNT_STREAM;

/* Reads and checks the server's announcement; 0 when it is the expected one. */
typedef int (*CLNT_STREAM_HANDSHAKE_FN)(VSTREAM *stream);

extern CLNT_STREAM *clnt_stream_create(const char *class, const char *service, int idle_limit,
                                       int ttl_limit, CLNT_STREAM_HANDSHAKE_FN handshake);
extern VSTREAM *clnt_stream_access(CLNT_STREAM *client);
extern void clnt_stream_recover(CLNT_STREAM *client);
extern const char *clnt_stream_path(CLNT_STREAM *client);
extern void clnt_stream_free(CLNT_STREAM *client);

#endif

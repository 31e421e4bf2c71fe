/*
 * smtp_session - one connection to an SMTP or LMTP server: the stream and
 * the names used in logs ("host[addr]" and "host[addr]:port"; a
 * unix-domain server has no port), and the transcript and error classes
 * that smtp_chat_notify() reports. Exports smtp_session_alloc() and
 * smtp_session_free(), which closes the stream. Never fails.
 */

#include "mymalloc.h"
#include "smtp.h"
#include "stringops.h"
#include "vstring.h"

/* smtp_session_alloc - wrap a connected stream */
SMTP_SESSION *smtp_session_alloc(VSTREAM *stream, const char *host, const char *addr, unsigned port,
                                 int reuse_count, time_t expire_time)
{
    SMTP_SESSION *session = (SMTP_SESSION *)mymalloc(sizeof(*session));
    VSTRING *buf = vstring_alloc(100);

    session->stream = stream;
    session->host = mystrdup(host);
    session->addr = mystrdup(addr);
    session->port = port;
    vstring_sprintf(buf, "%s[%s]", host, addr);
    session->namaddr = mystrdup(vstring_str(buf));
    if (port)
        vstring_sprintf_append(buf, ":%u", port);
    session->namaddrport = vstring_export(buf);
    session->features = 0;
    session->size_limit = 0;
    session->reuse_count = reuse_count;
    session->expire_time = expire_time;
    session->bad = 0;
    session->endp_label = 0;
    session->history = 0;
    session->error_mask = 0;
    return (session);
}

/* smtp_session_free - close the connection and forget it */
void smtp_session_free(SMTP_SESSION *session)
{
    if (session->stream)
        (void)vstream_fclose(session->stream);
    myfree(session->host);
    myfree(session->addr);
    myfree(session->namaddr);
    myfree(session->namaddrport);
    if (session->endp_label)
        myfree(session->endp_label);
    if (session->history)
        argv_free(session->history);
    myfree(session);
}

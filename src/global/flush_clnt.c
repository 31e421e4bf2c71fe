/*
 * flush_clnt - the fast flush client (see flush_clnt.h).
 *
 * A request is one attribute list on a fresh connection to
 * public/$flush_service_name, after the server's greeting
 * (protocol=queue_flush_protocol); the reply is status=. Table lookup
 * errors in fast_flush_domains count as "unavailable", not as "no".
 */

#include "attr.h"
#include "iostuff.h"
#include "flush_clnt.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "match_list.h"
#include "msg.h"

static MATCH_LIST *flush_domains;

/* flush_init - parse fast_flush_domains */
void flush_init(void)
{
    flush_domains = domain_list_init("fast_flush_domains", MATCH_FLAG_PARENT | MATCH_FLAG_RETURN,
                                     var_fast_flush_domains);
}

/* flush_send_site - request delivery of mail for site */
int flush_send_site(const char *site)
{
    VSTREAM *stream;
    int status;

    if (flush_domains == 0)
        flush_init();
    if (!domain_list_match(flush_domains, site))
        return (flush_domains->error ? FLUSH_STAT_FAIL : FLUSH_STAT_DENY);
    if ((stream = mail_connect(MAIL_CLASS_PUBLIC, var_flush_service_name, BLOCKING)) == 0)
        return (FLUSH_STAT_FAIL);
    vstream_set_timeout(stream, var_ipc_timeout);
    if (attr_scan(stream, ATTR_FLAG_STRICT,
                  RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_FLUSH), ATTR_TYPE_END)
            != 1
        || attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, FLUSH_REQ_SEND_SITE),
                      SEND_ATTR_STR(FLUSH_ATTR_SITE, site), ATTR_TYPE_END)
               != 0
        || vstream_fflush(stream) != 0
        || attr_scan(stream, ATTR_FLAG_MISSING, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                     ATTR_TYPE_END)
               != 1)
        status = FLUSH_STAT_FAIL;
    (void) vstream_fclose(stream);
    return (status);
}

/*
 * flush_clnt - client side of the fast flush service.
 *
 * Exports flush_add(), flush_send_site(), flush_send_file(),
 * flush_refresh(), flush_purge(), flush_site_eligible() and
 * flush_parent_style(). Every request is one attribute-protocol exchange
 * with public/$flush_service_name (mail_command_client; master.cf has
 * it public, so that postqueue may ask for deliveries).
 *
 * A site that fast_flush_domains does not list is refused here already
 * (FLUSH_STAT_DENY) so that the service is not bothered for nothing; a
 * table failure while searching the list is FLUSH_STAT_FAIL, never "not
 * listed".
 */

#include <string.h>

#include "attr.h"
#include "flush_clnt.h"
#include "mail_command_client.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "match_list.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

static MATCH_LIST *flush_domains;

/* flush_parent_style - does parent_domain_matches_subdomains name this parameter */
int flush_parent_style(const char *param)
{
    char *saved =
        mystrdup(var_parent_domain_matches_subdomains ? var_parent_domain_matches_subdomains : "");
    char *bp = saved;
    char *word;
    int found = 0;

    while ((word = mystrtok(&bp, ", \t\r\n")) != 0)
        if (strcmp(word, param) == 0)
            found = MATCH_FLAG_PARENT;
    myfree(saved);
    return (found);
}

/* flush_init - build the fast_flush_domains list now, before a chroot or privilege drop */
void flush_init(void)
{
    if (flush_domains == 0)
        flush_domains = domain_list_init(
            "fast_flush_domains", MATCH_FLAG_RETURN | flush_parent_style("fast_flush_domains"),
            var_fast_flush_domains);
}

/* flush_site_eligible - is the site in fast_flush_domains */
int flush_site_eligible(const char *site)
{
    int match;

    flush_init();
    match = domain_list_match(flush_domains, site);
    if (match)
        return (1);
    return (flush_domains->error ? -1 : 0);
}

/* flush_gate - FLUSH_STAT_OK when the site may be asked for, else the refusal */
static int flush_gate(const char *site)
{
    switch (flush_site_eligible(site)) {
    case 1:
        return (FLUSH_STAT_OK);
    case 0:
        return (FLUSH_STAT_DENY);
    default:
        msg_warn("%s: fast_flush_domains lookup failed", site);
        return (FLUSH_STAT_FAIL);
    }
}

/* flush_result - the service status, FLUSH_STAT_FAIL when it could not be asked */
static int flush_result(int status)
{
    return (status < 0 ? FLUSH_STAT_FAIL : status);
}

/* flush_add - remember that queue_id has mail deferred for site */
int flush_add(const char *site, const char *queue_id)
{
    int status;

    if (msg_verbose)
        msg_info("flush_add: site %s id %s", site, queue_id);
    if ((status = flush_gate(site)) != FLUSH_STAT_OK)
        return (status);
    return (flush_result(mail_command_client(
        MAIL_CLASS_PUBLIC, var_flush_service_name, MAIL_ATTR_PROTO_FLUSH,
        SEND_ATTR_STR(MAIL_ATTR_REQ, FLUSH_REQ_ADD), SEND_ATTR_STR(MAIL_ATTR_SITE, site),
        SEND_ATTR_STR(MAIL_ATTR_QUEUEID, queue_id), ATTR_TYPE_END)));
}

/* flush_send_site - deliver what is queued for site */
int flush_send_site(const char *site)
{
    int status;

    if (msg_verbose)
        msg_info("flush_send_site: site %s", site);
    if ((status = flush_gate(site)) != FLUSH_STAT_OK)
        return (status);
    return (flush_result(mail_command_client(MAIL_CLASS_PUBLIC, var_flush_service_name,
                                             MAIL_ATTR_PROTO_FLUSH,
                                             SEND_ATTR_STR(MAIL_ATTR_REQ, FLUSH_REQ_SEND_SITE),
                                             SEND_ATTR_STR(MAIL_ATTR_SITE, site), ATTR_TYPE_END)));
}

/* flush_send_file - deliver one deferred message now */
int flush_send_file(const char *queue_id)
{
    if (msg_verbose)
        msg_info("flush_send_file: queue_id %s", queue_id);
    return (flush_result(
        mail_command_client(MAIL_CLASS_PUBLIC, var_flush_service_name, MAIL_ATTR_PROTO_FLUSH,
                            SEND_ATTR_STR(MAIL_ATTR_REQ, FLUSH_REQ_SEND_FILE),
                            SEND_ATTR_STR(MAIL_ATTR_QUEUEID, queue_id), ATTR_TYPE_END)));
}

/* flush_refresh - refresh logs that were not read for a while */
int flush_refresh(void)
{
    return (flush_result(
        mail_command_client(MAIL_CLASS_PUBLIC, var_flush_service_name, MAIL_ATTR_PROTO_FLUSH,
                            SEND_ATTR_STR(MAIL_ATTR_REQ, FLUSH_REQ_REFRESH), ATTR_TYPE_END)));
}

/* flush_purge - refresh every log */
int flush_purge(void)
{
    return (flush_result(
        mail_command_client(MAIL_CLASS_PUBLIC, var_flush_service_name, MAIL_ATTR_PROTO_FLUSH,
                            SEND_ATTR_STR(MAIL_ATTR_REQ, FLUSH_REQ_PURGE), ATTR_TYPE_END)));
}

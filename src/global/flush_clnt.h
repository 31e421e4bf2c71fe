#ifndef FLUSH_CLNT_H
#define FLUSH_CLNT_H

/*
 * flush_clnt - requests to the fast flush service (flush(8)): remember
 * deferred mail per destination, and deliver it on demand (ETRN,
 * "sendmail -qR", "postqueue -s/-i").
 */

/* Requests on the wire (attribute "request"). */
#define FLUSH_REQ_ADD "add"             /* site, queue_id */
#define FLUSH_REQ_SEND_SITE "send_site" /* site */
#define FLUSH_REQ_SEND_FILE "send_file" /* queue_id */
#define FLUSH_REQ_REFRESH "refresh"     /* refresh old logs, purge empty old ones */
#define FLUSH_REQ_PURGE "purge"         /* refresh every log */

/* Results. */
#define FLUSH_STAT_FAIL (-1) /* the service could not be asked, or failed */
#define FLUSH_STAT_OK 0      /* done */
#define FLUSH_STAT_BAD 3     /* malformed request */
#define FLUSH_STAT_DENY 4    /* the site is not in fast_flush_domains */

extern void flush_init(void);
extern int flush_add(const char *site, const char *queue_id);
extern int flush_send_site(const char *site);
extern int flush_send_file(const char *queue_id);
extern int flush_refresh(void);
extern int flush_purge(void);

/*
 * flush_site_eligible - is site listed in fast_flush_domains: 1 yes, 0 no,
 * -1 the list could not be searched (a table failed).
 */
extern int flush_site_eligible(const char *site);

/* flush_parent_style - MATCH_FLAG_PARENT when parent_domain_matches_subdomains names param */
extern int flush_parent_style(const char *param);

#endif

#ifndef FLUSH_CLNT_H
#define FLUSH_CLNT_H

/*
 * flush_clnt - ask the fast flush service (flush(8)) to deliver mail.
 *
 * flush_init() reads fast_flush_domains once; flush_send_site(site) asks
 * for delivery of the mail queued for site (ETRN). The result is one of
 * FLUSH_STAT_*: DENY when site is not eligible for fast flush (not in
 * fast_flush_domains, decided here without contacting the service), FAIL
 * when the service could not be reached or did not answer.
 */

#define FLUSH_STAT_FAIL (-1) /* the service is unavailable */
#define FLUSH_STAT_OK 0      /* request accepted */
#define FLUSH_STAT_BAD 3     /* the service says: invalid request */
#define FLUSH_STAT_DENY 4    /* site not eligible for fast flush */

#define FLUSH_REQ_SEND_SITE "send_site"
#define FLUSH_ATTR_SITE "site"

extern void flush_init(void);
extern int flush_send_site(const char *site);

#endif

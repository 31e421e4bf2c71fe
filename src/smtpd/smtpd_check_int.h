#ifndef SMTPD_CHECK_INT_H
#define SMTPD_CHECK_INT_H

/*
 * smtpd_check_int - what the access-control modules share among
 * themselves (not the protocol engine): restriction results, the reply and
 * logging helpers, the escape for table failures, and the tables opened at
 * start-up.
 *
 * Results of a restriction: SMTPD_CHECK_DUNNO (no opinion, go on),
 * SMTPD_CHECK_OK (permit: stop this list), SMTPD_CHECK_REJECT (the reply
 * is in smtpd_check_reply_text()). A table or service failure does not
 * return: smtpd_check_retry() and smtpd_check_config_error() format the
 * 451 reply and longjmp() back to the stage function that started the
 * evaluation (smtpd_check_jmp).
 */

#include <setjmp.h>

#include "argv.h"
#include "htable.h"
#include "maps.h"
#include "match_list.h"
#include "resolve_clnt.h"
#include "smtpd.h"

#define SMTPD_CHECK_DUNNO 0
#define SMTPD_CHECK_OK 1
#define SMTPD_CHECK_REJECT 2

/* Error classes, for notify_classes (state->error_mask). */
#define MAIL_ERROR_POLICY (1 << 0)
#define MAIL_ERROR_PROTOCOL (1 << 1)
#define MAIL_ERROR_BOUNCE (1 << 2)
#define MAIL_ERROR_SOFTWARE (1 << 3)
#define MAIL_ERROR_RESOURCE (1 << 4)
#define MAIL_ERROR_DATA (1 << 7)

/* What tempfail actions (unknown_*_tempfail_action ...) may say. */
#define SMTPD_TF_DEFER_ALL 1        /* "defer": reply 4xx at once */
#define SMTPD_TF_DEFER_IF_PERMIT 2  /* "defer_if_permit" */

/* smtpd_check.c: the evaluator. */
extern jmp_buf smtpd_check_jmp;
extern HTABLE *smtpd_rest_classes; /* name -> ARGV * */
extern int smtpd_generic_checks(SMTPD_STATE *state, ARGV *restrictions, const char *reply_name,
                                const char *reply_class, const char *def_acl);

/* smtpd_check_reply.c: replies, deferrals and log lines. */
extern void smtpd_check_reply_init(void);
extern const char *smtpd_check_reply_text(void);
extern int smtpd_check_reject(SMTPD_STATE *state, int error_class, int code, const char *dsn,
                              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
extern void smtpd_check_defer_if(SMTPD_DEFER *defer, const char *reply_class, int code,
                                 const char *dsn, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
extern int smtpd_check_defer_if_permit(SMTPD_STATE *state, int tf_action, const char *reply_class,
                                       int code, const char *dsn, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
extern int smtpd_check_force_defer(SMTPD_STATE *state, SMTPD_DEFER *defer);
extern void smtpd_check_log(SMTPD_STATE *state, const char *whatsup, const char *text);
extern int smtpd_check_permit(SMTPD_STATE *state, const char *action, const char *reply_class,
                              const char *reply_name, const char *from_table);
extern void smtpd_check_retry(SMTPD_STATE *state, const char *reply_name)
    __attribute__((noreturn));
extern void smtpd_check_config_error(SMTPD_STATE *state) __attribute__((noreturn));
extern const char *smtpd_dsn_fix(const char *status, const char *reply_class);
extern int smtpd_dsn_split(const char *text, const char *def_dsn, char *dsn, const char **rest);

/* smtpd_check_access.c: access tables. */
extern void smtpd_access_init(void);
extern void smtpd_access_register(const char *name);
extern MAPS *smtpd_access_maps(const char *table);
extern int smtpd_access_table_result(SMTPD_STATE *state, const char *table, const char *value,
                                     const char *datum, const char *reply_name,
                                     const char *reply_class, const char *def_acl);
extern int smtpd_check_access(SMTPD_STATE *state, const char *table, const char *key,
                              int *found, const char *reply_name, const char *reply_class,
                              const char *def_acl);
extern int smtpd_check_domain_access(SMTPD_STATE *state, const char *table, const char *domain,
                                     int flags, int *found, const char *reply_name,
                                     const char *reply_class, const char *def_acl);
extern int smtpd_check_addr_access(SMTPD_STATE *state, const char *table, const char *addr,
                                   int flags, int *found, const char *reply_name,
                                   const char *reply_class, const char *def_acl);
extern int smtpd_check_namadr_access(SMTPD_STATE *state, const char *table, const char *name,
                                     const char *addr, const char *reply_name,
                                     const char *reply_class, const char *def_acl);
extern int smtpd_check_mail_access(SMTPD_STATE *state, const char *table, const char *addr,
                                   const char *reply_name, const char *reply_class,
                                   const char *def_acl);
extern int smtpd_check_server_access(SMTPD_STATE *state, const char *table, const char *name,
                                     unsigned type, const char *reply_name,
                                     const char *reply_class, const char *def_acl);
extern const char *smtpd_check_addr_find(SMTPD_STATE *state, const char *reply_name, MAPS *maps,
                                         const char *key);
extern int smtpd_is_local_domain(const char *domain, void *context);

/* smtpd_resolve.c: cached trivial-rewrite answers. */
extern void smtpd_resolve_init(int cache_size);
extern const RESOLVE_REPLY *smtpd_resolve_addr(const char *sender, const char *addr);

/* smtpd_check_dns.c: DNS-based restrictions. */
extern int smtpd_reject_unknown_client(SMTPD_STATE *state);
extern int smtpd_reject_unknown_reverse(SMTPD_STATE *state);
extern int smtpd_reject_unknown_hostname(SMTPD_STATE *state, const char *name,
                                         const char *reply_name, const char *reply_class);
extern int smtpd_reject_unknown_address(SMTPD_STATE *state, const char *addr,
                                        const char *reply_name, const char *reply_class);
extern int smtpd_permit_mx_backup(SMTPD_STATE *state, const char *recipient,
                                  const char *reply_name, const char *reply_class);
extern int smtpd_permit_auth_destination(SMTPD_STATE *state, const char *recipient);
extern int smtpd_is_own_addr(const char *addr);

/* smtpd_dnsbl.c: DNS lists. */
extern void smtpd_dnsbl_init(void);
extern int smtpd_reject_rbl_addr(SMTPD_STATE *state, const char *rbl_domain, const char *addr,
                                 const char *reply_class);
extern int smtpd_reject_rbl_domain(SMTPD_STATE *state, const char *rbl_domain, const char *what,
                                   const char *reply_class);
extern int smtpd_permit_dnswl_addr(SMTPD_STATE *state, const char *dnswl_domain,
                                   const char *addr, const char *reply_class);
extern int smtpd_permit_dnswl_domain(SMTPD_STATE *state, const char *dnswl_domain,
                                     const char *what, const char *reply_class);

/* smtpd_policy.c: policy delegation. */
extern void smtpd_policy_register(const char *name);
extern int smtpd_policy_check(SMTPD_STATE *state, const char *server, const char *reply_name,
                              const char *reply_class, const char *def_acl);

/* smtpd_check_rcptmap.c: recipient validation and address verification. */
extern void smtpd_rcptmap_init(void);
extern int smtpd_check_rcpt_maps(SMTPD_STATE *state, const char *sender, const char *recipient,
                                 const char *reply_class);
extern int smtpd_reject_unverified(SMTPD_STATE *state, const char *addr,
                                   const char *reply_class);
extern int smtpd_reject_sender_login_mismatch(SMTPD_STATE *state, const char *name);
extern int smtpd_check_unlisted_sender(SMTPD_STATE *state);
extern int smtpd_check_unlisted_rcpt(SMTPD_STATE *state);
extern int smtpd_tempfail_action(const char *param_name, const char *value);

/* Shared lists (smtpd_check.c). */
extern MATCH_LIST *smtpd_mynetworks;
extern MATCH_LIST *smtpd_perm_mx_networks;
extern MATCH_LIST *smtpd_local_domains;
extern MATCH_LIST *smtpd_relay_domains; /* for the old check_relay_domains */
extern int smtpd_access_parent_style; /* MATCH_FLAG_PARENT or 0 */

#endif

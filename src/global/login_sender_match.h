#ifndef LOGIN_SENDER_MATCH_H
#define LOGIN_SENDER_MATCH_H

/* login_sender_match - which envelope senders a login name may use */

typedef struct LOGIN_SENDER_MATCH LOGIN_SENDER_MATCH;

#define LSM_STAT_FOUND 1    /* the sender is allowed */
#define LSM_STAT_NOTFOUND 0 /* the sender is not allowed */
#define LSM_STAT_RETRY (-1) /* a table failed; try again later */
#define LSM_STAT_CONFIG (-2) /* a table is misconfigured */

extern LOGIN_SENDER_MATCH *login_sender_create(const char *title, const char *map_names,
                                               const char *ext_delimiters,
                                               const char *null_sender_key);
extern void login_sender_free(LOGIN_SENDER_MATCH *lsm);
extern int login_sender_match(LOGIN_SENDER_MATCH *lsm, const char *login_name,
                              const char *sender);

#endif

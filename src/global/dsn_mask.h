#ifndef DSN_MASK_H
#define DSN_MASK_H

/*
 * dsn_mask - RFC 3461 NOTIFY= and RET= values as bit masks, with the
 * numbers that travel in queue files and internal protocols.
 */

/* NOTIFY= (0 = not specified: the default behaviour). */
#define DSN_NOTIFY_NEVER (1 << 0)
#define DSN_NOTIFY_SUCCESS (1 << 1)
#define DSN_NOTIFY_FAILURE (1 << 2)
#define DSN_NOTIFY_DELAY (1 << 3)
#define DSN_NOTIFY_ANY (DSN_NOTIFY_SUCCESS | DSN_NOTIFY_FAILURE | DSN_NOTIFY_DELAY)
#define DSN_NOTIFY_ALL (DSN_NOTIFY_NEVER | DSN_NOTIFY_ANY)

/* A valid mask is 0, NEVER alone, or any mix of the other three. */
#define DSN_NOTIFY_OK(v)                                                                           \
    ((v) == DSN_NOTIFY_NEVER || ((v) & ~DSN_NOTIFY_ANY) == 0)

/* RET= (0 = not specified). */
#define DSN_RET_FULL (1 << 0)
#define DSN_RET_HDRS (1 << 1)
#define DSN_RET_OK(v) ((v) == DSN_RET_FULL || (v) == DSN_RET_HDRS)

/*
 * dsn_notify_mask - parse "SUCCESS,DELAY" (case-insensitive, comma
 * separated); 0 for a bad or contradictory list (NEVER with another).
 */
extern int dsn_notify_mask(const char *str);

/* dsn_notify_str - "SUCCESS,FAILURE" etc. for a valid mask (static buffer). */
extern const char *dsn_notify_str(int mask);

/* dsn_ret_code - "FULL"/"HDRS" (case-insensitive) to a code; 0 when bad. */
extern int dsn_ret_code(const char *str);

/* dsn_ret_str - "FULL" or "HDRS"; panics on a bad code. */
extern const char *dsn_ret_str(int code);

#endif

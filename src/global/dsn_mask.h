#ifndef DSN_MASK_H
#define DSN_MASK_H

/* dsn_mask - DSN NOTIFY and RET values (RFC 3461), as text and as bits */

#define DSN_NOTIFY_NEVER (1 << 0)
#define DSN_NOTIFY_SUCCESS (1 << 1)
#define DSN_NOTIFY_FAILURE (1 << 2)
#define DSN_NOTIFY_DELAY (1 << 3)
#define DSN_NOTIFY_ANY (DSN_NOTIFY_SUCCESS | DSN_NOTIFY_FAILURE | DSN_NOTIFY_DELAY)
#define DSN_NOTIFY_ALL (DSN_NOTIFY_NEVER | DSN_NOTIFY_ANY)
#define DSN_NOTIFY_OK(v) ((v) == DSN_NOTIFY_NEVER || ((v) != 0 && ((v) & ~DSN_NOTIFY_ANY) == 0))

#define DSN_RET_FULL 1
#define DSN_RET_HDRS 2
#define DSN_RET_OK(v) ((v) == DSN_RET_FULL || (v) == DSN_RET_HDRS)

extern int dsn_notify_mask(const char *names);
extern const char *dsn_notify_str(int mask);
extern int dsn_ret_code(const char *name);
extern const char *dsn_ret_str(int code);

#endif

/*
 * dsn_mask - the two DSN request parameters of RFC 3461 in the forms that
 * the mail system stores and passes around: NOTIFY as a bit mask
 * (NEVER=1, SUCCESS=2, FAILURE=4, DELAY=8, the values queue files carry in
 * notify_flags) and RET as a code (FULL=1, HDRS=2, as in ret_flags).
 *
 * Exports dsn_notify_mask() (comma and/or space separated names, any case;
 * 0 when a name is unknown, with a warning, or when NEVER is combined with
 * anything else), dsn_notify_str() (the canonical upper-case list),
 * dsn_ret_code() (0 when unknown) and dsn_ret_str().
 */

#include "dsn_mask.h"
#include "msg.h"
#include "name_code.h"
#include "name_mask.h"

static const NAME_MASK dsn_notify_table[] = {
    {"NEVER", DSN_NOTIFY_NEVER},
    {"SUCCESS", DSN_NOTIFY_SUCCESS},
    {"FAILURE", DSN_NOTIFY_FAILURE},
    {"DELAY", DSN_NOTIFY_DELAY},
    {0, 0},
};

static const NAME_CODE dsn_ret_table[] = {
    {"FULL", DSN_RET_FULL},
    {"HDRS", DSN_RET_HDRS},
    {0, 0},
};

/* dsn_notify_mask - NOTIFY names to bits; 0 on error */
int dsn_notify_mask(const char *names)
{
    int mask = name_mask_opt("DSN NOTIFY command", dsn_notify_table, names,
                             NAME_MASK_ANY_CASE | NAME_MASK_RETURN);

    return (DSN_NOTIFY_OK(mask) ? mask : 0);
}

/* dsn_notify_str - NOTIFY bits to names */
const char *dsn_notify_str(int mask)
{
    return (str_name_mask_opt((VSTRING *) 0, "DSN NOTIFY command", dsn_notify_table, mask,
                              NAME_MASK_FATAL | NAME_MASK_COMMA));
}

/* dsn_ret_code - RET name to code; 0 when unknown */
int dsn_ret_code(const char *name)
{
    return (name_code(dsn_ret_table, NAME_CODE_FLAG_NONE, name));
}

/* dsn_ret_str - RET code to name */
const char *dsn_ret_str(int code)
{
    const char *name;

    if ((name = str_name_code(dsn_ret_table, code)) == 0)
        msg_panic("dsn_ret_str: unknown code %d", code);
    return (name);
}

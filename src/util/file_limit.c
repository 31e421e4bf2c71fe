/*
 * file_limit - read and lower the file size resource limit, so that a
 * runaway message (a loop feeding sendmail, say) fails with EFBIG instead
 * of filling the queue file system. This is damage control, not a defence
 * against a determined user.
 *
 * Exports get_file_limit() (bytes; the largest off_t when unlimited) and
 * set_file_limit(bytes). Failure to read or set the limit is fatal: the
 * caller asked for protection and would otherwise run without it.
 */

#include <stdint.h>
#include <sys/resource.h>

#include "file_limit.h"
#include "msg.h"

#define OFF_T_MAX ((off_t) (((uintmax_t) 1 << (sizeof(off_t) * 8 - 1)) - 1))

/* get_file_limit - current soft limit on file size */
off_t get_file_limit(void)
{
    struct rlimit rlim;

    if (getrlimit(RLIMIT_FSIZE, &rlim) < 0)
        msg_fatal("getrlimit: %m");
    if (rlim.rlim_cur == RLIM_INFINITY || rlim.rlim_cur > (rlim_t) OFF_T_MAX)
        return (OFF_T_MAX);
    return ((off_t) rlim.rlim_cur);
}

/* set_file_limit - set the soft and hard limit on file size */
void set_file_limit(off_t limit)
{
    struct rlimit rlim;

    rlim.rlim_cur = rlim.rlim_max = (rlim_t) limit;
    if (setrlimit(RLIMIT_FSIZE, &rlim) < 0)
        msg_fatal("setrlimit: %m");
}

/*
 * dup - the local delivery agent's duplicate filter.
 *
 * Exports local_dup_create(), local_been_here() and local_dup_free(). The
 * keys name what was done ("mailbox joe", "alias staff", "command 1000
 * /bin/x"): an expansion that reaches the same destination twice delivers
 * once, and an alias or .forward that lists itself is not expanded again.
 * At most duplicate_filter_limit keys are remembered; past that, nothing
 * counts as seen (a duplicate delivery is better than a lost one).
 */

#include <stdarg.h>

#include "local.h"
#include "mail_params.h"
#include "vstring.h"

/* local_dup_create - an empty filter */
HTABLE *local_dup_create(void)
{
    return (htable_create(10));
}

/* local_been_here - 1 when the formatted key was seen before, else remember it */
int local_been_here(HTABLE *table, const char *fmt, ...)
{
    VSTRING *key = vstring_alloc(100);
    va_list ap;
    int seen;

    va_start(ap, fmt);
    vstring_vsprintf(key, fmt, ap);
    va_end(ap);
    if ((seen = (htable_locate(table, vstring_str(key)) != 0)) == 0 &&
        (var_duplicate_filter_limit <= 0 || table->used < (size_t)var_duplicate_filter_limit))
        htable_enter(table, vstring_str(key), (void *)0);
    vstring_free(key);
    return (seen);
}

/* local_dup_free - forget everything */
void local_dup_free(HTABLE *table)
{
    htable_free(table, (void (*)(void *))0);
}

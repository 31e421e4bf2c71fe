/*
 * quote_flags - convert quote_822_local() flags to and from names.
 *
 * Exports quote_flags_from_string() (names separated by comma or white
 * space, case-insensitive; unknown names are logged and make the result 0)
 * and quote_flags_to_string() (names joined by '|', unknown bits in hex;
 * the result lives in buf, or in a static buffer when buf is null).
 */

#include "name_mask.h"
#include "quote_flags.h"

static const NAME_MASK quote_flags_table[] = {
    {"8bitclean", QUOTE_FLAG_8BITCLEAN},
    {"expose_at", QUOTE_FLAG_EXPOSE_AT},
    {"append", QUOTE_FLAG_APPEND},
    {"bare_localpart", QUOTE_FLAG_BARE_LOCALPART},
    {0, 0},
};

/* quote_flags_from_string - names to flags */
int quote_flags_from_string(const char *names)
{
    return (name_mask_opt("quote_flags", quote_flags_table, names,
                          NAME_MASK_ANY_CASE | NAME_MASK_RETURN));
}

/* quote_flags_to_string - flags to names */
const char *quote_flags_to_string(VSTRING *buf, int flags)
{
    return (str_name_mask_opt(buf, "quote_flags", quote_flags_table, flags,
                              NAME_MASK_NUMBER | NAME_MASK_PIPE));
}

/*
 * mail_addr - split mail addresses into local part, extension and domain.
 *
 * Exports:
 *   mail_addr_split(addr, local, domain): local part and domain (both may
 *     be null when not wanted) at the last '@' outside quotes. Returns a
 *     pointer to that '@' in addr, or null when there is no domain (local
 *     then gets all of addr, domain ""). Text whose quotes do not balance
 *     (internal form such as a"b@c) is split at the last '@'.
 *   split_addr(localpart, delimiters, double_bounce, delimp): when the
 *     local part has an extension, overwrite its delimiter with a null,
 *     store the delimiter in *delimp (if not null) and return the
 *     extension; otherwise return null. The rules of what is never split
 *     are those of mail_addr_ext_offset() in mail_addr_find.c.
 *   strip_addr(full, extension, delimiters, double_bounce): a copy of full
 *     (internal form) without the extension of its local part, or null
 *     when it has none. *extension (if not null) receives a copy of the
 *     extension with its delimiter ("+foo"). The caller frees both.
 * Nothing here fails.
 */

#include <string.h>

#include "mail_addr.h"
#include "mail_addr_find.h"
#include "mail_params.h"
#include "mymalloc.h"
#include "vstring.h"

/* mail_addr_split - local part and domain at the last unquoted '@' */
const char *mail_addr_split(const char *addr, VSTRING *local, VSTRING *domain)
{
    const char *cp;
    const char *at = 0;
    const char *last = 0;
    int quoted = 0;

    for (cp = addr; *cp; cp++) {
        if (*cp == '\\' && quoted) {
            if (cp[1] == 0)
                break;
            cp++;
        } else if (*cp == '"') {
            quoted = !quoted;
        } else if (*cp == '@') {
            last = cp;
            if (!quoted)
                at = cp;
        }
    }
    if (quoted)
        at = last;
    if (local) {
        if (at)
            vstring_strncpy(local, addr, at - addr);
        else
            vstring_strcpy(local, addr);
    }
    if (domain)
        vstring_strcpy(domain, at ? at + 1 : "");
    return (at);
}

/* split_addr - cut off the extension of a local part */
char *split_addr(char *localpart, const char *delimiters, const char *double_bounce, int *delimp)
{
    size_t off = mail_addr_ext_offset(localpart, strlen(localpart), delimiters, double_bounce);

    if (off == 0)
        return (0);
    if (delimp)
        *delimp = (unsigned char)localpart[off];
    localpart[off] = 0;
    return (localpart + off + 1);
}

/* strip_addr - the address without its extension, or null */
char *strip_addr(const char *full, char **extension, const char *delimiters,
                 const char *double_bounce)
{
    const char *at = strrchr(full, '@');
    size_t local_len = at ? (size_t)(at - full) : strlen(full);
    size_t off = mail_addr_ext_offset(full, local_len, delimiters, double_bounce);
    char *result;

    if (extension)
        *extension = 0;
    if (off == 0)
        return (0);
    if (extension)
        *extension = mystrndup(full + off, local_len - off);
    result = mymalloc(off + (at ? strlen(at) : 0) + 1);
    memcpy(result, full, off);
    strcpy(result + off, at ? at : "");
    return (result);
}

/* mail_addr_double_bounce - the sender of postmaster notices */
const char *mail_addr_double_bounce(void)
{
    static VSTRING *addr;

    if (addr == 0)
        addr = vstring_alloc(50);
    vstring_sprintf(addr, "%s@%s", var_double_bounce_sender, var_myhostname);
    return (vstring_str(addr));
}

/*
 * cleanup_init - turn the configuration into the tables and flags that
 * the per-message code uses: canonical and virtual maps, masquerading,
 * BCC maps, header and body checks, character filters, and the list of
 * local domains that address lookups consult.
 *
 * A malformed class list or table name is fatal, with Postfix's wording,
 * when the daemon starts: mail must not be accepted with half a
 * configuration.
 */

#include <string.h>

#include "cleanup.h"
#include "dict.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

MAPS *cleanup_comm_canon_maps;
MAPS *cleanup_send_canon_maps;
MAPS *cleanup_rcpt_canon_maps;
int cleanup_comm_canon_flags;
int cleanup_send_canon_flags;
int cleanup_rcpt_canon_flags;
ARGV *cleanup_masq_domains;
MATCH_LIST *cleanup_masq_exceptions;
int cleanup_masq_flags;
MAPS *cleanup_virt_alias_maps;
MAPS *cleanup_send_bcc_maps;
MAPS *cleanup_rcpt_bcc_maps;
MAPS *cleanup_header_checks;
MAPS *cleanup_mimehdr_checks;
MAPS *cleanup_nesthdr_checks;
MAPS *cleanup_body_checks;
int cleanup_ext_prop_mask;
MATCH_LIST *cleanup_local_domains;
VSTRING *cleanup_reject_chars;
VSTRING *cleanup_strip_chars;

/* cleanup_parse_classes - a canonical/masquerade class list to bits */
int cleanup_parse_classes(const char *name, const char *value)
{
    char *saved = mystrdup(value);
    char *bp = saved;
    char *word;
    int mask = 0;

    while ((word = mystrtok(&bp, ", \t\r\n")) != 0) {
        if (strcasecmp(word, "envelope_sender") == 0)
            mask |= CLEANUP_CLASS_ENV_FROM;
        else if (strcasecmp(word, "envelope_recipient") == 0)
            mask |= CLEANUP_CLASS_ENV_RCPT;
        else if (strcasecmp(word, "header_sender") == 0)
            mask |= CLEANUP_CLASS_HDR_FROM;
        else if (strcasecmp(word, "header_recipient") == 0)
            mask |= CLEANUP_CLASS_HDR_RCPT;
        else
            msg_fatal("unknown %s value \"%s\" in \"%s\"", name, word, value);
    }
    myfree(saved);
    return (mask);
}

/* cleanup_maps - a MAPS for a non-empty parameter, else null */
static MAPS *cleanup_maps(const char *title, const char *value, int flags)
{
    return (*value ? maps_create(title, value, flags) : (MAPS *) 0);
}

/* cleanup_char_set - message_reject/strip_characters, with C escapes */
static VSTRING *cleanup_char_set(const char *value)
{
    VSTRING *set;
    const char *cp;

    if (*value == 0)
        return (0);
    set = vstring_alloc(10);
    for (cp = value; *cp; cp++) {
        if (*cp == '\\' && cp[1]) {
            cp++;
            switch (*cp) {
            case 'n': VSTRING_ADDCH(set, '\n'); break;
            case 'r': VSTRING_ADDCH(set, '\r'); break;
            case 't': VSTRING_ADDCH(set, '\t'); break;
            case 'f': VSTRING_ADDCH(set, '\f'); break;
            case 'v': VSTRING_ADDCH(set, '\v'); break;
            case 'b': VSTRING_ADDCH(set, '\b'); break;
            case 'a': VSTRING_ADDCH(set, '\a'); break;
            case '0': VSTRING_ADDCH(set, '\0'); break;
            default: VSTRING_ADDCH(set, *cp); break;
            }
        } else {
            VSTRING_ADDCH(set, *cp);
        }
    }
    VSTRING_TERMINATE(set);
    return (set);
}

/* cleanup_ext_prop - propagate_unmatched_extensions to bits */
static int cleanup_ext_prop(const char *value)
{
    char *saved = mystrdup(value);
    char *bp = saved;
    char *word;
    int mask = 0;

    while ((word = mystrtok(&bp, ", \t\r\n")) != 0) {
        if (strcasecmp(word, "canonical") == 0)
            mask |= CLEANUP_EXT_PROP_CANONICAL;
        else if (strcasecmp(word, "virtual") == 0)
            mask |= CLEANUP_EXT_PROP_VIRTUAL;
        else if (strcasecmp(word, "alias") != 0 && strcasecmp(word, "forward") != 0
                 && strcasecmp(word, "include") != 0 && strcasecmp(word, "generic") != 0)
            msg_fatal("unknown propagate_unmatched_extensions value \"%s\" in \"%s\"", word, value);
    }
    myfree(saved);
    return (mask);
}

/* cleanup_is_local - is a domain this system's (mydestination)? */
int cleanup_is_local(const char *domain, void *context)
{
    (void) context;
    if (domain_list_match(cleanup_local_domains, domain))
        return (1);
    return (cleanup_local_domains->error != 0 ? -1 : 0);
}

/* cleanup_init_tables - build everything from the var_* settings */
void cleanup_init_tables(void)
{
    int flags = DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX;

    cleanup_comm_canon_maps = cleanup_maps("canonical_maps", var_canonical_maps, flags);
    cleanup_send_canon_maps = cleanup_maps("sender_canonical_maps", var_sender_canonical_maps, flags);
    cleanup_rcpt_canon_maps = cleanup_maps("recipient_canonical_maps", var_recipient_canonical_maps, flags);
    cleanup_comm_canon_flags = cleanup_parse_classes("canonical_classes", var_canonical_classes);
    cleanup_send_canon_flags = cleanup_parse_classes("sender_canonical_classes", var_sender_canonical_classes);
    cleanup_rcpt_canon_flags = cleanup_parse_classes("recipient_canonical_classes", var_recipient_canonical_classes);
    cleanup_masq_domains = *var_masquerade_domains ? argv_split(var_masquerade_domains, ", \t\r\n") : 0;
    cleanup_masq_exceptions = *var_masquerade_exceptions
        ? string_list_init("masquerade_exceptions", MATCH_FLAG_RETURN, var_masquerade_exceptions) : 0;
    cleanup_masq_flags = cleanup_parse_classes("masquerade_classes", var_masquerade_classes);
    cleanup_virt_alias_maps = cleanup_maps("virtual_alias_maps", var_virtual_alias_maps, flags);
    cleanup_send_bcc_maps = cleanup_maps("sender_bcc_maps", var_sender_bcc_maps, flags);
    cleanup_rcpt_bcc_maps = cleanup_maps("recipient_bcc_maps", var_recipient_bcc_maps, flags);
    cleanup_header_checks = cleanup_maps("header_checks", var_header_checks, DICT_FLAG_LOCK);
    cleanup_mimehdr_checks = cleanup_maps("mime_header_checks", var_mime_header_checks, DICT_FLAG_LOCK);
    cleanup_nesthdr_checks = cleanup_maps("nested_header_checks", var_nested_header_checks, DICT_FLAG_LOCK);
    cleanup_body_checks = cleanup_maps("body_checks", var_body_checks, DICT_FLAG_LOCK);
    cleanup_ext_prop_mask = cleanup_ext_prop(var_propagate_unmatched_extensions);
    cleanup_local_domains = domain_list_init("mydestination", MATCH_FLAG_RETURN, var_mydestination);
    cleanup_reject_chars = cleanup_char_set(var_message_reject_characters);
    cleanup_strip_chars = cleanup_char_set(var_message_strip_characters);
}

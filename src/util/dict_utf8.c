/*
 * dict_utf8 - UTF-8 checks and case folding around any table.
 *
 * Exports dict_utf8_activate(), valid_utf8_string() and dict_utf8_fold().
 * With SMTPUTF8 enabled, tables must hold UTF-8 text: a lookup, update or
 * delete with a malformed key is refused (a lookup says "not found", with a
 * warning), and a lookup result that is not UTF-8 is a configuration error
 * rather than something to hand to an SMTP client. Activation saves the
 * table's own methods and puts checking ones in front of them.
 *
 * Folding: ASCII letters are folded by byte; other letters with the C
 * library's Unicode tables (towlower in the C.UTF-8 locale), which covers
 * the simple one-to-one case mappings (Latin, Greek, Cyrillic, ...). Full
 * case folding (for example German sharp s to "ss") is not done.
 */

#include <limits.h>
#include <locale.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "dict.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "valid_utf8_string.h"
#include "vstring.h"

struct DICT_UTF8_BACKUP {
    const char *(*lookup)(DICT *dict, const char *key);
    int (*update)(DICT *dict, const char *key, const char *value);
    int (*delete)(DICT *dict, const char *key);
};

/* dict_utf8_fold - lower-case a UTF-8 string into buf */
const char *dict_utf8_fold(VSTRING *buf, const char *str)
{
    static locale_t utf8_locale;
    const char *cp;
    mbstate_t in, out;
    wchar_t wc;
    size_t n;
    char mb[MB_LEN_MAX];
    size_t m;

    vstring_strcpy(buf, str);
    for (cp = str; *cp && !(*cp & 0x80); cp++)
        /* void */;
    if (*cp == 0)
        return (lowercase(vstring_str(buf)));
    if (utf8_locale == 0 && (utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", 0)) == 0)
        return (lowercase(vstring_str(buf)));
    VSTRING_RESET(buf);
    memset(&in, 0, sizeof(in));
    memset(&out, 0, sizeof(out));
    for (cp = str; *cp; cp += n) {
        locale_t old = uselocale(utf8_locale);

        n = mbrtowc(&wc, cp, strlen(cp), &in);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            uselocale(old);
            /* Not UTF-8 after all: fold what ASCII there is, keep the rest. */
            vstring_strcat(buf, cp);
            return (lowercase(vstring_str(buf)));
        }
        wc = towlower_l((wint_t)wc, utf8_locale);
        m = wcrtomb(mb, wc, &out);
        uselocale(old);
        if (m == (size_t)-1)
            vstring_memcat(buf, cp, n);
        else
            vstring_memcat(buf, mb, m);
    }
    return (vstring_str(buf));
}

/* dict_utf8_bad_key - warn about a malformed key */
static void dict_utf8_bad_key(DICT *dict, const char *key)
{
    char *copy = mystrdup(key);

    msg_warn("%s:%s: non-UTF-8 key \"%s\": malformed UTF-8 or invalid codepoint", dict->type,
             dict->name, printable(copy, '?'));
    myfree(copy);
}

/* dict_utf8_lookup - check the key, look up, check the result */
static const char *dict_utf8_lookup(DICT *dict, const char *key)
{
    const char *value;
    char *kcopy, *vcopy;

    if (!valid_utf8_string(key, strlen(key))) {
        dict_utf8_bad_key(dict, key);
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, (const char *)0);
    }
    value = dict->utf8_backup->lookup(dict, key);
    if (value != 0 && !valid_utf8_string(value, strlen(value))) {
        kcopy = mystrdup(key);
        vcopy = mystrdup(value);
        msg_warn("%s:%s: key \"%s\": non-UTF-8 value \"%s\": malformed UTF-8 or invalid codepoint",
                 dict->type, dict->name, kcopy, printable(vcopy, '?'));
        myfree(kcopy);
        myfree(vcopy);
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_CONFIG, (const char *)0);
    }
    return (value);
}

/* dict_utf8_update - refuse malformed keys and values */
static int dict_utf8_update(DICT *dict, const char *key, const char *value)
{
    if (!valid_utf8_string(key, strlen(key))) {
        dict_utf8_bad_key(dict, key);
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, DICT_STAT_FAIL);
    }
    if (!valid_utf8_string(value, strlen(value))) {
        char *vcopy = mystrdup(value);

        msg_warn("%s:%s: key \"%s\": non-UTF-8 value \"%s\": malformed UTF-8 or invalid codepoint",
                 dict->type, dict->name, key, printable(vcopy, '?'));
        myfree(vcopy);
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, DICT_STAT_FAIL);
    }
    return (dict->utf8_backup->update(dict, key, value));
}

/* dict_utf8_delete - refuse malformed keys */
static int dict_utf8_delete(DICT *dict, const char *key)
{
    if (!valid_utf8_string(key, strlen(key))) {
        dict_utf8_bad_key(dict, key);
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, DICT_STAT_FAIL);
    }
    return (dict->utf8_backup->delete (dict, key));
}

/* dict_utf8_activate - put UTF-8 checks in front of a table's methods */
DICT *dict_utf8_activate(DICT *dict)
{
    if (dict->utf8_backup != 0)
        msg_panic("%s:%s: UTF-8 support is already activated", dict->type, dict->name);
    dict->utf8_backup = (struct DICT_UTF8_BACKUP *)mymalloc(sizeof(*dict->utf8_backup));
    dict->utf8_backup->lookup = dict->lookup;
    dict->utf8_backup->update = dict->update;
    dict->utf8_backup->delete = dict->delete;
    dict->lookup = dict_utf8_lookup;
    dict->update = dict_utf8_update;
    dict->delete = dict_utf8_delete;
    dict->flags |= DICT_FLAG_UTF8_ACTIVE;
    return (dict);
}

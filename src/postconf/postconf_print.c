/*
 * postconf_print - print "name = value" lines the way postconf does.
 *
 * Values are printed word by word with single spaces between the words (the
 * way main.cf continuation lines read), optionally folded at 80 columns with
 * four-space continuation indents (-f), without the name (-h) or without the
 * value (-H), and optionally with $name expanded (-x).
 *
 * Failure: a broken $name expansion under -x is fatal, as in Postfix.
 */

#include <string.h>

#include "argv.h"
#include "htable.h"
#include "mac_expand.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#include "mail_conf.h"
#include "postconf.h"

#define PCF_LINE_LIMIT 80 /* longest line that folding leaves */
#define PCF_INDENT "    "

/* pcf_print_words - print words after a prefix, folding when asked */
static void pcf_print_words(VSTREAM *fp, const char *prefix, const char *text, int fold)
{
    VSTRING *line = vstring_alloc(100);
    ARGV *words = argv_split(text, " \t\r\n");
    int i;

    vstring_strcpy(line, prefix);
    for (i = 0; i < words->argc; i++) {
        if (fold && VSTRING_LEN(line) > 0 &&
            VSTRING_LEN(line) + 1 + strlen(words->argv[i]) > PCF_LINE_LIMIT) {
            vstream_fprintf(fp, "%s\n", vstring_str(line));
            vstring_strcpy(line, PCF_INDENT);
            vstring_strcat(line, words->argv[i]);
            continue;
        }
        if (VSTRING_LEN(line) > 0)
            vstring_strcat(line, " ");
        vstring_strcat(line, words->argv[i]);
    }
    vstream_fprintf(fp, "%s\n", vstring_str(line));
    argv_free(words);
    vstring_free(line);
}

/* pcf_print_line - one parameter, as the flags say */
void pcf_print_line(VSTREAM *fp, const char *name, const char *value, int flags)
{
    char *prefix;

    if (flags & PCF_HIDE_VALUE) {
        vstream_fprintf(fp, "%s\n", name);
    } else if (flags & PCF_HIDE_NAME) {
        pcf_print_words(fp, "", value, flags & PCF_FOLD_LINE);
    } else {
        prefix = concatenate(name, " =", (char *)0);
        pcf_print_words(fp, prefix, value, flags & PCF_FOLD_LINE);
        myfree(prefix);
    }
}

/* pcf_expand_lookup - mac_expand() callback for -x */
static const char *pcf_expand_lookup(const char *name, int mode, void *context)
{
    return (mail_conf_lookup_default(name));
}

/* pcf_expand - $name expansion for -x; the caller frees the result */
char *pcf_expand(const char *value)
{
    VSTRING *buf = vstring_alloc(100);

    if (mac_expand(buf, value, MAC_EXP_FLAG_RECURSE, 0, pcf_expand_lookup, 0) & MAC_PARSE_ERROR)
        msg_fatal("dictionary mail_dict: macro processing error");
    return (vstring_export(buf));
}

/* pcf_show_one - print one known parameter */
static void pcf_show_one(const char *name, PCF_PARAM *param)
{
    const char *value;
    char *expanded = 0;

    if (pcf_flags & PCF_SHOW_DEFS)
        value = pcf_default_value(name, param);
    else
        value = pcf_current_value(name, param);
    if (value == 0)
        value = "";
    if ((pcf_flags & PCF_SHOW_EVAL) &&
        !(param->kind == PCF_PARAM_BUILTIN && param->info->type == MAIL_PARAM_TYPE_RAW))
        value = expanded = pcf_expand(value);
    pcf_print_line(VSTREAM_OUT, name, value, pcf_flags);
    if (expanded)
        myfree(expanded);
}

/* pcf_collect_nondefault - mail_conf_walk() callback for -n */
static void pcf_collect_nondefault(const char *name, const char *value, void *context)
{
    ARGV *list = context;
    PCF_PARAM *param = pcf_find(name);

    if (param != 0 && !(param->kind == PCF_PARAM_BUILTIN && (param->info->flags & MP_RO)))
        argv_add(list, name, (char *)0);
}

/* pcf_show_params - the parameter display modes */
void pcf_show_params(ARGV *names)
{
    ARGV *list;
    HTABLE_INFO **ht, **info;
    PCF_PARAM *param;
    int i;

    if (names->argc > 0) {
        for (i = 0; i < names->argc; i++) {
            param = pcf_find(names->argv[i]);
            if (param == 0 || ((pcf_flags & PCF_SHOW_DEFS) && param->kind == PCF_PARAM_USER) ||
                ((pcf_flags & PCF_SHOW_NONDEF) && mail_conf_lookup(names->argv[i]) == 0)) {
                if (param == 0 || (pcf_flags & PCF_SHOW_DEFS))
                    msg_warn("%s: unknown parameter", names->argv[i]);
                continue;
            }
            pcf_show_one(names->argv[i], param);
        }
        return;
    }
    list = argv_alloc(1000);
    if (pcf_flags & PCF_SHOW_NONDEF) {
        mail_conf_walk(pcf_collect_nondefault, list);
    } else {
        ht = htable_list(pcf_param_table);
        for (info = ht; *info; info++)
            argv_add(list, (*info)->key, (char *)0);
        myfree(ht);
    }
    argv_sort(list);
    argv_uniq(list);
    for (i = 0; i < list->argc; i++)
        pcf_show_one(list->argv[i], pcf_find(list->argv[i]));
    argv_free(list);
}

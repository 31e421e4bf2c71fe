/*
 * postconf_params - which parameter names postconf knows, and their values.
 *
 * Three kinds of names are known: the built-in table (mail_params.def), the
 * per-transport names that master.cf services running a delivery agent bring
 * with them ("relay_destination_concurrency_limit"), and user-defined names:
 * main.cf entries that are referenced as $name from main.cf or master.cf -o
 * values, or listed in smtpd_restriction_classes. Everything else that main.cf
 * or master.cf -o sets is reported as "unused parameter", exactly as Postfix
 * does, and $name references to nothing are reported as "undefined
 * parameter".
 *
 * Failure: none; problems are warnings.
 */

#include <string.h>

#include "htable.h"
#include "mac_expand.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

#include "mail_conf.h"
#include "mail_params.h"
#include "postconf.h"

HTABLE *pcf_param_table;

/* pcf_enter - add one known name */
static PCF_PARAM *pcf_enter(const char *name, int kind, const MAIL_PARAM_INFO *info,
                            const char *defval)
{
    PCF_PARAM *param = mycalloc(1, sizeof(*param));

    param->kind = kind;
    param->info = info;
    param->defval = defval ? mystrdup(defval) : 0;
    htable_enter(pcf_param_table, name, param);
    return (param);
}

/* pcf_find - a known parameter, or null */
PCF_PARAM *pcf_find(const char *name)
{
    return (htable_find(pcf_param_table, name));
}

/* pcf_register_builtin - every name of the table */
void pcf_register_builtin(void)
{
    const MAIL_PARAM_INFO *p;

    pcf_param_table = htable_create(2000);
    for (p = mail_param_table; p < mail_param_table + mail_param_count; p++)
        pcf_enter(p->name, PCF_PARAM_BUILTIN, p, 0);
}

/* pcf_register_service_params - <transport>_... for delivery agent services */
void pcf_register_service_params(void)
{
    const MAIL_PARAM_TRANSPORT *t;
    MASTER_CF_ENTRY *entry;
    const char *command;
    char *name;
    int i;

    if (pcf_master == 0)
        return;
    for (i = 0; i < pcf_master->count; i++) {
        entry = pcf_master->entries[i];
        command = master_cf_command(entry);
        if (!mail_param_is_delivery_agent(command))
            continue;
        for (t = mail_param_transport_table; t->suffix; t++) {
            if (t->pipe_only && strcmp(command, "pipe") != 0)
                continue;
            name = concatenate(entry->name, t->suffix, (char *)0);
            if (pcf_find(name) == 0) {
                pcf_enter(name, PCF_PARAM_SERVICE, 0, t->defval);
                mail_conf_register_default(name, t->defval);
            }
            myfree(name);
        }
    }
}

typedef struct PCF_SCAN {
    const char *path; /* the file where the reference is */
} PCF_SCAN;

/* pcf_note_name - a name was referenced: make it user-defined, or complain */
static void pcf_note_name(const char *name, const char *path)
{
    if (pcf_find(name) != 0)
        return;
    if (mail_conf_lookup(name) != 0) {
        pcf_enter(name, PCF_PARAM_USER, 0, 0);
        return;
    }
    msg_warn("%s: undefined parameter: %s", path, name);
}

/* pcf_scan_lookup - mac_expand() callback that records each $name */
static const char *pcf_scan_lookup(const char *name, int mode, void *context)
{
    PCF_SCAN *scan = context;

    pcf_note_name(name, scan->path);
    return (mail_conf_lookup_default(name));
}

/* pcf_scan_value - find the $names in one value; errors fatal when it matters */
static void pcf_scan_value(const char *value, const char *path, int known)
{
    VSTRING *junk = vstring_alloc(10);
    PCF_SCAN scan;

    scan.path = path;
    if ((mac_expand(junk, value, MAC_EXP_FLAG_SCAN, 0, pcf_scan_lookup, &scan) & MAC_PARSE_ERROR) &&
        known)
        msg_fatal("dictionary mail_dict: macro processing error");
    vstring_free(junk);
}

/* pcf_scan_main_value - mail_conf_walk() callback */
static void pcf_scan_main_value(const char *name, const char *value, void *context)
{
    pcf_scan_value(value, pcf_main_path, pcf_find(name) != 0);
}

/* pcf_register_user_params - main.cf names that are used somewhere */
void pcf_register_user_params(void)
{
    ARGV *values;
    const char *classes;
    ARGV *words;
    int i, j;

    if (pcf_master != 0) {
        for (i = 0; i < pcf_master->count; i++) {
            values = argv_alloc(4);
            master_cf_options(pcf_master->entries[i], 0, values);
            for (j = 0; j < values->argc; j++)
                pcf_scan_value(values->argv[j], pcf_master_path, 1);
            argv_free(values);
        }
    }
    if ((classes = mail_conf_lookup("smtpd_restriction_classes")) != 0) {
        words = argv_split(classes, ", \t\r\n");
        for (i = 0; i < words->argc; i++)
            pcf_note_name(words->argv[i], pcf_main_path);
        argv_free(words);
    }
    mail_conf_walk(pcf_scan_main_value, 0);
}

/* pcf_warn_main_entry - mail_conf_walk() callback for unused main.cf names */
static void pcf_warn_main_entry(const char *name, const char *value, void *context)
{
    PCF_PARAM *param = pcf_find(name);
    int main_mode = *(int *)context;

    if (param == 0) {
        if (main_mode)
            msg_warn("%s: unused parameter: %s=%s", pcf_main_path, name, value);
    } else if (param->kind == PCF_PARAM_BUILTIN && (param->info->flags & MP_RO))
        msg_warn("%s: read-only parameter assignment: %s=%s", pcf_main_path, name, value);
}

/* pcf_warn_unused - main.cf (main_mode) and master.cf -o names nobody knows */
void pcf_warn_unused(int main_mode)
{
    ARGV *names, *values;
    int i, j;

    mail_conf_walk(pcf_warn_main_entry, &main_mode);
    if (pcf_master == 0)
        return;
    for (i = 0; i < pcf_master->count; i++) {
        names = argv_alloc(4);
        values = argv_alloc(4);
        master_cf_options(pcf_master->entries[i], names, values);
        for (j = 0; j < names->argc; j++)
            if (pcf_find(names->argv[j]) == 0)
                msg_warn("%s: unused parameter: %s=%s", pcf_master_path, names->argv[j],
                         values->argv[j]);
        argv_free(names);
        argv_free(values);
    }
}

/* pcf_default_value - the default text of a known name (null for user-defined) */
const char *pcf_default_value(const char *name, PCF_PARAM *param)
{
    switch (param->kind) {
    case PCF_PARAM_BUILTIN:
        return (mail_param_default(param->info));
    case PCF_PARAM_SERVICE:
        return (param->defval);
    default:
        return (0);
    }
}

/* pcf_current_value - main.cf (or -o) value, else the default */
const char *pcf_current_value(const char *name, PCF_PARAM *param)
{
    const char *value;

    if (param->kind == PCF_PARAM_BUILTIN && (param->info->flags & MP_RO))
        return (pcf_default_value(name, param));
    if ((value = mail_conf_lookup(name)) != 0)
        return (value);
    return (pcf_default_value(name, param));
}

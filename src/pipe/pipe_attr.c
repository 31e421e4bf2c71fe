/*
 * pipe_attr - command attributes and command-line expansion for pipe(8).
 *
 * Exports pipe_attr_parse(), pipe_attr_free(), pipe_attr_unescape() and
 * pipe_expand_argv().
 *
 * The attributes come from master.cf, after the program name: name=value
 * words in any order, with argv= last (everything after it is the
 * command). user= is required and may not name root or the mail system
 * owner. flags= letters map to MAIL_COPY_* (B D F O R . >) and PIPE_OPT_*
 * (X h q u) bits.
 *
 * Expansion replaces $name, ${name} and $(name) in each argument with the
 * request's values. Arguments that refer to a per-recipient macro are
 * expanded once per recipient, giving as many arguments as there are
 * recipients; the h, q and u flags fold and quote addresses as pipe(8)
 * documents.
 *
 * Failure: parse errors come back as -1 with a message (the daemon makes
 * them fatal); macro syntax errors make pipe_expand_argv() return null.
 */

#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "mac_expand.h"
#include "mail_addr_find.h"
#include "mail_copy.h"
#include "msg.h"
#include "mymalloc.h"
#include "pipe_attr.h"
#include "quote_822_local.h"
#include "stringops.h"

#define PIPE_DEF_NULL_SENDER "MAILER-DAEMON"

/* pipe_attr_unescape - C-style backslash escapes */
VSTRING *pipe_attr_unescape(VSTRING *result, const char *text)
{
    const unsigned char *cp = (const unsigned char *)text;
    int ch;
    int n;

    VSTRING_RESET(result);
    while ((ch = *cp++) != 0) {
        if (ch == '\\' && *cp) {
            switch (ch = *cp++) {
            case 'a':
                ch = '\a';
                break;
            case 'b':
                ch = '\b';
                break;
            case 'f':
                ch = '\f';
                break;
            case 'n':
                ch = '\n';
                break;
            case 'r':
                ch = '\r';
                break;
            case 't':
                ch = '\t';
                break;
            case 'v':
                ch = '\v';
                break;
            case '0':
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            case '6':
            case '7':
                ch -= '0';
                for (n = 1; n < 3 && *cp >= '0' && *cp <= '7'; n++)
                    ch = ch * 8 + (*cp++ - '0');
                break;
            default:
                break;
            }
        }
        VSTRING_ADDCH(result, ch);
    }
    VSTRING_TERMINATE(result);
    return (result);
}

/* The flags= letters and their bits. */
static const struct pipe_flag {
    char letter;
    int mask;
} pipe_flag_table[] = {
    {'B', MAIL_COPY_BLANK},      {'D', MAIL_COPY_DELIVERED},   {'F', MAIL_COPY_FROM},
    {'O', MAIL_COPY_ORIG_RCPT},  {'R', MAIL_COPY_RETURN_PATH}, {'X', PIPE_OPT_FINAL_DELIVERY},
    {'.', MAIL_COPY_DOT},        {'>', MAIL_COPY_QUOTE},       {'h', PIPE_OPT_FOLD_HOST},
    {'q', PIPE_OPT_QUOTE_LOCAL}, {'u', PIPE_OPT_FOLD_USER},    {0, 0},
};

/* pipe_attr_flags - flags= letters; -1 on an unknown letter */
static int pipe_attr_flags(PIPE_ATTR *attr, const char *letters, VSTRING *why)
{
    const struct pipe_flag *fp;
    const char *cp;

    for (cp = letters; *cp; cp++) {
        for (fp = pipe_flag_table; fp->letter && fp->letter != *cp; fp++)
            continue;
        if (fp->letter == 0) {
            vstring_sprintf(why, "unknown flag: %c (ignored)", *cp);
            return (-1);
        }
        attr->flags |= fp->mask;
    }
    return (0);
}

/* pipe_attr_user - user=name or user=name:group */
static int pipe_attr_user(PIPE_ATTR *attr, const char *value, const char *mail_owner, VSTRING *why)
{
    char *copy = mystrdup(value);
    char *group = split_at(copy, ':');
    struct passwd *pw;
    struct group *gr;
    int ret = -1;

    if (*copy == 0) {
        vstring_sprintf(why, "user= command-line attribute: missing user name");
    } else if ((pw = getpwnam(copy)) == 0) {
        vstring_sprintf(why, "user= command-line attribute specifies unknown user: %s", copy);
    } else if (pw->pw_uid == 0) {
        vstring_sprintf(why, "user= command-line attribute specifies root privileges: %s", copy);
    } else if (mail_owner && strcmp(copy, mail_owner) == 0) {
        vstring_sprintf(why, "user= command-line attribute specifies mail system owner %s", copy);
    } else {
        attr->uid = pw->pw_uid;
        attr->gid = pw->pw_gid;
        ret = 0;
        if (group != 0) {
            if ((gr = getgrnam(group)) == 0) {
                vstring_sprintf(why, "user= command-line attribute specifies unknown group: %s",
                                group);
                ret = -1;
            } else if (gr->gr_gid == 0) {
                vstring_sprintf(why, "user= command-line attribute specifies privileged group: %s",
                                group);
                ret = -1;
            } else {
                attr->gid = gr->gr_gid;
            }
        }
    }
    myfree(copy);
    return (ret);
}

/* pipe_attr_value - the value when word is "name=value" (name case-insensitive) */
static const char *pipe_attr_value(const char *word, const char *name)
{
    size_t len = strlen(name);

    return (strncasecmp(word, name, len) == 0 && word[len] == '=' ? word + len + 1 : 0);
}

/* pipe_attr_parse - the command attributes of the service */
int pipe_attr_parse(PIPE_ATTR *attr, char **argv, const char *mail_owner, VSTRING *why)
{
    const char *value;
    int have_user = 0;
    char *end;

    attr->flags = 0;
    attr->command = 0;
    attr->size_limit = 0;
    attr->eol = vstring_alloc(4);
    vstring_strcpy(attr->eol, "\n");
    attr->null_sender = mystrdup(PIPE_DEF_NULL_SENDER);
    for (; *argv; argv++) {
        if ((value = pipe_attr_value(*argv, "flags")) != 0) {
            if (pipe_attr_flags(attr, value, why) < 0)
                return (-1);
        } else if ((value = pipe_attr_value(*argv, "user")) != 0) {
            if (pipe_attr_user(attr, value, mail_owner, why) < 0)
                return (-1);
            have_user = 1;
        } else if ((value = pipe_attr_value(*argv, "eol")) != 0) {
            pipe_attr_unescape(attr->eol, value);
        } else if ((value = pipe_attr_value(*argv, "size")) != 0) {
            attr->size_limit = strtol(value, &end, 10);
            if (*value == 0 || *end != 0 || attr->size_limit < 0) {
                vstring_sprintf(why, "size= command-line attribute has bad value: %s", value);
                return (-1);
            }
        } else if ((value = pipe_attr_value(*argv, "directory")) != 0) {
            if (attr->exec_dir)
                myfree(attr->exec_dir);
            attr->exec_dir = mystrdup(value);
        } else if ((value = pipe_attr_value(*argv, "chroot")) != 0) {
            if (attr->chroot_dir)
                myfree(attr->chroot_dir);
            attr->chroot_dir = mystrdup(value);
        } else if ((value = pipe_attr_value(*argv, "null_sender")) != 0) {
            myfree(attr->null_sender);
            attr->null_sender = mystrdup(value);
        } else if ((value = pipe_attr_value(*argv, "argv")) != 0) {
            /* The command is the rest: the value, then the following words. */
            attr->cmd_argv = argv_alloc(10);
            argv_add(attr->cmd_argv, value, (char *)0);
            while (*++argv)
                argv_add(attr->cmd_argv, *argv, (char *)0);
            attr->command = attr->cmd_argv->argv;
            break;
        } else {
            vstring_sprintf(why, "unknown attribute name: %s", *argv);
            return (-1);
        }
    }
    if (!have_user) {
        vstring_sprintf(why, "missing user= command-line attribute");
        return (-1);
    }
    if (attr->command == 0 || attr->command[0][0] == 0) {
        vstring_sprintf(why, "missing argv= command-line attribute");
        return (-1);
    }
    return (0);
}

/* pipe_attr_free - release the attribute storage */
void pipe_attr_free(PIPE_ATTR *attr)
{
    if (attr->eol)
        vstring_free(attr->eol);
    if (attr->cmd_argv)
        argv_free(attr->cmd_argv);
    if (attr->exec_dir)
        myfree(attr->exec_dir);
    if (attr->chroot_dir)
        myfree(attr->chroot_dir);
    if (attr->null_sender)
        myfree(attr->null_sender);
    memset(attr, 0, sizeof(*attr));
}

/*
 * The macros. Per-recipient ones make an argument repeat; their values
 * are filled for each recipient in turn.
 */
typedef enum {
    PM_CLIENT_ADDRESS,
    PM_CLIENT_HELO,
    PM_CLIENT_HOSTNAME,
    PM_CLIENT_PORT,
    PM_CLIENT_PROTOCOL,
    PM_NEXTHOP,
    PM_QUEUE_ID,
    PM_SASL_METHOD,
    PM_SASL_SENDER,
    PM_SASL_USERNAME,
    PM_SENDER,
    PM_SIZE,
    PM_DOMAIN,
    PM_EXTENSION,
    PM_MAILBOX,
    PM_ORIG_RCPT,
    PM_RECIPIENT,
    PM_USER,
    PM_COUNT
} PIPE_MACRO_ID;

#define PM_FIRST_RCPT PM_DOMAIN /* this one and all after it are per recipient */

static const char *const pipe_macro_names[PM_COUNT] = {
    "client_address",  "client_helo",   "client_hostname", "client_port",
    "client_protocol", "nexthop",       "queue_id",        "sasl_method",
    "sasl_sender",     "sasl_username", "sender",          "size",
    "domain",          "extension",     "mailbox",         "original_recipient",
    "recipient",       "user",
};

typedef struct PIPE_MACROS {
    VSTRING *value[PM_COUNT];
    int rcpt_refs; /* scan result: per-recipient names seen */
} PIPE_MACROS;

/* pipe_macro_find - the id of a macro name, or -1 */
static int pipe_macro_find(const char *name)
{
    int i;

    for (i = 0; i < PM_COUNT; i++)
        if (strcmp(name, pipe_macro_names[i]) == 0)
            return (i);
    return (-1);
}

/* pipe_macro_lookup - mac_expand() callback; null for unknown names */
static const char *pipe_macro_lookup(const char *name, int mode, void *context)
{
    PIPE_MACROS *pm = (PIPE_MACROS *)context;
    int id = pipe_macro_find(name);

    (void)mode;
    if (id < 0)
        return (0);
    if (id >= PM_FIRST_RCPT)
        pm->rcpt_refs = 1;
    return (vstring_str(pm->value[id]));
}

/* pipe_morph_address - quote and fold a recipient address per the flags */
static void pipe_morph_address(VSTRING *buf, const char *address, int flags)
{
    char *at;

    if (flags & PIPE_OPT_QUOTE_LOCAL)
        quote_822_local(buf, address);
    else
        vstring_strcpy(buf, address);
    at = strrchr(vstring_str(buf), '@');
    switch (flags & PIPE_OPT_FOLD_ALL) {
    case PIPE_OPT_FOLD_HOST:
        if (at)
            lowercase(at + 1);
        break;
    case PIPE_OPT_FOLD_USER:
        if (at) {
            *at = 0;
            lowercase(vstring_str(buf));
            *at = '@';
            break;
        }
        /* FALLTHROUGH */
    case PIPE_OPT_FOLD_ALL:
        lowercase(vstring_str(buf));
        break;
    }
}

/* pipe_macros_rcpt - fill the per-recipient values */
static void pipe_macros_rcpt(PIPE_MACROS *pm, const RECIPIENT *rcpt, int flags,
                             const char *delimiters, const char *double_bounce)
{
    const char *at = strrchr(rcpt->address, '@');
    size_t local_len = at ? (size_t)(at - rcpt->address) : strlen(rcpt->address);
    size_t ext;
    char *local;

    pipe_morph_address(pm->value[PM_RECIPIENT], rcpt->address, flags);
    pipe_morph_address(pm->value[PM_ORIG_RCPT], rcpt->orig_addr, flags);

    /* mailbox, user and extension: the unquoted local part, u folds it. */
    vstring_strncpy(pm->value[PM_MAILBOX], rcpt->address, local_len);
    local = vstring_str(pm->value[PM_MAILBOX]);
    if (flags & PIPE_OPT_FOLD_USER)
        lowercase(local);
    ext = (delimiters && *delimiters)
              ? mail_addr_ext_offset(local, local_len, delimiters, double_bounce)
              : 0;
    if (ext > 0) {
        vstring_strncpy(pm->value[PM_USER], local, ext);
        vstring_strcpy(pm->value[PM_EXTENSION], local + ext + 1);
    } else {
        vstring_strcpy(pm->value[PM_USER], local);
        vstring_strcpy(pm->value[PM_EXTENSION], "");
    }
    vstring_strcpy(pm->value[PM_DOMAIN], at ? at + 1 : "");
    if (flags & PIPE_OPT_FOLD_HOST)
        lowercase(vstring_str(pm->value[PM_DOMAIN]));
}

/* pipe_macros_request - fill the values that are the same for all recipients */
static void pipe_macros_request(PIPE_MACROS *pm, const DELIVER_REQUEST *rq, const char *sender,
                                int flags)
{
    vstring_strcpy(pm->value[PM_CLIENT_ADDRESS], rq->client_addr);
    vstring_strcpy(pm->value[PM_CLIENT_HELO], rq->client_helo);
    vstring_strcpy(pm->value[PM_CLIENT_HOSTNAME], rq->client_name);
    vstring_strcpy(pm->value[PM_CLIENT_PORT], rq->client_port);
    vstring_strcpy(pm->value[PM_CLIENT_PROTOCOL], rq->client_proto);
    vstring_strcpy(pm->value[PM_NEXTHOP], rq->nexthop);
    if (flags & PIPE_OPT_FOLD_HOST)
        lowercase(vstring_str(pm->value[PM_NEXTHOP]));
    vstring_strcpy(pm->value[PM_QUEUE_ID], rq->queue_id);
    vstring_strcpy(pm->value[PM_SASL_METHOD], rq->sasl_method);
    vstring_strcpy(pm->value[PM_SASL_SENDER], rq->sasl_sender);
    vstring_strcpy(pm->value[PM_SASL_USERNAME], rq->sasl_username);
    /* A non-empty (replacement) sender is subject to q; an empty one is not. */
    if (*sender && (flags & PIPE_OPT_QUOTE_LOCAL))
        quote_822_local(pm->value[PM_SENDER], sender);
    else
        vstring_strcpy(pm->value[PM_SENDER], sender);
    vstring_sprintf(pm->value[PM_SIZE], "%ld", rq->data_size);
}

/* pipe_expand_argv - the command with its macros replaced */
ARGV *pipe_expand_argv(char **command, const DELIVER_REQUEST *rq, const char *sender, int flags,
                       const char *delimiters, const char *double_bounce)
{
    PIPE_MACROS pm;
    VSTRING *buf = vstring_alloc(100);
    ARGV *result = argv_alloc(10);
    char **cpp;
    int i;

    for (i = 0; i < PM_COUNT; i++)
        pm.value[i] = vstring_alloc(20);
    pipe_macros_request(&pm, rq, sender, flags);
    for (cpp = command; result && *cpp; cpp++) {
        pm.rcpt_refs = 0;
        if (mac_expand(buf, *cpp, MAC_EXP_FLAG_SCAN, (char *)0, pipe_macro_lookup, &pm) &
            MAC_PARSE_ERROR) {
            msg_warn("bad macro syntax in command argument: %s", *cpp);
            argv_free(result);
            result = 0;
            break;
        }
        if (pm.rcpt_refs == 0) {
            mac_expand(buf, *cpp, MAC_EXP_FLAG_NONE, (char *)0, pipe_macro_lookup, &pm);
            argv_add(result, vstring_str(buf), (char *)0);
            continue;
        }
        for (i = 0; i < rq->rcpt_list.len; i++) {
            pipe_macros_rcpt(&pm, rq->rcpt_list.info + i, flags, delimiters, double_bounce);
            mac_expand(buf, *cpp, MAC_EXP_FLAG_NONE, (char *)0, pipe_macro_lookup, &pm);
            argv_add(result, vstring_str(buf), (char *)0);
        }
    }
    for (i = 0; i < PM_COUNT; i++)
        vstring_free(pm.value[i]);
    vstring_free(buf);
    return (result);
}

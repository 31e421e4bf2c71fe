/*
 * bounce_template - notification texts (see bounce_template.h).
 *
 * Exports bounce_templates_create/free/load/dump, bounce_template_expand()
 * and bounce_template_encoding(). The defaults below are the texts that
 * Postfix sends (facts that users and scripts match), kept as data. A
 * template file that cannot be read or parsed is reported to the caller,
 * which decides whether that is fatal; nothing is half-loaded.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bounce_template.h"
#include "mac_expand.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

static const char *default_failure_text[] = {
    "This is the mail system at host $myhostname.",
    "",
    "I'm sorry to have to inform you that your message could not",
    "be delivered to one or more recipients. It's attached below.",
    "",
    "For further assistance, please send mail to postmaster.",
    "",
    "If you do so, please include this problem report. You can",
    "delete your own text from the attached returned message.",
    "",
    "                   The mail system",
    0,
};

static const char *default_delay_text[] = {
    "This is the mail system at host $myhostname.",
    "",
    "####################################################################",
    "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #",
    "####################################################################",
    "",
    "Your message could not be delivered for more than $delay_warning_time_hours hour(s).",
    "It will be retried until it is $maximal_queue_lifetime_days day(s) old.",
    "",
    "For further assistance, please send mail to postmaster.",
    "",
    "If you do so, please include this problem report. You can",
    "delete your own text from the attached returned message.",
    "",
    "                   The mail system",
    0,
};

static const char *default_success_text[] = {
    "This is the mail system at host $myhostname.",
    "",
    "Your message was successfully delivered to the destination(s)",
    "listed below. If the message was delivered to mailbox you will",
    "receive no further notifications. Otherwise you may still receive",
    "notifications of mail delivery errors from other systems.",
    "",
    "                   The mail system",
    0,
};

static const char *default_verify_text[] = {
    "This is the mail system at host $myhostname.",
    "",
    "Enclosed is the mail delivery report that you requested.",
    "",
    "                   The mail system",
    0,
};

/* The default From: follows header_from_format, as Postfix's does. */
#define DEFAULT_FROM_STANDARD "Mail Delivery System <MAILER-DAEMON>"
#define DEFAULT_FROM_OBSOLETE "MAILER-DAEMON (Mail Delivery System)"

/* template_default_from - the From: of a template that does not set one */
static const char *template_default_from(void)
{
    if (var_header_from_format && strcmp(var_header_from_format, "obsolete") == 0)
        return (DEFAULT_FROM_OBSOLETE);
    return (DEFAULT_FROM_STANDARD);
}

/* template_create - one template from header values and text lines */
static BOUNCE_TEMPLATE *template_create(int class, const char *name, const char *subject,
                                        const char *pm_subject, const char **text)
{
    BOUNCE_TEMPLATE *t = (BOUNCE_TEMPLATE *)mymalloc(sizeof(*t));

    t->class = class;
    t->name = name;
    t->charset = mystrdup("us-ascii");
    t->from = mystrdup(template_default_from());
    t->subject = mystrdup(subject);
    t->postmaster_subject = pm_subject ? mystrdup(pm_subject) : 0;
    t->text = argv_alloc(20);
    while (text && *text)
        argv_add(t->text, *text++, (char *)0);
    return (t);
}

/* template_free - release one template */
static void template_free(BOUNCE_TEMPLATE *t)
{
    myfree(t->charset);
    myfree(t->from);
    myfree(t->subject);
    if (t->postmaster_subject)
        myfree(t->postmaster_subject);
    argv_free(t->text);
    myfree((void *)t);
}

/* bounce_templates_create - the built-in defaults */
BOUNCE_TEMPLATES *bounce_templates_create(void)
{
    BOUNCE_TEMPLATES *ts = (BOUNCE_TEMPLATES *)mymalloc(sizeof(*ts));

    ts->failure = template_create(BOUNCE_TMPL_FAILURE, "failure_template",
                                  "Undelivered Mail Returned to Sender",
                                  "Postmaster Copy: Undelivered Mail", default_failure_text);
    ts->delay =
        template_create(BOUNCE_TMPL_DELAY, "delay_template", "Delayed Mail (still being retried)",
                        "Postmaster Warning: Delayed Mail", default_delay_text);
    ts->success = template_create(BOUNCE_TMPL_SUCCESS, "success_template",
                                  "Successful Mail Delivery Report", 0, default_success_text);
    ts->verify = template_create(BOUNCE_TMPL_VERIFY, "verify_template",
                                 "Mail Delivery Status Report", 0, default_verify_text);
    return (ts);
}

/* bounce_templates_free - release all four */
void bounce_templates_free(BOUNCE_TEMPLATES *ts)
{
    template_free(ts->failure);
    template_free(ts->delay);
    template_free(ts->success);
    template_free(ts->verify);
    myfree((void *)ts);
}

/* template_slot - the template a "name = <<EOF" line refers to */
static BOUNCE_TEMPLATE **template_slot(BOUNCE_TEMPLATES *ts, const char *name)
{
    if (strcmp(name, "failure_template") == 0)
        return (&ts->failure);
    if (strcmp(name, "delay_template") == 0)
        return (&ts->delay);
    if (strcmp(name, "success_template") == 0)
        return (&ts->success);
    if (strcmp(name, "verify_template") == 0)
        return (&ts->verify);
    return (0);
}

/* template_header - apply one "Name: value" template header; -1 if unknown */
static int template_header(BOUNCE_TEMPLATE *t, const char *line)
{
    const char *colon = strchr(line, ':');
    const char *value;
    char **field;
    size_t len;

    if (colon == 0)
        return (-1);
    len = (size_t)(colon - line);
    for (value = colon + 1; *value == ' ' || *value == '\t'; value++)
        /* void */;
#define HDR_IS(s) (len == strlen(s) && strncasecmp(line, (s), len) == 0)
    if (HDR_IS("Charset"))
        field = &t->charset;
    else if (HDR_IS("From"))
        field = &t->from;
    else if (HDR_IS("Subject"))
        field = &t->subject;
    else if (HDR_IS("Postmaster-Subject"))
        field = &t->postmaster_subject;
    else
        return (-1);
    if (*field)
        myfree(*field);
    *field = mystrdup(value);
    return (0);
}

/* template_parse_body - headers, blank line, text, up to the end word */
static int template_parse_body(BOUNCE_TEMPLATE *t, VSTREAM *fp, const char *eof_word, int *lineno,
                               VSTRING *why, const char *path)
{
    VSTRING *line = vstring_alloc(100);
    int in_headers = 1;
    int ret = -1;
    size_t bound = (size_t)(var_line_length_limit > 0 ? var_line_length_limit : 2048);
    const char *text;

    argv_truncate(t->text, 0);
    while (vstring_get_nonl_bound(line, fp, bound) != VSTREAM_EOF) {
        ++*lineno;
        text = vstring_str(line);
        if (strcmp(text, eof_word) == 0) {
            ret = 0;
            break;
        }
        if (in_headers) {
            if (*text == 0) {
                in_headers = 0;
            } else if (template_header(t, text) < 0) {
                vstring_sprintf(why, "%s, line %d: unknown or malformed template header: %.100s",
                                path, *lineno, text);
                goto done;
            }
            continue;
        }
        argv_add(t->text, text, (char *)0);
    }
    if (ret < 0)
        vstring_sprintf(why, "%s: missing \"%s\" at the end of %s", path, eof_word, t->name);
done:
    vstring_free(line);
    return (ret);
}

/* bounce_templates_load - override templates from a file */
int bounce_templates_load(BOUNCE_TEMPLATES *ts, const char *path, VSTRING *why)
{
    VSTREAM *fp;
    VSTRING *line = vstring_alloc(100);
    BOUNCE_TEMPLATES *fresh = bounce_templates_create();
    BOUNCE_TEMPLATE **slot, *swap;
    int defined = 0;
    char *cp, *name, *marker;
    int lineno = 0;
    int ret = -1;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0) {
        vstring_sprintf(why, "open %s: %s", path, strerror(errno));
        bounce_templates_free(fresh);
        vstring_free(line);
        return (-1);
    }
    for (;;) {
        if (vstring_get_nonl_bound(line, fp, 4096) == VSTREAM_EOF) {
            ret = 0;
            break;
        }
        lineno++;
        cp = vstring_str(line);
        while (ISSPACE(*cp))
            cp++;
        if (*cp == 0 || *cp == '#')
            continue;
        /* name = <<WORD */
        name = cp;
        cp += strcspn(cp, " \t=");
        marker = cp + strspn(cp, " \t");
        if (*marker != '=') {
            vstring_sprintf(why, "%s, line %d: expected \"name = <<EOF\"", path, lineno);
            break;
        }
        *cp = 0;
        marker += 1 + strspn(marker + 1, " \t");
        if (strncmp(marker, "<<", 2) != 0 || marker[2] == 0) {
            vstring_sprintf(why, "%s, line %d: expected \"<<\" and an end word", path, lineno);
            break;
        }
        marker += 2;
        trimblanks(marker, 0)[0] = 0;
        if ((slot = template_slot(fresh, name)) == 0) {
            vstring_sprintf(why, "%s, line %d: unknown template name: %.100s", path, lineno, name);
            break;
        }
        if (template_parse_body(*slot, fp, marker, &lineno, why, path) < 0)
            break;
        defined |= 1 << (*slot)->class;
    }
    /* Install only when the whole file is good. */
    if (ret == 0) {
#define TMPL_TAKE(field, class)                                                                    \
    if (defined & (1 << (class))) {                                                                \
        swap = ts->field;                                                                          \
        ts->field = fresh->field;                                                                  \
        fresh->field = swap;                                                                       \
    }
        TMPL_TAKE(failure, BOUNCE_TMPL_FAILURE);
        TMPL_TAKE(delay, BOUNCE_TMPL_DELAY);
        TMPL_TAKE(success, BOUNCE_TMPL_SUCCESS);
        TMPL_TAKE(verify, BOUNCE_TMPL_VERIFY);
    }
    bounce_templates_free(fresh);
    vstream_fclose(fp);
    vstring_free(line);
    return (ret);
}

/* bounce_template_encoding - the MIME encoding the template text needs */
const char *bounce_template_encoding(const BOUNCE_TEMPLATE *t)
{
    return (strcasecmp(t->charset, "us-ascii") == 0 ? "7bit" : "8bit");
}

/* template_lookup - $name values for template text */
static const char *template_lookup(const char *name, int mode, void *context)
{
    static const struct {
        const char *suffix;
        int divisor;
    } units[] = {
        {"_seconds", 1}, {"_minutes", 60}, {"_hours", 3600}, {"_days", 86400}, {"_weeks", 604800},
    };
    static VSTRING *buf;
    size_t i, len = strlen(name), slen;
    const char *value;
    int seconds;

    if (buf == 0)
        buf = vstring_alloc(20);
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        slen = strlen(units[i].suffix);
        if (len <= slen || strcmp(name + len - slen, units[i].suffix) != 0)
            continue;
        if (len - slen == strlen("delay_warning_time") &&
            strncmp(name, "delay_warning_time", len - slen) == 0)
            seconds = var_delay_warning_time;
        else if (len - slen == strlen("maximal_queue_lifetime") &&
                 strncmp(name, "maximal_queue_lifetime", len - slen) == 0)
            seconds = var_maximal_queue_lifetime;
        else
            continue;
        vstring_sprintf(buf, "%d", seconds / units[i].divisor);
        return (vstring_str(buf));
    }
    /* These two are the running values, as the daemon computed them. */
    if (strcmp(name, "myhostname") == 0)
        return (var_myhostname);
    if (strcmp(name, "mydomain") == 0)
        return (var_mydomain);
    if ((value = mail_conf_lookup_eval(name)) == 0) {
        msg_warn("%s: unknown parameter name: $%s", (const char *)context, name);
        return ("");
    }
    return (value);
}

/* bounce_template_expand - expanded text lines through out_fn */
int bounce_template_expand(BOUNCE_TEMPLATE_OUT_FN out_fn, VSTREAM *fp, const BOUNCE_TEMPLATE *t)
{
    VSTRING *buf = vstring_alloc(100);
    int ret = 0;
    int i;

    for (i = 0; ret == 0 && i < t->text->argc; i++) {
        mac_expand(buf, t->text->argv[i], MAC_EXP_FLAG_NONE, (char *)0, template_lookup,
                   (void *)t->name);
        ret = out_fn(fp, vstring_str(buf));
    }
    vstring_free(buf);
    return (ret);
}

/* dump_line - out_fn for bounce_templates_dump */
static int dump_line(VSTREAM *fp, const char *line)
{
    vstream_fprintf(fp, "%s\n", line);
    return (vstream_ferror(fp) ? -1 : 0);
}

/* template_dump - one template in file format */
static void template_dump(VSTREAM *fp, const BOUNCE_TEMPLATE *t, int expand)
{
    int i;

    vstream_fprintf(fp, "%s = <<EOF\n", t->name);
    vstream_fprintf(fp, "Charset: %s\n", t->charset);
    vstream_fprintf(fp, "From: %s\n", t->from);
    vstream_fprintf(fp, "Subject: %s\n", t->subject);
    if (t->postmaster_subject)
        vstream_fprintf(fp, "Postmaster-Subject: %s\n", t->postmaster_subject);
    vstream_fprintf(fp, "\n");
    if (expand)
        bounce_template_expand(dump_line, fp, t);
    else
        for (i = 0; i < t->text->argc; i++)
            vstream_fprintf(fp, "%s\n", t->text->argv[i]);
    vstream_fprintf(fp, "EOF\n");
}

/* bounce_templates_dump - all four templates */
void bounce_templates_dump(VSTREAM *fp, const BOUNCE_TEMPLATES *ts, int expand)
{
    template_dump(fp, ts->failure, expand);
    vstream_fprintf(fp, "\n");
    template_dump(fp, ts->delay, expand);
    vstream_fprintf(fp, "\n");
    template_dump(fp, ts->success, expand);
    vstream_fprintf(fp, "\n");
    template_dump(fp, ts->verify, expand);
}

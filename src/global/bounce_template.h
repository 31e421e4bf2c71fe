#ifndef BOUNCE_TEMPLATE_H
#define BOUNCE_TEMPLATE_H

/*
 * bounce_template - the texts of delivery status notifications: built-in
 * defaults (Postfix's wording, which people and scripts recognize), and
 * overrides from bounce_template_file (format in bounce(5)). Shared by
 * the bounce daemon and "postconf -b/-t".
 */

#include "argv.h"
#include "vstream.h"
#include "vstring.h"

#define BOUNCE_TMPL_FAILURE 1 /* undeliverable mail */
#define BOUNCE_TMPL_DELAY 2   /* delayed mail */
#define BOUNCE_TMPL_SUCCESS 3 /* successful delivery (DSN NOTIFY=SUCCESS) */
#define BOUNCE_TMPL_VERIFY 4  /* sendmail -bv / -v report */

typedef struct BOUNCE_TEMPLATE {
    int class;                /* BOUNCE_TMPL_* */
    const char *name;         /* "failure_template" etc. */
    char *charset;            /* Charset: */
    char *from;               /* From: */
    char *subject;            /* Subject: */
    char *postmaster_subject; /* Postmaster-Subject:, or 0 (success, verify) */
    ARGV *text;               /* message text lines, $names unexpanded */
} BOUNCE_TEMPLATE;

typedef struct BOUNCE_TEMPLATES {
    BOUNCE_TEMPLATE *failure;
    BOUNCE_TEMPLATE *delay;
    BOUNCE_TEMPLATE *success;
    BOUNCE_TEMPLATE *verify;
} BOUNCE_TEMPLATES;

/* bounce_templates_create - the built-in defaults */
extern BOUNCE_TEMPLATES *bounce_templates_create(void);
extern void bounce_templates_free(BOUNCE_TEMPLATES *ts);

/*
 * bounce_templates_load - replace the templates that a file defines.
 * Returns 0, or -1 with the reason (file, line) in why; the templates are
 * then unchanged.
 */
extern int bounce_templates_load(BOUNCE_TEMPLATES *ts, const char *path, VSTRING *why);

/* bounce_template_encoding - "7bit" for a us-ascii template, else "8bit" */
extern const char *bounce_template_encoding(const BOUNCE_TEMPLATE *t);

/*
 * bounce_template_expand - each text line with $parameter, $$, and the
 * $delay_warning_time_<unit> / $maximal_queue_lifetime_<unit> specials
 * (unit seconds, minutes, hours, days or weeks) expanded, through out_fn.
 * Unknown names are logged and expand to nothing. Returns the first
 * non-zero result of out_fn, else 0.
 */
typedef int (*BOUNCE_TEMPLATE_OUT_FN)(VSTREAM *fp, const char *line);
extern int bounce_template_expand(BOUNCE_TEMPLATE_OUT_FN out_fn, VSTREAM *fp,
                                  const BOUNCE_TEMPLATE *t);

/*
 * bounce_templates_dump - all four in file format ("name = <<EOF" ...
 * "EOF"), with the text expanded when expand is non-zero (postconf -b)
 * or as written (postconf -t).
 */
extern void bounce_templates_dump(VSTREAM *fp, const BOUNCE_TEMPLATES *ts, int expand);

#endif

#ifndef POSTCONF_H
#define POSTCONF_H

/* postconf - shared state of the postconf command */

#include "argv.h"
#include "htable.h"
#include "vstream.h"
#include "vstring.h"

#include "mail_params.h"
#include "master_cf.h"

/* Command-line flags. */
#define PCF_SHOW_DEFS (1 << 0)     /* -d */
#define PCF_SHOW_NONDEF (1 << 1)   /* -n */
#define PCF_HIDE_NAME (1 << 2)     /* -h */
#define PCF_HIDE_VALUE (1 << 3)    /* -H */
#define PCF_SHOW_EVAL (1 << 4)     /* -x */
#define PCF_FOLD_LINE (1 << 5)     /* -f */
#define PCF_EDIT_CONF (1 << 6)     /* -e or name=value */
#define PCF_EDIT_EXCL (1 << 7)     /* -X */
#define PCF_COMMENT_OUT (1 << 8)   /* -# */
#define PCF_MASTER_ENTRY (1 << 9)  /* -M */
#define PCF_MASTER_FIELD (1 << 10) /* -F */
#define PCF_MASTER_PARAM (1 << 11) /* -P */
#define PCF_SASL_SERVER (1 << 12)  /* -a */
#define PCF_SASL_CLIENT (1 << 13)  /* -A */
#define PCF_MAIN_PARAM (1 << 14)   /* -p */

/* Where a known parameter comes from. */
#define PCF_PARAM_BUILTIN 1 /* mail_params.def */
#define PCF_PARAM_SERVICE 2 /* <transport>_... from master.cf */
#define PCF_PARAM_USER 3    /* defined in main.cf and used somewhere */

typedef struct PCF_PARAM {
    int kind;
    const MAIL_PARAM_INFO *info; /* PCF_PARAM_BUILTIN */
    char *defval;                /* PCF_PARAM_SERVICE: default text */
} PCF_PARAM;

extern int pcf_flags;
extern HTABLE *pcf_param_table; /* name -> PCF_PARAM */
extern MASTER_CF *pcf_master;   /* null when master.cf is missing */
extern char *pcf_main_path;
extern char *pcf_master_path;

/* postconf_params.c */
extern void pcf_register_builtin(void);
extern void pcf_register_service_params(void);
extern void pcf_register_user_params(void);
extern void pcf_warn_unused(int main_mode);
extern PCF_PARAM *pcf_find(const char *name);
extern const char *pcf_default_value(const char *name, PCF_PARAM *param);
extern const char *pcf_current_value(const char *name, PCF_PARAM *param);

/* postconf_print.c */
extern void pcf_print_line(VSTREAM *fp, const char *name, const char *value, int flags);
extern void pcf_show_params(ARGV *names);
extern char *pcf_expand(const char *value);

/* postconf_edit.c */
extern void pcf_edit_main(int mode, ARGV *args);
extern void pcf_rewrite_file(const char *path, ARGV *lines);
extern ARGV *pcf_read_lines(const char *path, int missing_ok);

/* postconf_master.c */
extern void pcf_read_master(int fail_on_missing);
extern void pcf_show_master(int mode, ARGV *filters);
extern void pcf_edit_master(int mode, ARGV *args);

#endif

#ifndef MASTER_CF_H
#define MASTER_CF_H

/*
 * master_cf - parse master.cf service entries.
 */

#include "argv.h"
#include "vstring.h"

#define MASTER_CF_DEFAULT (-1) /* the field was "-" */

/* Indexes of the fixed fields. */
#define MASTER_CF_SERVICE 0
#define MASTER_CF_TYPE 1
#define MASTER_CF_PRIVATE 2
#define MASTER_CF_UNPRIV 3
#define MASTER_CF_CHROOT 4
#define MASTER_CF_WAKEUP 5
#define MASTER_CF_MAXPROC 6
#define MASTER_CF_NFIELDS 7 /* the command and its arguments follow */

typedef struct MASTER_CF_ENTRY {
    char *fields[MASTER_CF_NFIELDS]; /* as written: "smtp", "inet", "n", "-", ... */
    char *name;                      /* fields[MASTER_CF_SERVICE] */
    char *type;                      /* inet, unix, unix-dgram, fifo, pass */
    int private_flag;                /* 1 (y), 0 (n), MASTER_CF_DEFAULT */
    int unpriv_flag;                 /* same */
    int chroot_flag;                 /* same */
    int wakeup;                      /* seconds, 0 when "-" */
    int wakeup_if_used;              /* "60?": only when the service was used */
    int maxproc;                     /* MASTER_CF_DEFAULT when "-" */
    ARGV *argv;                      /* command and arguments; {} removed, -o {n = v} as n=v */
    int lineno;                      /* where the entry starts */
} MASTER_CF_ENTRY;

typedef struct MASTER_CF {
    char *path;
    MASTER_CF_ENTRY **entries;
    int count;
    int size;
} MASTER_CF;

extern MASTER_CF_ENTRY *master_cf_parse(const char *line, const char *path, int lineno,
                                        VSTRING *why);
extern void master_cf_entry_free(MASTER_CF_ENTRY *entry);
extern MASTER_CF *master_cf_read(const char *path, VSTRING *why);
extern void master_cf_free(MASTER_CF *mcf);
extern const char *master_cf_command(const MASTER_CF_ENTRY *entry);
extern int master_cf_options(const MASTER_CF_ENTRY *entry, ARGV *names, ARGV *values);
extern int master_cf_valid_type(const char *type);

#endif

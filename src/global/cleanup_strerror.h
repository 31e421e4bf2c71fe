#ifndef CLEANUP_STRERROR_H
#define CLEANUP_STRERROR_H

/* cleanup_strerror - what CLEANUP_STAT_* bits mean, in words and codes */

typedef struct CLEANUP_STAT_DETAIL {
    unsigned status;            /* the CLEANUP_STAT_* bit */
    int smtp;                   /* SMTP reply code */
    const char *dsn;            /* enhanced status code */
    const char *text;           /* reason text */
} CLEANUP_STAT_DETAIL;

extern const CLEANUP_STAT_DETAIL *cleanup_stat_detail(unsigned status);
extern const char *cleanup_strerror(unsigned status);

#endif

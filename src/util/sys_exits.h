#ifndef SYS_EXITS_H
#define SYS_EXITS_H

/* sys_exits - sysexits.h status codes and what Postfix makes of them */

#define EX_OK 0
#define EX__BASE 64
#define EX_USAGE 64       /* command line usage error */
#define EX_DATAERR 65     /* data format error */
#define EX_NOINPUT 66     /* cannot open input */
#define EX_NOUSER 67      /* user unknown */
#define EX_NOHOST 68      /* host name unknown */
#define EX_UNAVAILABLE 69 /* service unavailable */
#define EX_SOFTWARE 70    /* internal software error */
#define EX_OSERR 71       /* system resource problem */
#define EX_OSFILE 72      /* critical OS file missing */
#define EX_CANTCREAT 73   /* can't create user output file */
#define EX_IOERR 74       /* input/output error */
#define EX_TEMPFAIL 75    /* temporary failure */
#define EX_PROTOCOL 76    /* remote error in protocol */
#define EX_NOPERM 77      /* permission denied */
#define EX_CONFIG 78      /* local configuration error */
#define EX__MAX 78

#define SYS_EXITS_CODE(code) ((code) >= EX__BASE && (code) <= EX__MAX)

typedef struct SYS_EXITS_DETAIL {
    int status;       /* the code, or 0 if unknown */
    const char *dsn;  /* RFC 3463 status, e.g. "5.1.1" */
    const char *text; /* e.g. "user unknown" */
} SYS_EXITS_DETAIL;

extern const SYS_EXITS_DETAIL *sys_exits_detail(int code);
extern const char *sys_exits_strerror(int code);
extern const char *sys_exits_dsn(int code);
extern int sys_exits_softerror(int code);

#endif

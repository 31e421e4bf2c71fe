#ifndef MSG_H
#define MSG_H

/* msg - diagnostics: info, warning, error, fatal, panic */

#include <stdarg.h>

#define MSG_INFO 0
#define MSG_WARN 1
#define MSG_ERROR 2
#define MSG_FATAL 3
#define MSG_PANIC 4

/* An output channel receives every message with its severity. */
typedef void (*MSG_OUTPUT_FN)(int level, const char *text);

extern int msg_verbose;

extern void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern void msg_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
extern void msg_fatal_status(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
extern void msg_panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
extern void msg_vprintf(int level, const char *fmt, va_list ap);

extern void msg_output(MSG_OUTPUT_FN fn);
extern void msg_output_reset(void);
extern void msg_output_remove(MSG_OUTPUT_FN fn);
extern void (*msg_cleanup(void (*fn)(void)))(void);
extern int msg_error_limit(int limit);

/* Test hook: make fatal/panic call this instead of exiting. */
extern void msg_exit_hook(void (*fn)(int status));

/* Channels. */
extern void msg_stderr_init(const char *progname);
extern void msg_syslog_init(const char *tag, int facility);
extern void msg_syslog_close(void);
extern void msg_syslog_set_tag(const char *tag);
extern int msg_logfile_init(const char *path, const char *tag);
extern int msg_logger_init(const char *path, const char *tag);
extern void msg_log_hostname(const char *name);
extern const char *msg_tag(void);

/* Severity names as they appear in log lines ("warning: ", ...). */
extern const char *msg_level_prefix(int level);

#endif

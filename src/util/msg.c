/*
 * msg - the one logging API.
 *
 * msg_info/warn/error/fatal/panic format a message once and hand it to every
 * registered output channel (stderr, syslog, a maillog_file). msg_error counts
 * errors and becomes fatal after a limit (13, as Postfix does); msg_fatal runs
 * the cleanup hook and exits with status 1; msg_panic does not clean up and
 * aborts so that a core dump shows the bug. A message issued while another is
 * being written (a signal handler, an output channel that logs) is dropped
 * rather than deadlocking.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"

#define MSG_MAX_OUTPUT 8
#define MSG_TEXT_LIMIT 4096

int     msg_verbose = 0;

static MSG_OUTPUT_FN outputs[MSG_MAX_OUTPUT];
static int output_count;
static void (*cleanup_fn)(void);
static void (*exit_fn)(int);
static int error_count;
static int error_limit = 13;
static volatile int busy;

/* msg_level_prefix - the text that precedes a message of this severity */
const char *msg_level_prefix(int level)
{
    static const char *prefix[] = {"", "warning: ", "error: ", "fatal: ", "panic: "};

    return (level >= MSG_INFO && level <= MSG_PANIC ? prefix[level] : "");
}

/* msg_output - add an output channel */
void msg_output(MSG_OUTPUT_FN fn)
{
    int i;

    for (i = 0; i < output_count; i++)
        if (outputs[i] == fn)
            return;
    if (output_count >= MSG_MAX_OUTPUT)
        msg_panic("msg_output: too many output channels");
    outputs[output_count++] = fn;
}

/* msg_output_remove - stop using one output channel */
void msg_output_remove(MSG_OUTPUT_FN fn)
{
    int i;

    for (i = 0; i < output_count; i++) {
        if (outputs[i] == fn) {
            memmove(outputs + i, outputs + i + 1, (output_count - i - 1) * sizeof(outputs[0]));
            output_count--;
            return;
        }
    }
}

/* msg_output_reset - forget all output channels */
void msg_output_reset(void)
{
    output_count = 0;
}

/* msg_cleanup - set the function that msg_fatal runs before exit */
void (*msg_cleanup(void (*fn)(void)))(void)
{
    void (*old)(void) = cleanup_fn;

    cleanup_fn = fn;
    return (old);
}

/* msg_error_limit - set the number of errors that is fatal */
int msg_error_limit(int limit)
{
    int old = error_limit;

    error_limit = limit;
    return (old);
}

/* msg_exit_hook - replace exit/abort, for tests of fatal paths */
void msg_exit_hook(void (*fn)(int status))
{
    exit_fn = fn;
}

/* msg_vprintf - format once, send to every channel */
void msg_vprintf(int level, const char *fmt, va_list ap)
{
    char text[MSG_TEXT_LIMIT];
    int saved_errno = errno;
    char *cp;
    int i;

    if (busy)
        return;
    busy = 1;
    errno = saved_errno;                        /* for %m */
    vsnprintf(text, sizeof(text), fmt, ap);
    /*
     * A message is one log line: control characters would forge new lines or
     * confuse log readers. Postfix shows each of them as '?'.
     */
    for (cp = text; *cp; cp++)
        if ((unsigned char) *cp < 0x20 || *cp == 0x7f)
            *cp = '?';
    for (i = 0; i < output_count; i++)
        outputs[i](level, text);
    if (output_count == 0)
        fprintf(stderr, "%s%s\n", msg_level_prefix(level), text);
    busy = 0;
    errno = saved_errno;
}

#define MSG_BODY(level) \
    do { \
        va_list ap; \
        va_start(ap, fmt); \
        msg_vprintf(level, fmt, ap); \
        va_end(ap); \
    } while (0)

/* msg_info - informational message */
void msg_info(const char *fmt, ...)
{
    MSG_BODY(MSG_INFO);
}

/* msg_warn - something is wrong, but the process goes on */
void msg_warn(const char *fmt, ...)
{
    MSG_BODY(MSG_WARN);
}

/* msg_error - a recoverable error; too many of them are fatal */
void msg_error(const char *fmt, ...)
{
    MSG_BODY(MSG_ERROR);
    if (++error_count >= error_limit)
        msg_fatal("too many errors - program terminated");
}

/* finish - run the cleanup hook once and leave */
static void finish(int status) __attribute__((noreturn));
static void finish(int status)
{
    void (*fn)(void) = cleanup_fn;

    cleanup_fn = 0;
    if (fn)
        fn();
    if (exit_fn)
        exit_fn(status);
    _exit(status);
}

/* msg_fatal - the process cannot go on */
void msg_fatal(const char *fmt, ...)
{
    MSG_BODY(MSG_FATAL);
    fflush(stdout);
    finish(1);
}

/* msg_fatal_status - the process cannot go on; exit with this status */
void msg_fatal_status(int status, const char *fmt, ...)
{
    MSG_BODY(MSG_FATAL);
    fflush(stdout);
    finish(status);
}

/* msg_panic - a bug: no cleanup, dump core */
void msg_panic(const char *fmt, ...)
{
    MSG_BODY(MSG_PANIC);
    if (exit_fn)
        exit_fn(2);
    abort();
}

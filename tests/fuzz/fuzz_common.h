#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H
/*
 * fuzz_common - shared helpers for the libFuzzer harnesses in tests/fuzz.
 *
 * fuzz_quiet() installs a logging channel that discards everything, so the
 * warnings our parsers print for bad input do not slow the fuzzer down (a
 * warning is an expected outcome, not a finding; a panic or fatal error is
 * still a finding because it ends the process). fuzz_cstring() gives the
 * input as a null-terminated copy, which is what most of our parsers take.
 * fuzz_stream() gives it as a readable VSTREAM backed by an anonymous
 * memory file, for the stream readers. Both copies are the caller's to free.
 */
#include <stddef.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"

/* fuzz_discard - the logging channel that drops everything */
static inline void fuzz_discard(int level, const char *text)
{
    (void)level;
    (void)text;
}

/* fuzz_quiet - replace all logging channels by the discarding one, once */
static inline void fuzz_quiet(void)
{
    static int done;

    if (!done) {
        msg_output_reset();
        msg_output(fuzz_discard);
        done = 1;
    }
}

/* fuzz_cstring - null-terminated copy of the fuzzer input */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = mymalloc(size + 1);

    memcpy(s, data, size);
    s[size] = 0;
    return (s);
}

/* fuzz_stream - a VSTREAM that reads exactly the fuzzer input, then EOF */
static inline VSTREAM *fuzz_stream(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz", 0);

    if (fd < 0)
        msg_fatal("memfd_create: %m");
    if (size > 0 && write(fd, data, size) != (ssize_t)size)
        msg_fatal("write memfd: %m");
    if (lseek(fd, 0, SEEK_SET) < 0)
        msg_fatal("lseek memfd: %m");
    return (vstream_fdopen(fd, O_RDWR));
}

#endif

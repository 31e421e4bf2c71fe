/*
 * mail_flow - tokens on the master's flow-control pipe.
 *
 * The master hands every child both ends of one pipe (descriptors 3 and 4).
 * A process that removes mail from the incoming queue puts tokens in; a
 * process that adds mail takes one out per message and, when there is none,
 * slows down (in_flow_delay). The pipe is the shared counter: no locking, no
 * shared memory.
 *
 * Exports mail_flow_get(n) (take n tokens), mail_flow_put(n) (add n tokens)
 * and mail_flow_count() (tokens available now).
 *
 * Failure: -1 when the pipe is not there (a program not started by the
 * master) or holds fewer tokens than asked for; nothing is logged, the
 * caller decides whether to wait.
 */

#include <sys/ioctl.h>
#include <unistd.h>

#include "mail_flow.h"
#include "master_proto.h"
#include "msg.h"

#define MAIL_FLOW_CHUNK 512

/* mail_flow_get - take count tokens, all or nothing as far as possible */
ssize_t mail_flow_get(ssize_t count)
{
    char buf[MAIL_FLOW_CHUNK];
    ssize_t done;
    ssize_t n;

    if (count <= 0)
        msg_panic("mail_flow_get: bad count %ld", (long)count);
    if (mail_flow_count() < count)
        return (-1);
    for (done = 0; done < count; done += n) {
        n = count - done > MAIL_FLOW_CHUNK ? MAIL_FLOW_CHUNK : count - done;
        if ((n = read(MASTER_FLOW_READ, buf, n)) <= 0)
            return (-1);
    }
    if (msg_verbose)
        msg_info("mail_flow_get: %ld %ld", (long)count, (long)done);
    return (count);
}

/* mail_flow_put - add count tokens; the pipe's own limit caps the total */
ssize_t mail_flow_put(ssize_t count)
{
    char buf[MAIL_FLOW_CHUNK] = {0};
    ssize_t done;
    ssize_t n;

    if (count <= 0)
        msg_panic("mail_flow_put: bad count %ld", (long)count);
    for (done = 0; done < count; done += n) {
        n = count - done > MAIL_FLOW_CHUNK ? MAIL_FLOW_CHUNK : count - done;
        if ((n = write(MASTER_FLOW_WRITE, buf, n)) < 0)
            return (-1);
    }
    if (msg_verbose)
        msg_info("mail_flow_put: %ld %ld", (long)count, (long)done);
    return (count);
}

/* mail_flow_count - tokens in the pipe right now */
ssize_t mail_flow_count(void)
{
    int count;

    if (ioctl(MASTER_FLOW_READ, FIONREAD, &count) < 0)
        return (-1);
    return (count);
}

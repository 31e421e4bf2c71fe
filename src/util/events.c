/*
 * events - a single-threaded reactor for daemons: descriptor readiness and
 * timers, on Linux epoll.
 *
 * A program registers interest with event_enable_read() or event_enable_write()
 * (one callback per direction per descriptor; enabling again replaces the
 * callback), drops it with event_disable_readwrite(), and asks for timers with
 * event_request_timer() (seconds) or event_request_timer_ms(). A timer is
 * identified by its callback and context: requesting the same pair again moves
 * the timer instead of adding a second one. event_loop() waits at most the
 * given delay (or until the first timer), then calls the callbacks of every
 * expired timer and every ready descriptor, and returns.
 *
 * Callbacks may enable, disable, close and re-open descriptors and request or
 * cancel timers freely. Every descriptor registration carries a generation
 * number that changes when the descriptor is disabled, so a readiness report
 * collected before a callback disabled (and perhaps re-used) a descriptor is
 * dropped rather than delivered to the wrong owner. Timers requested during a
 * dispatch round run in the next round at the earliest, so a callback that
 * re-arms itself with a zero delay cannot starve the descriptors.
 *
 * Readiness is level-triggered. A hang-up is reported to the read callback as
 * EVENT_READ (the read then returns end-of-file), an error condition without
 * input as EVENT_XCPT. Callers must disable a descriptor before closing it.
 *
 * Failures of epoll itself are fatal: the process cannot go on without its
 * event loop. Misuse (bad descriptor, null callback) is a panic.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "events.h"
#include "msg.h"
#include "mymalloc.h"

typedef struct EVENT_FD {
    EVENT_NOTIFY_FN read_cb; /* called when readable */
    void *read_ctx;
    EVENT_NOTIFY_FN write_cb; /* called when writable */
    void *write_ctx;
    uint32_t gen; /* changes whenever the descriptor is disabled */
    int mask;     /* EVENT_READ | EVENT_WRITE */
} EVENT_FD;

typedef struct EVENT_TIMER {
    long long when;    /* monotonic milliseconds */
    unsigned long seq; /* request order, for fairness */
    EVENT_NOTIFY_FN callback;
    void *context;
    struct EVENT_TIMER *prev;
    struct EVENT_TIMER *next;
} EVENT_TIMER;

#define EVENT_BATCH 128 /* readiness reports per epoll_wait() */

static int event_epfd = -1;
static EVENT_FD *event_fds;
static int event_fd_slots;
static int event_fd_enabled;     /* descriptors with a non-empty mask */
static EVENT_TIMER event_timers; /* ring head, sorted by (when, seq) */
static unsigned long event_timer_seq;
static time_t event_present;

/* event_now_ms - monotonic clock in milliseconds */
static long long event_now_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
        msg_fatal("clock_gettime: %m");
    return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* event_init - create the epoll instance and the timer ring on first use */
static void event_init(void)
{
    if (event_epfd >= 0)
        return;
    if ((event_epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
        msg_fatal("epoll_create1: %m");
    if (event_timers.next == 0)
        event_timers.next = event_timers.prev = &event_timers;
    event_present = time((time_t *)0);
}

/* event_time - the time of the last event loop wakeup */
time_t event_time(void)
{
    event_init();
    return (event_present);
}

/* event_fd_count - how many descriptors have read or write interest */
int event_fd_count(void)
{
    return (event_fd_enabled);
}

/* event_slot - the table entry for a descriptor, growing the table */
static EVENT_FD *event_slot(int fd)
{
    int new_slots;

    if (fd < 0)
        msg_panic("event: bad file descriptor %d", fd);
    if (fd >= event_fd_slots) {
        new_slots = event_fd_slots ? event_fd_slots : 64;
        while (new_slots <= fd)
            new_slots *= 2;
        event_fds = myrealloc(event_fds, new_slots * sizeof(*event_fds));
        memset(event_fds + event_fd_slots, 0, (new_slots - event_fd_slots) * sizeof(*event_fds));
        event_fd_slots = new_slots;
    }
    return (event_fds + fd);
}

/* event_epoll_mask - translate our interest mask to epoll flags */
static uint32_t event_epoll_mask(int mask)
{
    return (((mask & EVENT_READ) ? EPOLLIN : 0) | ((mask & EVENT_WRITE) ? EPOLLOUT : 0));
}

/* event_register - tell epoll about a descriptor's new interest mask */
static void event_register(int fd, EVENT_FD *ent, int new_mask)
{
    struct epoll_event ev;
    int op;

    memset(&ev, 0, sizeof(ev));
    ev.events = event_epoll_mask(new_mask);
    ev.data.u64 = ((uint64_t)ent->gen << 32) | (uint32_t)fd;
    op = ent->mask ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(event_epfd, op, fd, &ev) < 0) {
        /* The caller closed and re-opened the descriptor without telling us. */
        if (op == EPOLL_CTL_MOD && errno == ENOENT)
            op = EPOLL_CTL_ADD;
        else if (op == EPOLL_CTL_ADD && errno == EEXIST)
            op = EPOLL_CTL_MOD;
        else
            msg_fatal("epoll_ctl fd %d: %m", fd);
        if (epoll_ctl(event_epfd, op, fd, &ev) < 0)
            msg_fatal("epoll_ctl fd %d: %m", fd);
    }
    if (ent->mask == 0)
        event_fd_enabled++;
    ent->mask = new_mask;
}

/* event_enable_read - call back when the descriptor becomes readable */
void event_enable_read(int fd, EVENT_NOTIFY_FN callback, void *context)
{
    EVENT_FD *ent;

    if (callback == 0)
        msg_panic("event_enable_read: null callback for fd %d", fd);
    event_init();
    ent = event_slot(fd);
    ent->read_cb = callback;
    ent->read_ctx = context;
    if ((ent->mask & EVENT_READ) == 0)
        event_register(fd, ent, ent->mask | EVENT_READ);
}

/* event_enable_write - call back when the descriptor becomes writable */
void event_enable_write(int fd, EVENT_NOTIFY_FN callback, void *context)
{
    EVENT_FD *ent;

    if (callback == 0)
        msg_panic("event_enable_write: null callback for fd %d", fd);
    event_init();
    ent = event_slot(fd);
    ent->write_cb = callback;
    ent->write_ctx = context;
    if ((ent->mask & EVENT_WRITE) == 0)
        event_register(fd, ent, ent->mask | EVENT_WRITE);
}

/* event_disable_readwrite - forget all interest in a descriptor */
void event_disable_readwrite(int fd)
{
    EVENT_FD *ent;

    if (fd < 0)
        msg_panic("event_disable_readwrite: bad file descriptor %d", fd);
    if (fd >= event_fd_slots || event_fds[fd].mask == 0)
        return;
    ent = event_fds + fd;
    /* The descriptor may be closed already; epoll then forgot it by itself. */
    if (epoll_ctl(event_epfd, EPOLL_CTL_DEL, fd, (struct epoll_event *)0) < 0 && errno != EBADF &&
        errno != ENOENT)
        msg_fatal("epoll_ctl EPOLL_CTL_DEL fd %d: %m", fd);
    ent->read_cb = ent->write_cb = 0;
    ent->read_ctx = ent->write_ctx = 0;
    ent->mask = 0;
    ent->gen++;
    event_fd_enabled--;
}

/* event_timer_find - the pending timer for this callback and context */
static EVENT_TIMER *event_timer_find(EVENT_NOTIFY_FN callback, void *context)
{
    EVENT_TIMER *t;

    for (t = event_timers.next; t != &event_timers; t = t->next)
        if (t->callback == callback && t->context == context)
            return (t);
    return (0);
}

/* event_timer_unlink - take a timer out of the ring */
static void event_timer_unlink(EVENT_TIMER *t)
{
    t->prev->next = t->next;
    t->next->prev = t->prev;
}

/* event_request_timer_ms - (re)schedule a callback after delay_ms milliseconds */
time_t event_request_timer_ms(EVENT_NOTIFY_FN callback, void *context, long delay_ms)
{
    EVENT_TIMER *t;
    EVENT_TIMER *pos;

    if (callback == 0)
        msg_panic("event_request_timer: null callback");
    if (delay_ms < 0)
        msg_panic("event_request_timer: bad delay %ld ms", delay_ms);
    event_init();
    if ((t = event_timer_find(callback, context)) != 0)
        event_timer_unlink(t);
    else
        t = mymalloc(sizeof(*t));
    t->when = event_now_ms() + delay_ms;
    t->seq = ++event_timer_seq;
    t->callback = callback;
    t->context = context;
    /* Equal expiry times keep request order. */
    for (pos = event_timers.next; pos != &event_timers && pos->when <= t->when; pos = pos->next)
        /* void */;
    t->next = pos;
    t->prev = pos->prev;
    pos->prev->next = t;
    pos->prev = t;
    event_present = time((time_t *)0);
    return (event_present + (delay_ms + 999) / 1000);
}

/* event_request_timer - (re)schedule a callback after delay seconds */
time_t event_request_timer(EVENT_NOTIFY_FN callback, void *context, int delay)
{
    if (delay < 0)
        msg_panic("event_request_timer: bad delay %d", delay);
    return (event_request_timer_ms(callback, context, (long)delay * 1000));
}

/* event_cancel_timer - drop a pending timer; returns 1 if there was one */
int event_cancel_timer(EVENT_NOTIFY_FN callback, void *context)
{
    EVENT_TIMER *t;

    event_init();
    if ((t = event_timer_find(callback, context)) == 0)
        return (0);
    event_timer_unlink(t);
    myfree(t);
    return (1);
}

/* event_wait_ms - how long epoll may sleep, given the caller's limit and the timers */
static int event_wait_ms(long delay_ms)
{
    long long left;

    if (event_timers.next != &event_timers) {
        left = event_timers.next->when - event_now_ms();
        if (left < 0)
            left = 0;
        if (delay_ms < 0 || left < delay_ms)
            delay_ms = left;
    }
    if (delay_ms > 24L * 3600 * 1000)
        delay_ms = 24L * 3600 * 1000;
    return ((int)delay_ms);
}

/* event_run_timers - call every timer that expired before this round began */
static void event_run_timers(void)
{
    unsigned long stamp = event_timer_seq;
    long long now = event_now_ms();
    EVENT_TIMER *t;
    EVENT_NOTIFY_FN callback;
    void *context;

    for (;;) {
        for (t = event_timers.next; t != &event_timers && t->when <= now; t = t->next)
            if (t->seq <= stamp)
                break;
        if (t == &event_timers || t->when > now)
            return;
        event_timer_unlink(t);
        callback = t->callback;
        context = t->context;
        myfree(t);
        callback(EVENT_TIME, context);
    }
}

/* event_dispatch_fd - deliver one readiness report, if its owner still wants it */
static void event_dispatch_fd(const struct epoll_event *ev)
{
    int fd = (int)(uint32_t)ev->data.u64;
    uint32_t gen = (uint32_t)(ev->data.u64 >> 32);
    EVENT_FD *ent;
    int delivered = 0;

    if (fd >= event_fd_slots || event_fds[fd].gen != gen)
        return;
    ent = event_fds + fd;
    if ((ent->mask & EVENT_READ) && (ev->events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
        delivered = 1;
        ent->read_cb((ev->events & (EPOLLIN | EPOLLHUP)) ? EVENT_READ : EVENT_XCPT, ent->read_ctx);
    }
    /* The read callback may have changed everything; look again. */
    if (fd >= event_fd_slots || event_fds[fd].gen != gen)
        return;
    ent = event_fds + fd;
    if ((ent->mask & EVENT_WRITE) && (ev->events & EPOLLOUT))
        ent->write_cb(EVENT_WRITE, ent->write_ctx);
    else if ((ent->mask & EVENT_WRITE) && !delivered && (ev->events & (EPOLLHUP | EPOLLERR)))
        ent->write_cb(EVENT_XCPT, ent->write_ctx);
}

/* event_loop_ms - wait at most delay_ms (-1: no limit), then dispatch */
void event_loop_ms(long delay_ms)
{
    struct epoll_event events[EVENT_BATCH];
    int n;
    int i;

    event_init();
    n = epoll_wait(event_epfd, events, EVENT_BATCH, event_wait_ms(delay_ms));
    if (n < 0) {
        if (errno != EINTR)
            msg_fatal("epoll_wait: %m");
        n = 0;
    }
    event_present = time((time_t *)0);
    event_run_timers();
    for (i = 0; i < n; i++)
        event_dispatch_fd(events + i);
}

/* event_loop - wait at most delay seconds (-1: no limit), then dispatch */
void event_loop(int delay)
{
    event_loop_ms(delay < 0 ? -1 : (long)delay * 1000);
}

/* event_drain - run the loop until no descriptor has interest, or time runs out */
void event_drain(int seconds)
{
    long long deadline;
    long long left;

    event_init();
    deadline = event_now_ms() + (long long)seconds * 1000;
    while (event_fd_enabled > 0 && (left = deadline - event_now_ms()) > 0)
        event_loop_ms((long)left);
}

/* event_fork - give a child process its own epoll instance with the same interest */
void event_fork(void)
{
    EVENT_FD *ent;
    int fd;
    int mask;

    if (event_epfd < 0)
        return;
    (void)close(event_epfd);
    event_epfd = -1;
    event_init();
    event_fd_enabled = 0;
    for (fd = 0; fd < event_fd_slots; fd++) {
        ent = event_fds + fd;
        if ((mask = ent->mask) != 0) {
            ent->mask = 0;
            event_register(fd, ent, mask);
        }
    }
}

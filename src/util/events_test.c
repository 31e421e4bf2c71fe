/* events_test - module tests for the event loop */

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "testing.h"

static int calls;
static int last_event;
static void *last_context;

/* record - a callback that remembers how it was called */
static void record(int event, void *context)
{
    calls++;
    last_event = event;
    last_context = context;
}

/* now_ms - monotonic milliseconds, for checking how long the loop waited */
static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

TEST(read_event_reaches_its_callback)
{
    int fds[2];
    int ctx;

    CHECK(pipe(fds) == 0);
    calls = 0;
    event_enable_read(fds[0], record, &ctx);
    event_loop_ms(0);
    CHECK_INT(calls, 0);
    CHECK(write(fds[1], "x", 1) == 1);
    event_loop(1);
    CHECK_INT(calls, 1);
    CHECK_INT(last_event, EVENT_READ);
    CHECK(last_context == &ctx);
    event_disable_readwrite(fds[0]);
    CHECK_INT(event_fd_count(), 0);
    close(fds[0]);
    close(fds[1]);
}

TEST(write_event_and_hangup)
{
    int fds[2];
    char ch;

    CHECK(pipe(fds) == 0);
    calls = 0;
    event_enable_write(fds[1], record, 0);
    event_loop(1);
    CHECK_INT(calls, 1);
    CHECK_INT(last_event, EVENT_WRITE);
    event_disable_readwrite(fds[1]);
    close(fds[1]);
    /* The writer is gone: the reader hears about it as a readable EOF. */
    event_enable_read(fds[0], record, 0);
    event_loop(1);
    CHECK_INT(calls, 2);
    CHECK_INT(last_event, EVENT_READ);
    CHECK_INT(read(fds[0], &ch, 1), 0);
    event_disable_readwrite(fds[0]);
    close(fds[0]);
}

TEST(loop_returns_after_its_delay_without_events)
{
    long long start = now_ms();

    calls = 0;
    event_loop_ms(60);
    CHECK(now_ms() - start >= 55);
    CHECK_INT(calls, 0);
}

static int order[4];
static int norder;

/* note_order - remember which timer fired, by context */
static void note_order(int event, void *context)
{
    if (norder < 4)
        order[norder++] = (int)(long)context;
}

TEST(timers_fire_in_expiry_order_and_rerequest_replaces)
{
    norder = 0;
    event_request_timer_ms(note_order, (void *)2L, 80);
    event_request_timer_ms(note_order, (void *)1L, 40);
    event_request_timer_ms(note_order, (void *)3L, 10);
    /* Moving timer 3 behind the others must not leave a second copy. */
    event_request_timer_ms(note_order, (void *)3L, 120);
    while (norder < 3)
        event_loop(2);
    CHECK_INT(order[0], 1);
    CHECK_INT(order[1], 2);
    CHECK_INT(order[2], 3);
    event_loop_ms(30);
    CHECK_INT(norder, 3);
}

TEST(timer_loop_waits_for_the_timer_not_the_delay)
{
    long long start = now_ms();
    time_t when;

    calls = 0;
    when = event_request_timer(record, (void *)7L, 1);
    CHECK(when >= time((time_t *)0));
    while (calls == 0)
        event_loop(-1);
    CHECK(now_ms() - start >= 950);
    CHECK(now_ms() - start < 3000);
    CHECK_INT(last_event, EVENT_TIME);
    CHECK(last_context == (void *)7L);
    CHECK(event_time() >= when - 1);
}

TEST(cancelled_timer_does_not_fire)
{
    calls = 0;
    event_request_timer_ms(record, (void *)1L, 20);
    CHECK_INT(event_cancel_timer(record, (void *)1L), 1);
    CHECK_INT(event_cancel_timer(record, (void *)1L), 0);
    event_loop_ms(50);
    CHECK_INT(calls, 0);
}

/* cancel_other - a timer callback that cancels another due timer */
static void cancel_other(int event, void *context)
{
    calls++;
    event_cancel_timer(record, context);
}

TEST(timer_callback_may_cancel_a_due_timer)
{
    calls = 0;
    event_request_timer_ms(cancel_other, (void *)5L, 0);
    event_request_timer_ms(record, (void *)5L, 0);
    event_loop_ms(20);
    CHECK_INT(calls, 1);
    event_loop_ms(20);
    CHECK_INT(calls, 1);
}

static int rearms;

/* rearm - a timer that requests itself again with no delay */
static void rearm(int event, void *context)
{
    rearms++;
    event_request_timer_ms(rearm, context, 0);
}

TEST(self_rearming_timer_runs_once_per_round)
{
    int fds[2];

    CHECK(pipe(fds) == 0);
    CHECK(write(fds[1], "x", 1) == 1);
    rearms = 0;
    calls = 0;
    event_enable_read(fds[0], record, 0);
    event_request_timer_ms(rearm, 0, 0);
    event_loop(1);
    CHECK_INT(rearms, 1);
    CHECK_INT(calls, 1);
    event_loop(1);
    CHECK_INT(rearms, 2);
    event_cancel_timer(rearm, 0);
    event_disable_readwrite(fds[0]);
    close(fds[0]);
    close(fds[1]);
}

struct swap_pair {
    int *mine;  /* this pipe, {read, write} */
    int *other; /* the pipe whose registration we replace */
};

static int swaps;
static int stale_calls;
static int reused_fd;

/* stale - must never be called: its pipe never becomes readable */
static void stale(int event, void *context)
{
    stale_calls++;
}

/* swapper - replace the other readable pipe by a fresh one on the same number */
static void swapper(int event, void *context)
{
    struct swap_pair *sp = context;
    int fresh[2];

    swaps++;
    event_disable_readwrite(sp->other[0]);
    close(sp->other[0]);
    close(sp->other[1]);
    if (pipe(fresh) < 0)
        exit(1);
    reused_fd = (fresh[0] == sp->other[0]);
    sp->other[0] = fresh[0];
    sp->other[1] = fresh[1];
    event_enable_read(fresh[0], stale, 0);
}

TEST(callback_may_replace_another_ready_descriptor)
{
    int a[2], b[2];
    struct swap_pair pa = {a, b}, pb = {b, a};

    CHECK(pipe(a) == 0);
    CHECK(pipe(b) == 0);
    CHECK(write(a[1], "x", 1) == 1);
    CHECK(write(b[1], "x", 1) == 1);
    swaps = stale_calls = reused_fd = 0;
    event_enable_read(a[0], swapper, &pa);
    event_enable_read(b[0], swapper, &pb);
    event_loop(1);
    /* The report for the replaced pipe belongs to the old one: drop it. */
    CHECK_INT(swaps, 1);
    CHECK_INT(stale_calls, 0);
    CHECK_INT(reused_fd, 1);
    event_loop_ms(20);
    CHECK_INT(stale_calls, 0);
    event_disable_readwrite(a[0]);
    event_disable_readwrite(b[0]);
    CHECK_INT(event_fd_count(), 0);
    close(a[0]);
    close(a[1]);
    close(b[0]);
    close(b[1]);
}

static int drain_fd;

/* drain_one - read the byte and stop watching */
static void drain_one(int event, void *context)
{
    char ch;

    if (read(drain_fd, &ch, 1) == 1)
        calls++;
    event_disable_readwrite(drain_fd);
}

TEST(drain_runs_until_no_descriptors_remain)
{
    int fds[2];

    CHECK(pipe(fds) == 0);
    drain_fd = fds[0];
    calls = 0;
    event_enable_read(fds[0], drain_one, 0);
    CHECK(write(fds[1], "x", 1) == 1);
    event_drain(5);
    CHECK_INT(calls, 1);
    CHECK_INT(event_fd_count(), 0);
    close(fds[0]);
    close(fds[1]);
}

TEST(forked_child_gets_a_working_loop)
{
    int fds[2];
    int status;
    pid_t pid;

    CHECK(pipe(fds) == 0);
    calls = 0;
    event_enable_read(fds[0], record, 0);
    if ((pid = fork()) == 0) {
        event_fork();
        CHECK_INT(event_fd_count(), 1);
        if (write(fds[1], "x", 1) != 1)
            _exit(2);
        event_loop(2);
        _exit(calls == 1 ? 0 : 1);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* The parent's loop still works and sees the byte the child wrote. */
    event_loop(1);
    CHECK_INT(calls, 1);
    event_disable_readwrite(fds[0]);
    close(fds[0]);
    close(fds[1]);
}

int main(void)
{
    RUN(read_event_reaches_its_callback);
    RUN(write_event_and_hangup);
    RUN(loop_returns_after_its_delay_without_events);
    RUN(timers_fire_in_expiry_order_and_rerequest_replaces);
    RUN(timer_loop_waits_for_the_timer_not_the_delay);
    RUN(cancelled_timer_does_not_fire);
    RUN(timer_callback_may_cancel_a_due_timer);
    RUN(self_rearming_timer_runs_once_per_round);
    RUN(callback_may_replace_another_ready_descriptor);
    RUN(drain_runs_until_no_descriptors_remain);
    RUN(forked_child_gets_a_working_loop);
    return (TESTS_DONE());
}

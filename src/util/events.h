#ifndef EVENTS_H
#define EVENTS_H

/* events - single-threaded event loop: descriptor readiness and timers */

#include <time.h>

#define EVENT_READ 1  /* descriptor is readable (or at EOF) */
#define EVENT_WRITE 2 /* descriptor is writable */
#define EVENT_XCPT 4  /* error condition on the descriptor */
#define EVENT_TIME 8  /* a timer expired */

typedef void (*EVENT_NOTIFY_FN)(int event, void *context);

extern time_t event_time(void);
extern void event_enable_read(int fd, EVENT_NOTIFY_FN callback, void *context);
extern void event_enable_write(int fd, EVENT_NOTIFY_FN callback, void *context);
extern void event_disable_readwrite(int fd);
extern time_t event_request_timer(EVENT_NOTIFY_FN callback, void *context, int delay);
extern time_t event_request_timer_ms(EVENT_NOTIFY_FN callback, void *context, long delay_ms);
extern int event_cancel_timer(EVENT_NOTIFY_FN callback, void *context);
extern void event_loop(int delay);
extern void event_loop_ms(long delay_ms);
extern void event_drain(int seconds);
extern void event_fork(void);
extern int event_fd_count(void);

#endif

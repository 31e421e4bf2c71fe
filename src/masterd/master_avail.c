/*
 * master_avail - decide when the master itself watches a service's
 * listeners.
 *
 * While at least one child of a service is idle, the children accept the
 * connections and the master stays out of the way. When none is idle, the
 * master watches the listeners; a client knocking there makes it start one
 * more process, up to the service's process limit. A service at its limit
 * is still watched, but only to warn once in a while that clients wait.
 * A newly started child counts as idle from the moment it is forked, so one
 * knock never starts a crowd.
 *
 * Exports master_avail_listen() (re-evaluate after any change),
 * master_avail_cleanup(), master_avail_more() and master_avail_less().
 *
 * Failure: none beyond the event loop's own.
 */

#include "events.h"
#include "master.h"
#include "master_proto.h"
#include "msg.h"

#define MASTER_BUSY_WARN_INTERVAL 1000 /* seconds between limit warnings */

/*
 * master_avail_warn - tell the operator that clients wait for a process.
 * Only internet services warn (and go into stress mode), as with Postfix:
 * local services such as pickup or qmgr (process limit 1) are at their
 * limit whenever they work, and their clients (postdrop, sendmail) wait by
 * design.
 */
static void master_avail_warn(MASTER_SERV *serv)
{
    time_t now = event_time();

    if (serv->type != MASTER_SERV_TYPE_INET)
        return;
    serv->stress_until = now + MASTER_BUSY_WARN_INTERVAL;
    if (serv->busy_warn_time != 0 && now - serv->busy_warn_time < MASTER_BUSY_WARN_INTERVAL)
        return;
    serv->busy_warn_time = now;
    msg_warn("service \"%s\" (%s) has reached its process limit \"%d\": "
             "new clients may experience noticeable delays",
             serv->ext_name, serv->name, serv->max_proc);
    msg_warn("to avoid this condition, increase the process count in master.cf "
             "or reduce the service time per client");
    msg_warn("see http://www.postfix.org/STRESS_README.html for examples of "
             "stress-adapting configuration settings");
}

/* master_avail_event - a client knocks while no child is idle */
static void master_avail_event(int event, void *context)
{
    MASTER_SERV *serv = context;

    if (MASTER_THROTTLED(serv))
        return;
    if (serv->flags & MASTER_FLAG_FULL) {
        master_avail_warn(serv);
        master_avail_cleanup(serv);
        return;
    }
    master_spawn(serv);
}

/* master_avail_watch - enable or disable watching the listeners */
static void master_avail_watch(MASTER_SERV *serv, int on, int full)
{
    int i;

    if (on && !(serv->flags & MASTER_FLAG_LISTEN)) {
        if (msg_verbose)
            msg_info("master_avail_listen: enable events %s", serv->name);
        for (i = 0; i < serv->listen_fd_count; i++)
            if (serv->listen_fds[i] >= 0)
                event_enable_read(serv->listen_fds[i], master_avail_event, serv);
        serv->flags |= MASTER_FLAG_LISTEN;
    } else if (!on && (serv->flags & MASTER_FLAG_LISTEN)) {
        if (msg_verbose)
            msg_info("master_avail_listen: disable events %s", serv->name);
        for (i = 0; i < serv->listen_fd_count; i++)
            if (serv->listen_fds[i] >= 0)
                event_disable_readwrite(serv->listen_fds[i]);
        serv->flags &= ~MASTER_FLAG_LISTEN;
    }
    if (full)
        serv->flags |= MASTER_FLAG_FULL;
    else
        serv->flags &= ~MASTER_FLAG_FULL;
}

/* master_avail_listen - watch the listeners exactly when no child is idle */
void master_avail_listen(MASTER_SERV *serv)
{
    if (msg_verbose)
        msg_info("master_avail_listen: %s avail %d total %d max %d", serv->name, serv->avail_proc,
                 serv->total_proc, serv->max_proc);
    if (MASTER_THROTTLED(serv) || serv->avail_proc > 0) {
        master_avail_watch(serv, 0, 0);
    } else if (MASTER_LIMIT_OK(serv->max_proc, serv->total_proc)) {
        master_avail_watch(serv, 1, 0);
    } else if (!(serv->flags & MASTER_FLAG_FULL)) {
        /* Watch once more, to notice (and report) clients that must wait. */
        master_avail_watch(serv, 0, 0);
        master_avail_watch(serv, 1, 1);
    }
}

/* master_avail_cleanup - stop watching a service's listeners */
void master_avail_cleanup(MASTER_SERV *serv)
{
    master_avail_watch(serv, 0, 0);
}

/* master_avail_more - one more idle process */
void master_avail_more(MASTER_SERV *serv, MASTER_PROC *proc)
{
    if (proc->avail == MASTER_STAT_AVAIL)
        return;
    if (msg_verbose)
        msg_info("master_avail_more: pid %d (%s)", (int)proc->pid, serv->name);
    proc->avail = MASTER_STAT_AVAIL;
    serv->avail_proc++;
    master_avail_listen(serv);
}

/* master_avail_less - one idle process fewer */
void master_avail_less(MASTER_SERV *serv, MASTER_PROC *proc)
{
    if (proc->avail != MASTER_STAT_AVAIL)
        return;
    if (msg_verbose)
        msg_info("master_avail_less: pid %d (%s)", (int)proc->pid, serv->name);
    proc->avail = MASTER_STAT_TAKEN;
    serv->avail_proc--;
    master_avail_listen(serv);
}

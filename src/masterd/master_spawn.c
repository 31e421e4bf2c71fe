/*
 * master_spawn - start, reap, throttle and stop child processes.
 *
 * A child gets the flow-control pipe on descriptors 3 and 4, the child end
 * of its service's status channel on 5 and the service's listeners from 6
 * on; everything else the master holds is closed. Its environment carries
 * its generation (octal) so that its status reports can be told apart from
 * those of an older process with a recycled pid.
 *
 * A child that exits with a non-zero status or on a signal is logged as
 *   warning: process /path/to/cmd pid 1234 exit status 1
 *   warning: process /path/to/cmd pid 1234 killed by signal 11
 * and when it never took a client, the service is throttled: no new
 * process for service_throttle_time, so that a broken daemon does not spin.
 *
 * Exports master_spawn(), master_reap_child(), master_delete_children(),
 * master_kill_all(), master_proc_find(), master_throttle() and
 * master_child_count().
 *
 * Failure: fork failure throttles the service; exec failure is fatal in the
 * child (and then throttles the service, like any bad start).
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events.h"
#include "htable.h"
#include "master.h"
#include "master_proto.h"
#include "msg.h"
#include "mymalloc.h"

static HTABLE *master_procs; /* pid (decimal) -> MASTER_PROC */
static unsigned master_generation;

/* master_pid_key - hash key for a pid */
static const char *master_pid_key(pid_t pid, char *buf, size_t len)
{
    snprintf(buf, len, "%ld", (long)pid);
    return (buf);
}

/* master_proc_find - the child with this pid, or null */
MASTER_PROC *master_proc_find(pid_t pid)
{
    char key[32];

    if (master_procs == 0)
        return (0);
    return (htable_find(master_procs, master_pid_key(pid, key, sizeof(key))));
}

/* master_child_count - number of children not yet reaped */
int master_child_count(void)
{
    return (master_procs ? (int)master_procs->used : 0);
}

/* master_unthrottle - the throttle time is over */
static void master_unthrottle(int event, void *context)
{
    MASTER_SERV *serv = context;

    if (MASTER_THROTTLED(serv)) {
        if (msg_verbose)
            msg_info("throttle released for command %s", serv->path);
        serv->flags &= ~MASTER_FLAG_THROTTLE;
        master_avail_listen(serv);
    }
}

/* master_throttle - stop starting processes of a service for a while */
void master_throttle(MASTER_SERV *serv)
{
    if (!MASTER_THROTTLED(serv)) {
        if (msg_verbose)
            msg_info("throttling command %s", serv->path);
        serv->flags |= MASTER_FLAG_THROTTLE;
        event_request_timer(master_unthrottle, serv, serv->throttle_delay);
        master_avail_listen(serv);
    }
}

/* master_throttle_cleanup - forget a pending unthrottle */
void master_throttle_cleanup(MASTER_SERV *serv)
{
    event_cancel_timer(master_unthrottle, serv);
    serv->flags &= ~MASTER_FLAG_THROTTLE;
}

/* master_child_fds - put the inherited descriptors in place (child only) */
static void master_child_fds(MASTER_SERV *serv)
{
    int want = MASTER_LISTEN_FD + serv->listen_fd_count;
    int *src = mymalloc(sizeof(int) * want);
    int fd;
    int n;

    src[MASTER_FLOW_READ] = master_flow_pipe[0];
    src[MASTER_FLOW_WRITE] = master_flow_pipe[1];
    src[MASTER_STATUS_FD] = serv->status_fd[1];
    for (n = 0; n < serv->listen_fd_count; n++)
        src[MASTER_LISTEN_FD + n] = serv->listen_fds[n];

    /* First move every source above the target range, then into place. */
    for (fd = MASTER_FLOW_READ; fd < want; fd++)
        if ((src[fd] = fcntl(src[fd], F_DUPFD, want)) < 0)
            msg_fatal("master_spawn: fcntl F_DUPFD: %m");
    for (fd = MASTER_FLOW_READ; fd < want; fd++)
        if (dup2(src[fd], fd) < 0)
            msg_fatal("master_spawn: dup2(%d, %d): %m", src[fd], fd);
    myfree(src);
    closefrom(want);
}

/* master_child_exec - what the child does after fork */
static void __attribute__((noreturn)) master_child_exec(MASTER_SERV *serv, unsigned gen)
{
    char genbuf[64];
    struct sigaction sa;
    sigset_t none;
    int sig;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            (void)sigaction(sig, &sa, (struct sigaction *)0);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, (sigset_t *)0);
    master_child_fds(serv);
    snprintf(genbuf, sizeof(genbuf), "%o", gen);
    if (setenv(MASTER_GEN_NAME, genbuf, 1) < 0)
        msg_fatal("master_spawn: setenv: %m");
    execvp(serv->path, serv->args->argv);
    msg_fatal("master_spawn: exec %s: %m", serv->path);
}

/* master_spawn - start one more process of a service */
void master_spawn(MASTER_SERV *serv)
{
    MASTER_PROC *proc;
    char key[32];
    unsigned gen;
    pid_t pid;
    int stressed;

    if (!MASTER_LIMIT_OK(serv->max_proc, serv->total_proc))
        msg_panic("master_spawn: at process limit %d", serv->total_proc);
    if (serv->avail_proc > 0)
        msg_panic("master_spawn: processes available: %d", serv->avail_proc);
    if (MASTER_THROTTLED(serv))
        msg_panic("master_spawn: throttled service: %s", serv->path);

    /* Under overload, internet services start in their stress personality. */
    stressed = serv->type == MASTER_SERV_TYPE_INET && serv->stress_until > event_time();
    if (stressed) {
        argv_insert_one(serv->args, 1, "-o");
        argv_insert_one(serv->args, 2, "stress=yes");
    }
    gen = ++master_generation;
    if (master_procs == 0)
        master_procs = htable_create(100);
    switch (pid = fork()) {
    case -1:
        msg_warn("master_spawn: fork: %m -- throttling");
        master_throttle(serv);
        break;
    case 0:
        master_child_exec(serv, gen);
    default:
        if (msg_verbose)
            msg_info("spawn command %s; pid %ld", serv->path, (long)pid);
        proc = mymalloc(sizeof(*proc));
        proc->serv = serv;
        proc->pid = pid;
        proc->gen = gen;
        proc->avail = MASTER_STAT_TAKEN;
        proc->use_count = 0;
        htable_enter(master_procs, master_pid_key(pid, key, sizeof(key)), proc);
        serv->total_proc++;
        master_avail_more(serv, proc);
        master_wakeup_used(serv);
        break;
    }
    if (stressed)
        argv_delete(serv->args, 1, 2);
}

/* master_reap_log - report an abnormal exit */
static void master_reap_log(const char *path, pid_t pid, int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        msg_warn("process %s pid %ld exit status %d", path, (long)pid, WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        msg_warn("process %s pid %ld killed by signal %d", path, (long)pid, WTERMSIG(status));
}

/* master_reap_child - collect every child that has exited */
void master_reap_child(void)
{
    MASTER_PROC *proc;
    MASTER_SERV *serv;
    char key[32];
    pid_t pid;
    int status;

    while ((pid = waitpid((pid_t)-1, &status, WNOHANG)) > 0) {
        if (msg_verbose)
            msg_info("master_reap_child: pid %ld", (long)pid);
        if ((proc = master_proc_find(pid)) == 0) {
            /* In init mode, orphans of the whole container end up here. */
            if (msg_verbose || !master_init_mode)
                msg_info("master_reap: unknown pid: %ld", (long)pid);
            continue;
        }
        if ((serv = proc->serv) != 0) {
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                master_reap_log(serv->path, pid, status);
                if (proc->use_count == 0 && !MASTER_THROTTLED(serv)) {
                    msg_warn("%s: bad command startup -- throttling", serv->path);
                    master_throttle(serv);
                }
            }
            if (proc->avail == MASTER_STAT_AVAIL)
                serv->avail_proc--;
            serv->total_proc--;
        }
        htable_delete(master_procs, master_pid_key(pid, key, sizeof(key)), myfree);
        if (serv != 0)
            master_avail_listen(serv);
    }
}

/* master_forget_children - a service lets go of its processes; sig > 0: and signals them */
static void master_forget_children(MASTER_SERV *serv, int sig)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    MASTER_PROC *proc;

    if (master_procs == 0)
        return;
    list = htable_list(master_procs);
    for (ht = list; *ht; ht++) {
        proc = (*ht)->value;
        if (proc->serv != serv)
            continue;
        /* Detach first: the exit of a process we killed is not news. */
        proc->serv = 0;
        if (sig > 0 && kill(proc->pid, sig) < 0 && errno != ESRCH)
            msg_warn("master_delete_children: kill %ld: %m", (long)proc->pid);
    }
    myfree(list);
    serv->avail_proc = serv->total_proc = 0;
}

/* master_delete_children - terminate the processes of a dropped service */
void master_delete_children(MASTER_SERV *serv)
{
    master_forget_children(serv, SIGTERM);
}

/* master_detach_children - old processes of a replaced service finish alone */
void master_detach_children(MASTER_SERV *serv)
{
    master_forget_children(serv, 0);
}

/* master_kill_all - send a signal to every child */
void master_kill_all(int sig)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    MASTER_PROC *proc;

    if (master_procs == 0)
        return;
    list = htable_list(master_procs);
    for (ht = list; *ht; ht++) {
        proc = (*ht)->value;
        if (kill(proc->pid, sig) < 0 && errno != ESRCH)
            msg_warn("master_kill_all: kill %ld: %m", (long)proc->pid);
    }
    myfree(list);
}

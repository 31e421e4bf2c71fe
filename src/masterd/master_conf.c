/*
 * master_conf - start the service table, reload it, tear it down.
 *
 * Exports master_head (the running services), master_config() (first
 * start; errors in master.cf are fatal), master_refresh() (SIGHUP: re-read
 * main.cf and master.cf) and master_stop_all() (termination).
 *
 * On reload a service that is still there with the same endpoint keeps its
 * listeners, so no client sees a refused connection; every other setting
 * is taken from the new entry. The old processes of every service are cut
 * loose: their status channel closes, so each exits as soon as it is idle,
 * and new processes start with the new main.cf. A service that is gone is
 * stopped at once (its processes get SIGTERM) and one that is new starts.
 *
 * Failure: a master.cf with errors on reload is logged and ignored; the
 * running configuration stays.
 */

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "maillog_client.h"
#include "master.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

MASTER_SERV *master_head;

/* master_conf_path - where master.cf is */
static char *master_conf_path(void)
{
    return (concatenate(var_config_directory, "/master.cf", (char *)0));
}

/* master_serv_start - open a service for business */
static void master_serv_start(MASTER_SERV *serv, int listen)
{
    if (listen)
        master_listen_init(serv);
    master_status_init(serv);
    master_avail_listen(serv);
    master_wakeup_init(serv);
}

/* master_serv_stop - close a service; its processes are killed or cut loose */
static void master_serv_stop(MASTER_SERV *serv, int kill_children, int unlisten)
{
    master_wakeup_cleanup(serv);
    master_avail_cleanup(serv);
    if (kill_children)
        master_delete_children(serv);
    else
        master_detach_children(serv);
    master_status_cleanup(serv);
    master_throttle_cleanup(serv);
    if (unlisten)
        master_listen_cleanup(serv);
}

/* master_config - first start */
void master_config(void)
{
    char *path = master_conf_path();
    MASTER_SERV *serv;

    master_head = master_ent_load(path, 1);
    for (serv = master_head; serv; serv = serv->next)
        master_serv_start(serv, 1);
    myfree(path);
}

/* master_find - the running service with this name and type */
static MASTER_SERV *master_find(MASTER_SERV *list, MASTER_SERV *want)
{
    MASTER_SERV *serv;

    for (serv = list; serv; serv = serv->next)
        if (serv->type == want->type && strcmp(serv->ext_name, want->ext_name) == 0)
            return (serv);
    return (0);
}

/* master_refresh - SIGHUP: reload main.cf and master.cf */
int master_refresh(void)
{
    char *path;
    MASTER_SERV *fresh;
    MASTER_SERV *serv;
    MASTER_SERV *old;
    MASTER_SERV *next;
    MASTER_SERV **link;
    int i;

    mail_conf_flush();
    mail_conf_read();
    maillog_client_init("master");
    msg_info("reload -- version %s, configuration %s", var_mail_version, var_config_directory);
    path = master_conf_path();
    fresh = master_ent_load(path, 0);
    myfree(path);
    if (fresh == 0) {
        msg_warn("errors in master.cf -- keeping the running configuration");
        return (-1);
    }

    /* Services that went away stop now; the others are marked. */
    for (link = &master_head; (old = *link) != 0; /* see below */) {
        if (master_find(fresh, old) == 0) {
            *link = old->next;
            master_serv_stop(old, 1, 1);
            master_ent_free(old);
        } else {
            old->flags |= MASTER_FLAG_MARK;
            link = &old->next;
        }
    }

    /* Kept services hand over their listeners; new ones open their own. */
    for (serv = fresh; serv; serv = serv->next) {
        old = master_find(master_head, serv);
        if (old == 0 || (old->flags & MASTER_FLAG_MARK) == 0) {
            master_serv_start(serv, 1);
            continue;
        }
        if (strcmp(old->conf_key, serv->conf_key) == 0) {
            master_serv_stop(old, 0, 0);
            for (i = 0; i < serv->listen_fd_count; i++) {
                serv->listen_fds[i] = old->listen_fds[i];
                old->listen_fds[i] = -1;
            }
            master_serv_start(serv, 0);
        } else {
            master_serv_stop(old, 0, 1);
            master_serv_start(serv, 1);
        }
        old->flags &= ~MASTER_FLAG_MARK;
        old->ext_name[0] = 0; /* handled: never matches again */
    }
    for (old = master_head; old; old = next) {
        next = old->next;
        if (old->flags & MASTER_FLAG_MARK)
            msg_panic("master_refresh: service %s was not handled", old->ext_name);
        master_ent_free(old);
    }
    master_head = fresh;
    return (0);
}

/* master_stop_all - termination: children get SIGTERM */
void master_stop_all(void)
{
    struct sigaction sa;

    if (getpgrp() == getpid()) {
        /* We lead the process group: that also reaches their children. */
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = SIG_IGN;
        sigemptyset(&sa.sa_mask);
        (void)sigaction(SIGTERM, &sa, (struct sigaction *)0);
        if (kill(-getpid(), SIGTERM) < 0)
            msg_warn("master_stop_all: kill process group: %m");
    } else {
        master_kill_all(SIGTERM);
    }
}

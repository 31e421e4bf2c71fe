/*
 * master_ent - turn master.cf into the master's service table.
 *
 * Exports master_ent_load(path, fatal_errors), master_ent_free() and
 * master_ent_free_list(). Each logical line of master.cf becomes a
 * MASTER_SERV: the endpoint (private/name or public/name for local
 * services; the addresses from inet_interfaces and inet_protocols, or the
 * host in "host:port", for inet services), the process limit, the wakeup
 * timer, and the argument vector that the child will get:
 *
 *   command [-l] [-z] [-n service] -t type [-d] [-v...] [-u] [-c] [-s N] args
 *
 * (-l for maxproc 1, -z for maxproc 0, -n when the service name is not the
 * program name, -d when the master runs in the foreground, -u for
 * unprivileged, -c for chroot, -s with more than one listener). The
 * command line itself is split by the shared master.cf parser (master_cf.c);
 * the field checks here use the master's own words, which differ from
 * postconf's.
 *
 * Services listed in master_service_disable are left out. A second entry
 * for the same service and type replaces the first, with a warning.
 *
 * Failure: a bad entry yields "<path>: line <n>: <reason>"; with
 * fatal_errors that is fatal (start-up), otherwise it is logged as a
 * warning and the whole file is rejected (null), so that a reload keeps the
 * configuration that works.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "argv.h"
#include "host_port.h"
#include "mail_params.h"
#include "master.h"
#include "master_cf.h"
#include "master_proto.h"
#include "msg.h"
#include "myaddrinfo.h"
#include "mymalloc.h"
#include "readlline.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

/*
 * Parsing context, for the error messages.
 */
typedef struct MASTER_ENT_CTX {
    const char *path;
    int lineno;
    VSTRING *why; /* the first error */
} MASTER_ENT_CTX;

/*
 * inet_interfaces and inet_protocols as the master first saw them; a
 * reload cannot change the network listeners.
 */
static char *master_inet_interfaces;
static char *master_inet_protocols;

/* master_ent_error - record the first error of this file */
static void master_ent_error(MASTER_ENT_CTX *ctx, const char *fmt, ...)
{
    va_list ap;

    if (VSTRING_LEN(ctx->why) > 0)
        return;
    vstring_sprintf(ctx->why, "%s: line %d: ", ctx->path, ctx->lineno);
    va_start(ap, fmt);
    vstring_vsprintf_append(ctx->why, fmt, ap);
    va_end(ap);
}

/* master_ent_bool - a y/n/- field */
static int master_ent_bool(MASTER_ENT_CTX *ctx, const char *name, const char *value, int def)
{
    if (value == 0) {
        master_ent_error(ctx, "missing \"%s\" field", name);
        return (def);
    }
    if (strcmp(value, "-") == 0)
        return (def);
    if (strcmp(value, "y") == 0)
        return (1);
    if (strcmp(value, "n") == 0)
        return (0);
    master_ent_error(ctx, "field \"%s\": bad value: \"%s\"", name, value);
    return (def);
}

/* master_ent_int - a numeric field; "-" gives def */
static int master_ent_int(MASTER_ENT_CTX *ctx, const char *name, const char *value, int def)
{
    if (value == 0) {
        master_ent_error(ctx, "missing \"%s\" field", name);
        return (def);
    }
    if (strcmp(value, "-") == 0)
        return (def);
    if (!isdigit((unsigned char)*value) || strlen(value) > 9) {
        master_ent_error(ctx, "field \"%s\": bad value: \"%s\"", name, value);
        return (def);
    }
    return (atoi(value));
}

/* master_ent_type - service type by name, 0 if unknown */
static int master_ent_type(const char *type)
{
    if (strcmp(type, MASTER_XPORT_NAME_UNIX) == 0)
        return (MASTER_SERV_TYPE_UNIX);
    if (strcmp(type, MASTER_XPORT_NAME_INET) == 0)
        return (MASTER_SERV_TYPE_INET);
    if (strcmp(type, MASTER_XPORT_NAME_FIFO) == 0)
        return (MASTER_SERV_TYPE_FIFO);
    if (strcmp(type, MASTER_XPORT_NAME_PASS) == 0)
        return (MASTER_SERV_TYPE_PASS);
    if (strcmp(type, MASTER_XPORT_NAME_UXDG) == 0)
        return (MASTER_SERV_TYPE_UXDG);
    return (0);
}

/* master_ent_protocols - which address families inet_protocols enables */
static void master_ent_protocols(const char *value, int *v4, int *v6)
{
    char *copy = mystrdup(value);
    char *bp = copy;
    char *tok;
    int sock;

    *v4 = *v6 = 0;
    while ((tok = mystrtok(&bp, ", \t\r\n")) != 0) {
        if (strcasecmp(tok, "all") == 0) {
            *v4 = 1;
            /* "all" means what this host can do. */
            if ((sock = socket(AF_INET6, SOCK_STREAM, 0)) >= 0) {
                *v6 = 1;
                (void)close(sock);
            }
        } else if (strcasecmp(tok, "ipv4") == 0) {
            *v4 = 1;
        } else if (strcasecmp(tok, "ipv6") == 0) {
            *v6 = 1;
        } else {
            msg_fatal("bad inet_protocols value: \"%s\"", value);
        }
    }
    myfree(copy);
}

/* master_ent_port - a port name from known_tcp_ports becomes a number */
static char *master_ent_port(const char *port)
{
    char *copy = mystrdup(var_known_tcp_ports ? var_known_tcp_ports : "");
    char *bp = copy;
    char *item;
    char *num;
    char *result = 0;
    ARGV *names;
    int i;

    while (result == 0 && (item = mystrtok(&bp, ", \t\r\n")) != 0) {
        names = argv_split(item, "=");
        if (names->argc >= 2) {
            num = names->argv[names->argc - 1];
            for (i = 0; i < names->argc - 1; i++)
                if (strcasecmp(names->argv[i], port) == 0)
                    result = mystrdup(num);
        }
        argv_free(names);
    }
    myfree(copy);
    return (result ? result : mystrdup(port));
}

/* master_ent_add_addrs - listener addresses for one host (null: wildcard) */
static int master_ent_add_addrs(ARGV *addrs, const char *host, const char *port, int v4, int v6)
{
    struct addrinfo *res;
    struct addrinfo *ai;
    VSTRING *addr = vstring_alloc(50);
    int found = 0;

    if (host == 0) {
        if (v4) {
            argv_add(addrs, "0.0.0.0:", (char *)0);
            found++;
        }
        if (v6) {
            argv_add(addrs, "[::]:", (char *)0);
            found++;
        }
    } else if (hostname_to_sockaddr(host, (char *)0, SOCK_STREAM, &res) == 0) {
        for (ai = res; ai; ai = ai->ai_next) {
            if ((ai->ai_family == AF_INET && !v4) || (ai->ai_family == AF_INET6 && !v6))
                continue;
            if (sockaddr_to_hostaddr(ai->ai_addr, ai->ai_addrlen, addr, (VSTRING *)0) != 0)
                continue;
            if (ai->ai_family == AF_INET6)
                argv_add(addrs, "[", vstring_str(addr), "]:", (char *)0);
            else
                argv_add(addrs, vstring_str(addr), ":", (char *)0);
            found++;
        }
        freeaddrinfo(res);
    }
    vstring_free(addr);
    return (found);
}

/* master_ent_join_port - glue the argv_add pieces above into "addr:port" */
static ARGV *master_ent_join_port(ARGV *pieces, const char *port)
{
    ARGV *addrs = argv_alloc(pieces->argc + 1);
    VSTRING *buf = vstring_alloc(60);
    int i;

    for (i = 0; i < pieces->argc; i++) {
        vstring_strcat(buf, pieces->argv[i]);
        if (pieces->argv[i][strlen(pieces->argv[i]) - 1] == ':') {
            vstring_strcat(buf, port);
            argv_add(addrs, vstring_str(buf), (char *)0);
            vstring_truncate(buf, 0);
        }
    }
    vstring_free(buf);
    argv_free(pieces);
    argv_uniq(addrs);
    return (addrs);
}

/* master_ent_inet - the listener addresses of an inet service */
static ARGV *master_ent_inet(MASTER_ENT_CTX *ctx, MASTER_SERV *serv)
{
    char *copy = mystrdup(serv->name);
    char *host;
    char *port;
    char *num;
    char *list;
    char *bp;
    char *tok;
    const char *err;
    ARGV *pieces = argv_alloc(4);
    ARGV *addrs = 0;
    int v4, v6;

    master_ent_protocols(master_inet_protocols, &v4, &v6);
    if ((err = host_port(copy, &host, "", &port, (char *)0)) != 0 || *port == 0) {
        master_ent_error(ctx, "bad hostname or network address: %s", serv->name);
    } else if (*host) {
        serv->flags |= MASTER_FLAG_INETHOST;
        if (master_ent_add_addrs(pieces, host, port, v4, v6) == 0)
            master_ent_error(ctx, "bad hostname or network address: %s", serv->name);
    } else {
        list = bp = mystrdup(master_inet_interfaces);
        while ((tok = mystrtok(&bp, ", \t\r\n")) != 0) {
            if (strcasecmp(tok, "all") == 0) {
                master_ent_add_addrs(pieces, (char *)0, port, v4, v6);
            } else if (strcasecmp(tok, "loopback-only") == 0) {
                if (v4)
                    master_ent_add_addrs(pieces, "127.0.0.1", port, v4, 0);
                if (v6)
                    master_ent_add_addrs(pieces, "::1", port, 0, v6);
            } else if (master_ent_add_addrs(pieces, tok, port, v4, v6) == 0) {
                master_ent_error(ctx, "bad inet_interfaces value: %s", tok);
            }
        }
        myfree(list);
    }
    num = master_ent_port(port ? port : "");
    addrs = master_ent_join_port(pieces, num);
    myfree(num);
    myfree(copy);
    return (addrs);
}

/* master_ent_args - the child's argument vector */
static void master_ent_args(MASTER_SERV *serv, const char *type, int unpriv, int chroot, ARGV *cmd)
{
    const char *prog = basename_of(cmd->argv[0]);
    char count[20];
    int i;

    serv->args = argv_alloc(cmd->argc + 10);
    argv_add(serv->args, prog, (char *)0);
    if (serv->max_proc == 1)
        argv_add(serv->args, "-l", (char *)0);
    if (serv->max_proc == 0)
        argv_add(serv->args, "-z", (char *)0);
    if (strcmp(prog, serv->ext_name) != 0)
        argv_add(serv->args, "-n", serv->ext_name, (char *)0);
    argv_add(serv->args, "-t", type, (char *)0);
    if (master_detach == 0)
        argv_add(serv->args, "-d", (char *)0);
    for (i = 0; i < msg_verbose; i++)
        argv_add(serv->args, "-v", (char *)0);
    if (unpriv)
        argv_add(serv->args, "-u", (char *)0);
    if (chroot)
        argv_add(serv->args, "-c", (char *)0);
    if (serv->listen_fd_count > 1) {
        snprintf(count, sizeof(count), "%d", serv->listen_fd_count);
        argv_add(serv->args, "-s", count, (char *)0);
    }
    for (i = 1; i < cmd->argc; i++)
        argv_add(serv->args, cmd->argv[i], (char *)0);
    if (strchr(cmd->argv[0], '/') != 0)
        serv->path = mystrdup(cmd->argv[0]);
    else
        serv->path = concatenate(var_daemon_directory, "/", cmd->argv[0], (char *)0);
}

/* master_ent_disabled - is this service in master_service_disable */
static int master_ent_disabled(const char *name, const char *type)
{
    char *copy = mystrdup(var_master_service_disable ? var_master_service_disable : "");
    char *bp = copy;
    char *tok;
    char *slash;
    int found = 0;

    while (!found && (tok = mystrtok(&bp, ", \t\r\n")) != 0) {
        if ((slash = strrchr(tok, '/')) != 0 || (slash = strrchr(tok, '.')) != 0) {
            *slash = 0;
            found = strcmp(tok, name) == 0 && strcmp(slash + 1, type) == 0;
        } else {
            found = strcmp(tok, type) == 0;
        }
    }
    myfree(copy);
    return (found);
}

/* master_ent_parse - one logical line; null when disabled or bad */
static MASTER_SERV *master_ent_parse(MASTER_ENT_CTX *ctx, char *line)
{
    ARGV *fields = argv_split(line, " \t\r\n");
    const char *f[MASTER_CF_NFIELDS + 1];
    MASTER_CF_ENTRY *entry;
    MASTER_SERV *serv;
    VSTRING *why;
    char *addr_list;
    int priv, unpriv, chroot, i;

    for (i = 0; i <= MASTER_CF_NFIELDS; i++)
        f[i] = i < fields->argc ? fields->argv[i] : 0;
    serv = mycalloc(1, sizeof(*serv));
    serv->status_fd[0] = serv->status_fd[1] = -1;
    serv->ext_name = mystrdup(f[0]);
    if (f[1] == 0)
        master_ent_error(ctx, "missing \"%s\" field", "transport type");
    else if ((serv->type = master_ent_type(f[1])) == 0)
        master_ent_error(ctx, "bad transport type: %s", f[1]);
    priv = master_ent_bool(ctx, "private", f[2], 1);
    unpriv = master_ent_bool(ctx, "unprivileged", f[3], 1);
    chroot = master_ent_bool(ctx, "chroot", f[4], 0);
    serv->wakeup_time = master_ent_int(ctx, "wakeup_time", f[5], 0);
    if (f[5] && strchr(f[5], '?'))
        serv->flags |= MASTER_FLAG_CONDWAKE;
    serv->max_proc = master_ent_int(ctx, "max_proc", f[6], var_default_process_limit);
    if (f[7] == 0)
        master_ent_error(ctx, "missing \"%s\" field", "command");
    if (serv->type == MASTER_SERV_TYPE_INET && priv)
        master_ent_error(ctx, "inet service cannot be private");
    argv_free(fields);
    if (VSTRING_LEN(ctx->why) > 0) {
        master_ent_free(serv);
        return (0);
    }

    /* The command and its arguments, with { } groups, from the shared parser. */
    why = vstring_alloc(100);
    if ((entry = master_cf_parse(line, ctx->path, ctx->lineno, why)) == 0) {
        master_ent_error(ctx, "%s", vstring_str(why));
        vstring_free(why);
        master_ent_free(serv);
        return (0);
    }
    vstring_free(why);
    if (master_ent_disabled(serv->ext_name, entry->type)) {
        master_cf_entry_free(entry);
        master_ent_free(serv);
        return (0);
    }
    if (serv->type == MASTER_SERV_TYPE_INET) {
        serv->name = mystrdup(serv->ext_name);
        serv->listen_addrs = master_ent_inet(ctx, serv);
        serv->listen_fd_count = serv->listen_addrs->argc;
    } else {
        serv->name = concatenate(priv ? "private/" : "public/", serv->ext_name, (char *)0);
        serv->listen_fd_count = 1;
    }
    serv->listen_fds = mymalloc(sizeof(int) * (serv->listen_fd_count ? serv->listen_fd_count : 1));
    for (i = 0; i < serv->listen_fd_count; i++)
        serv->listen_fds[i] = -1;
    serv->throttle_delay = var_service_throttle_time;
    master_ent_args(serv, entry->type, unpriv, chroot, entry->argv);
    addr_list = serv->listen_addrs ? argv_join(serv->listen_addrs, ",") : mystrdup("");
    serv->conf_key = concatenate(entry->type, " ", serv->name, " ", addr_list, (char *)0);
    myfree(addr_list);
    master_cf_entry_free(entry);
    if (VSTRING_LEN(ctx->why) > 0) {
        master_ent_free(serv);
        return (0);
    }
    return (serv);
}

/* master_ent_free - release one service entry (not its listeners) */
void master_ent_free(MASTER_SERV *serv)
{
    myfree(serv->ext_name);
    if (serv->name)
        myfree(serv->name);
    if (serv->path)
        myfree(serv->path);
    if (serv->args)
        argv_free(serv->args);
    if (serv->listen_addrs)
        argv_free(serv->listen_addrs);
    if (serv->listen_fds)
        myfree(serv->listen_fds);
    if (serv->conf_key)
        myfree(serv->conf_key);
    myfree(serv);
}

/* master_ent_free_list - release a list of entries */
void master_ent_free_list(MASTER_SERV *head)
{
    MASTER_SERV *next;

    for (; head; head = next) {
        next = head->next;
        master_ent_free(head);
    }
}

/* master_ent_network - remember (or compare) the network settings */
static void master_ent_network(void)
{
    static const char *names[] = {"inet_interfaces", "inet_protocols"};
    char **saved[] = {&master_inet_interfaces, &master_inet_protocols};
    const char *now[] = {var_inet_interfaces, var_inet_protocols};
    int i;

    for (i = 0; i < 2; i++) {
        if (*saved[i] == 0) {
            *saved[i] = mystrdup(now[i]);
        } else if (strcmp(*saved[i], now[i]) != 0) {
            msg_warn("ignoring %s parameter value change", names[i]);
            msg_warn("old value: \"%s\", new value: \"%s\"", *saved[i], now[i]);
            msg_warn("to change %s, stop and start Postfix", names[i]);
        }
    }
}

/* master_ent_append - add a service, replacing an earlier duplicate */
static MASTER_SERV *master_ent_append(MASTER_SERV *head, MASTER_SERV *serv)
{
    MASTER_SERV **pp;
    MASTER_SERV *old;

    for (pp = &head; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->ext_name, serv->ext_name) == 0 && (*pp)->type == serv->type) {
            msg_warn("duplicate master.cf entry for service \"%s\" (%s) -- using the last entry",
                     serv->ext_name, serv->name);
            old = *pp;
            *pp = old->next;
            master_ent_free(old);
            break;
        }
    }
    for (pp = &head; *pp; pp = &(*pp)->next)
        /* void */;
    *pp = serv;
    return (head);
}

/* master_ent_load - read master.cf; null (after a warning) on errors */
MASTER_SERV *master_ent_load(const char *path, int fatal_errors)
{
    MASTER_ENT_CTX ctx;
    MASTER_SERV *head = 0;
    MASTER_SERV *serv;
    VSTREAM *fp;
    VSTRING *buf;
    int v4, v6;
    int first = 0;
    int lineno = 0;

    master_ent_network();
    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0) {
        if (fatal_errors)
            msg_fatal("open %s: %m", path);
        msg_warn("open %s: %m", path);
        return (0);
    }
    ctx.path = path;
    ctx.why = vstring_alloc(100);
    buf = vstring_alloc(200);
    while (VSTRING_LEN(ctx.why) == 0 && readllines(buf, fp, &lineno, &first) != 0) {
        ctx.lineno = first;
        if ((serv = master_ent_parse(&ctx, vstring_str(buf))) != 0)
            head = master_ent_append(head, serv);
    }
    (void)vstream_fclose(fp);
    vstring_free(buf);
    if (VSTRING_LEN(ctx.why) > 0) {
        master_ent_free_list(head);
        if (fatal_errors)
            msg_fatal("%s", vstring_str(ctx.why));
        msg_warn("%s", vstring_str(ctx.why));
        vstring_free(ctx.why);
        return (0);
    }
    vstring_free(ctx.why);

    /* Without any network protocol, inet services cannot listen anywhere. */
    master_ent_protocols(master_inet_protocols, &v4, &v6);
    if (!v4 && !v6) {
        MASTER_SERV **pp = &head;

        msg_warn("all network protocols are disabled (%s = %s)", "inet_protocols",
                 master_inet_protocols);
        msg_warn("disabling all type \"inet\" services in master.cf");
        while (*pp) {
            if ((*pp)->type == MASTER_SERV_TYPE_INET) {
                serv = *pp;
                *pp = serv->next;
                master_ent_free(serv);
            } else {
                pp = &(*pp)->next;
            }
        }
    }
    return (head);
}

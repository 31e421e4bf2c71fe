/*
 * smtpd_xforward - the XCLIENT and XFORWARD extensions.
 *
 * XCLIENT (for smtpd_authorized_xclient_hosts) replaces what the server
 * knows about its client - name, address, port, HELO name, protocol -
 * as if a different client had connected: access control then applies to
 * that client, and the server greets again. XFORWARD (for
 * smtpd_authorized_xforward_hosts) only records the original client of a
 * message that a content filter sends back, for logging and the queue
 * file; it lasts until the end of the current transaction.
 *
 * Exports smtpd_xclient_cmd() and smtpd_xforward_cmd() (0 after a 2xx
 * reply, -1 after an error reply), smtpd_xforward_init() and
 * smtpd_xforward_reset(). Attribute values are xtext-encoded on the wire;
 * [UNAVAILABLE] and [TEMPUNAVAIL] mean "not known".
 */

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "smtpd_check.h"
#include "smtpd_int.h"
#include "stringops.h"
#include "valid_hostname.h"
#include "xtext.h"

#define XATTR_UNAVAILABLE "[UNAVAILABLE]"
#define XATTR_TEMPUNAVAIL "[TEMPUNAVAIL]"
#define XATTR_VALUE_LIMIT 255

/* smtpd_xforward_init - no forwarded attributes */
void smtpd_xforward_init(SMTPD_STATE *state)
{
    memset(&state->xforward, 0, sizeof(state->xforward));
}

/* smtpd_xforward_reset - forget forwarded attributes */
void smtpd_xforward_reset(SMTPD_STATE *state)
{
    SMTPD_XFORWARD *xf = &state->xforward;
    char **fields[] = {&xf->name,      &xf->addr,  &xf->port,     &xf->namaddr, &xf->rfc_addr,
                       &xf->helo_name, &xf->ident, &xf->protocol, &xf->domain,  0};
    int i;

    for (i = 0; fields[i]; i++) {
        if (*fields[i])
            myfree(*fields[i]);
        *fields[i] = 0;
    }
    xf->flags = 0;
}

/* x_setstr - replace a string field */
static void x_setstr(char **field, const char *value)
{
    if (*field)
        myfree(*field);
    *field = value ? mystrdup(value) : 0;
}

/* x_split - "NAME=value" with the value decoded; 0, or -1 after a reply */
static int x_split(SMTPD_STATE *state, char *arg, char **name, VSTRING *value)
{
    char *eq;

    if ((eq = strchr(arg, '=')) == 0 || eq == arg) {
        smtpd_chat_reply(state, "501 5.5.4 Error: attribute=value expected");
        return (-1);
    }
    *eq = 0;
    *name = arg;
    if (strlen(eq + 1) > XATTR_VALUE_LIMIT) {
        smtpd_chat_reply(state, "501 5.5.4 Error: attribute value too long");
        return (-1);
    }
    /* Clients older than xtext encoding send the value as is. */
    if (xtext_unquote(value, eq + 1) == 0)
        vstring_strcpy(value, eq + 1);
    return (0);
}

/* x_addr - a client address: "IPv6:" prefix removed; 0 when bad */
static const char *x_addr(const char *value)
{
    if (strncasecmp(value, "IPv6:", 5) == 0) {
        value += 5;
        return (valid_ipv6_hostaddr(value, 0) ? value : 0);
    }
    return (valid_ipv4_hostaddr(value, 0) ? value : 0);
}

/* x_port - a TCP port number */
static int x_port(const char *value)
{
    return (alldig(value) && strlen(value) <= 5 && atoi(value) <= 65535);
}

/* x_bad - the reply for a malformed value */
static int x_bad(SMTPD_STATE *state, const char *name, const char *value)
{
    smtpd_chat_reply(state, "501 5.5.4 Bad %s syntax: %s", name, value);
    return (-1);
}

/* xclient_attr - one XCLIENT attribute; 0 or -1 after a reply */
static int xclient_attr(SMTPD_STATE *state, const char *name, const char *value)
{
    int unavail = (strcasecmp(value, XATTR_UNAVAILABLE) == 0);
    int tempfail = (strcasecmp(value, XATTR_TEMPUNAVAIL) == 0);
    const char *addr;

    if (strcasecmp(name, "NAME") == 0 || strcasecmp(name, "REVERSE_NAME") == 0) {
        int is_rev = (name[0] == 'R' || name[0] == 'r');

        if (!unavail && !tempfail && !valid_hostname(value, 0))
            return (x_bad(state, name, value));
        x_setstr(is_rev ? &state->reverse_name : &state->name,
                 unavail || tempfail ? CLIENT_NAME_UNKNOWN : value);
        *(is_rev ? &state->reverse_name_status : &state->name_status) =
            unavail    ? SMTPD_PEER_CODE_PERM
            : tempfail ? SMTPD_PEER_CODE_TEMP
                       : SMTPD_PEER_CODE_OK;
    } else if (strcasecmp(name, "ADDR") == 0) {
        if (unavail || tempfail) {
            x_setstr(&state->addr, CLIENT_ADDR_UNKNOWN);
            state->addr_family = AF_UNSPEC;
        } else if ((addr = x_addr(value)) == 0) {
            return (x_bad(state, name, value));
        } else {
            x_setstr(&state->addr, addr);
            state->addr_family = strchr(addr, ':') ? AF_INET6 : AF_INET;
        }
    } else if (strcasecmp(name, "PORT") == 0) {
        if (!unavail && !tempfail && !x_port(value))
            return (x_bad(state, name, value));
        x_setstr(&state->port, unavail || tempfail ? CLIENT_PORT_UNKNOWN : value);
    } else if (strcasecmp(name, "HELO") == 0) {
        if (unavail || tempfail) {
            x_setstr(&state->helo_name, 0);
        } else {
            if (*value == 0 || !allprint(value))
                return (x_bad(state, name, value));
            x_setstr(&state->helo_name, value);
        }
    } else if (strcasecmp(name, "PROTO") == 0) {
        if (strcasecmp(value, "SMTP") != 0 && strcasecmp(value, "ESMTP") != 0)
            return (x_bad(state, name, value));
        x_setstr(&state->protocol, value);
        uppercase(state->protocol);
    } else if (strcasecmp(name, "LOGIN") == 0) {
        /* SASL is not available: a login name is accepted and ignored. */
        if (!unavail && !tempfail && *value == 0)
            return (x_bad(state, name, value));
    } else if (strcasecmp(name, "DESTADDR") == 0) {
        if (!unavail && !tempfail && (addr = x_addr(value)) == 0)
            return (x_bad(state, name, value));
        x_setstr(&state->dest_addr, unavail || tempfail ? 0 : x_addr(value));
    } else if (strcasecmp(name, "DESTPORT") == 0) {
        if (!unavail && !tempfail && !x_port(value))
            return (x_bad(state, name, value));
        x_setstr(&state->dest_port, unavail || tempfail ? 0 : value);
    } else {
        smtpd_chat_reply(state, "501 5.5.4 Bad %s attribute name: %s", "XCLIENT", name);
        return (-1);
    }
    return (0);
}

/* smtpd_xclient_cmd - XCLIENT attr=value ... */
int smtpd_xclient_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    char *err;
    VSTRING *value;
    char *name;
    int i;

    if (state->sender) {
        smtpd_chat_reply(state, "503 5.5.1 Error: MAIL transaction in progress");
        return (-1);
    }
    if (argc < 2) {
        smtpd_chat_reply(state, "501 5.5.4 Syntax: %s attribute=value...", "XCLIENT");
        return (-1);
    }
    if (!state->xclient_allowed) {
        smtpd_chat_reply(state, "550 5.7.0 Error: insufficient authorization");
        return (-1);
    }
    value = vstring_alloc(100);
    /* The HELO name and protocol start over unless given. */
    x_setstr(&state->helo_name, 0);
    x_setstr(&state->protocol, "SMTP");
    state->flags &= ~SMTPD_FLAG_EHLO;
    for (i = 1; i < argc; i++) {
        if (x_split(state, argv[i], &name, value) < 0 ||
            xclient_attr(state, name, vstring_str(value)) < 0) {
            vstring_free(value);
            smtpd_peer_namaddr(state);
            return (-1);
        }
    }
    vstring_free(value);
    smtpd_peer_namaddr(state);
    state->flags |= SMTPD_FLAG_XCLIENT;
    /* The new client must itself be authorized to use XCLIENT/XFORWARD again. */
    state->xclient_allowed =
        namadr_list_match(smtpd_config.xclient_hosts, state->name, state->addr);
    state->xforward_allowed =
        namadr_list_match(smtpd_config.xforward_hosts, state->name, state->addr);
    if (!var_smtpd_delay_reject && (err = smtpd_check_client(state)) != 0) {
        state->access_denied = 1;
        if (state->access_denied_reply)
            myfree(state->access_denied_reply);
        state->access_denied_reply = mystrdup(err);
        smtpd_chat_reply(state, "%s", err);
        return (0);
    }
    smtpd_chat_reply(state, "220 %s", var_smtpd_banner);
    return (0);
}

/* xforward_attr - one XFORWARD attribute; 0 or -1 after a reply */
static int xforward_attr(SMTPD_STATE *state, const char *name, const char *value)
{
    SMTPD_XFORWARD *xf = &state->xforward;
    int unavail = (strcasecmp(value, XATTR_UNAVAILABLE) == 0);
    const char *addr;

    if (strcasecmp(name, "NAME") == 0) {
        if (!unavail && !valid_hostname(value, 0))
            return (x_bad(state, name, value));
        x_setstr(&xf->name, unavail ? CLIENT_NAME_UNKNOWN : value);
        xf->flags |= SMTPD_XFORWARD_FLAG_NAME;
    } else if (strcasecmp(name, "ADDR") == 0) {
        if (!unavail && (addr = x_addr(value)) == 0)
            return (x_bad(state, name, value));
        x_setstr(&xf->addr, unavail ? CLIENT_ADDR_UNKNOWN : x_addr(value));
        xf->flags |= SMTPD_XFORWARD_FLAG_ADDR;
    } else if (strcasecmp(name, "PORT") == 0) {
        if (!unavail && !x_port(value))
            return (x_bad(state, name, value));
        x_setstr(&xf->port, unavail ? CLIENT_PORT_UNKNOWN : value);
        xf->flags |= SMTPD_XFORWARD_FLAG_PORT;
    } else if (strcasecmp(name, "HELO") == 0) {
        if (!unavail && !allprint(value))
            return (x_bad(state, name, value));
        x_setstr(&xf->helo_name, unavail ? 0 : value);
        xf->flags |= SMTPD_XFORWARD_FLAG_HELO;
    } else if (strcasecmp(name, "PROTO") == 0) {
        if (!unavail && (*value == 0 || strlen(value) > 64 || !allprint(value)))
            return (x_bad(state, name, value));
        x_setstr(&xf->protocol, unavail ? 0 : value);
        xf->flags |= SMTPD_XFORWARD_FLAG_PROTO;
    } else if (strcasecmp(name, "IDENT") == 0) {
        if (!unavail && (*value == 0 || !allprint(value)))
            return (x_bad(state, name, value));
        x_setstr(&xf->ident, unavail ? 0 : value);
        xf->flags |= SMTPD_XFORWARD_FLAG_IDENT;
    } else if (strcasecmp(name, "SOURCE") == 0) {
        if (strcasecmp(value, "LOCAL") == 0)
            x_setstr(&xf->domain, "local");
        else if (strcasecmp(value, "REMOTE") == 0)
            x_setstr(&xf->domain, "remote");
        else if (!unavail)
            return (x_bad(state, name, value));
        xf->flags |= SMTPD_XFORWARD_FLAG_DOMAIN;
    } else {
        smtpd_chat_reply(state, "501 5.5.4 Bad %s attribute name: %s", "XFORWARD", name);
        return (-1);
    }
    return (0);
}

/* xforward_namaddr - the forwarded client as name[addr] */
static void xforward_namaddr(SMTPD_XFORWARD *xf)
{
    const char *name = xf->name ? xf->name : CLIENT_NAME_UNKNOWN;

    if (xf->addr == 0)
        return;
    x_setstr(&xf->namaddr, 0);
    x_setstr(&xf->rfc_addr, 0);
    if (var_smtpd_client_port_logging && xf->port)
        xf->namaddr = concatenate(name, "[", xf->addr, "]:", xf->port, (char *)0);
    else
        xf->namaddr = concatenate(name, "[", xf->addr, "]", (char *)0);
    xf->rfc_addr =
        strchr(xf->addr, ':') ? concatenate("IPv6:", xf->addr, (char *)0) : mystrdup(xf->addr);
}

/* smtpd_xforward_cmd - XFORWARD attr=value ... */
int smtpd_xforward_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    VSTRING *value;
    char *name;
    int i;

    if (state->sender) {
        smtpd_chat_reply(state, "503 5.5.1 Error: MAIL transaction in progress");
        return (-1);
    }
    if (argc < 2) {
        smtpd_chat_reply(state, "501 5.5.4 Syntax: %s attribute=value...", "XFORWARD");
        return (-1);
    }
    if (!state->xforward_allowed) {
        smtpd_chat_reply(state, "550 5.7.0 Error: insufficient authorization");
        return (-1);
    }
    value = vstring_alloc(100);
    for (i = 1; i < argc; i++) {
        if (x_split(state, argv[i], &name, value) < 0 ||
            xforward_attr(state, name, vstring_str(value)) < 0) {
            vstring_free(value);
            return (-1);
        }
    }
    vstring_free(value);
    xforward_namaddr(&state->xforward);
    smtpd_chat_reply(state, "250 2.0.0 Ok");
    return (0);
}

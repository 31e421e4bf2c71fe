/*
 * host_port - split a network endpoint specification into host and port.
 *
 * Accepted forms: "host:port", "[host]:port", "[host]:", "[host]", "host:",
 * ":port", and a single token. Brackets are needed for IPv6 addresses with a
 * port, but an unbracketed token is split at its last colon, so "::1:25"
 * still means host ::1 and port 25. A single token without a colon is a port
 * when the caller has a default host but no default port, a host when the
 * caller has a default port but no default host, and otherwise a port only
 * when it is all digits. Empty parts take the caller's defaults (a default
 * host may itself be "", meaning "all interfaces" to inet_listen).
 *
 * The buffer is modified in place; the results point into it or at the
 * defaults. The result is null on success, otherwise a short text saying
 * what is wrong, for the caller to put in its own diagnostic.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "host_port.h"
#include "stringops.h"

#define HOST_PORT_MAX 1024 /* no real host or service name is longer */

/* host_port_valid_host - letters, digits and the punctuation of names and addresses */
static int host_port_valid_host(const char *host)
{
    const unsigned char *cp;

    for (cp = (const unsigned char *)host; *cp; cp++)
        if (!isalnum(*cp) && strchr(".-_:%", *cp) == 0)
            return (0);
    return (1);
}

/* host_port_valid_port - a number from 0 to 65535, or a service name */
static int host_port_valid_port(const char *port)
{
    const unsigned char *cp = (const unsigned char *)port;

    if (alldig(port))
        return (strlen(port) <= 5 && atoi(port) <= 65535);
    if (!isalpha(*cp))
        return (0);
    for (; *cp; cp++)
        if (!isalnum(*cp) && *cp != '-' && *cp != '_' && *cp != '.')
            return (0);
    return (1);
}

/* host_port - split buf into host and port; null or an error text */
const char *host_port(char *buf, char **host, char *def_host, char **port, char *def_port)
{
    char *cp;

    if (strlen(buf) > HOST_PORT_MAX)
        return ("host or port information is too long");
    *host = *port = "";
    if (*buf == '[') {
        if ((cp = strchr(buf + 1, ']')) == 0)
            return ("missing \"]\" after host address");
        *cp++ = 0;
        *host = buf + 1;
        if (**host == 0)
            return ("empty \"[]\" host address");
        if (*cp == ':')
            *port = cp + 1;
        else if (*cp != 0)
            return ("unexpected text after \"]\"");
    } else if ((cp = split_at_right(buf, ':')) != 0) {
        *host = buf;
        *port = cp;
    } else if (def_host != 0 && def_port == 0) {
        *port = buf;
    } else if (def_port != 0 && def_host == 0) {
        *host = buf;
    } else if (alldig(buf)) {
        *port = buf;
    } else {
        *host = buf;
    }
    if (**host == 0 && (*host = def_host) == 0)
        return ("missing host information");
    if (**port == 0 && (*port = def_port) == 0)
        return ("missing port or service information");
    if (!host_port_valid_host(*host))
        return ("valid hostname or network address required");
    if (!host_port_valid_port(*port))
        return ("valid port number or service name required");
    return (0);
}

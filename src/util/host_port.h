#ifndef HOST_PORT_H
#define HOST_PORT_H

/* host_port - split "host:port", "[host]:port", "host", ":port", "port" */

extern const char *host_port(char *buf, char **host, char *def_host, char **port, char *def_port);

#endif

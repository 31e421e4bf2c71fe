#ifndef NEWALIASES_H
#define NEWALIASES_H
/* newaliases - the command that rebuilds every alias table */
#include "argv.h"

extern ARGV *newaliases_argv(int verbose, const char *alias_database);
#endif

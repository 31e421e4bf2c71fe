/*
 * newaliases - the command line that rebuilds the alias databases.
 *
 * Exports newaliases_argv(). "sendmail -bi" and "newaliases" do not build
 * tables themselves: they run $command_directory/postalias with one "-v"
 * per level of verbosity, "--", and every entry of alias_database (split at
 * commas and white space), the same command line the reference runs. The
 * configuration directory travels in MAIL_CONFIG, which the caller has
 * already set. The caller runs the result (execv) and owns the ARGV.
 */

#include "argv.h"
#include "newaliases.h"

/* newaliases_argv - argument vector for postalias, program name first */
ARGV *newaliases_argv(int verbose, const char *alias_database)
{
    ARGV *argv = argv_alloc(10);
    int i;

    argv_add(argv, "postalias", (char *)0);
    for (i = 0; i < verbose; i++)
        argv_add(argv, "-v", (char *)0);
    argv_add(argv, "--", (char *)0);
    argv_split_append(argv, alias_database, ", \t\r\n");
    return (argv);
}

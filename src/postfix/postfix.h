#ifndef POSTFIX_H
#define POSTFIX_H

/* postfix - internal interfaces of the postfix command */

extern int postfix_check_fatal(void);
extern void postfix_check_warn(void);
extern int postfix_post_install(const char *task);
extern int postfix_logrotate(char **args, long master_pid);

#endif

#ifndef CLEAN_ENV_H
#define CLEAN_ENV_H

/* clean_env - reduce the process environment to what is configured */

extern void clean_env(char **preserve_list);
extern void update_env(char **settings);

#endif

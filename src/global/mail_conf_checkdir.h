#ifndef MAIL_CONF_CHECKDIR_H
#define MAIL_CONF_CHECKDIR_H

/* mail_conf_checkdir - may a privileged command use this config directory */

extern int mail_conf_dir_listed(const char *default_dir, const char *config_dir);
extern void mail_conf_checkdir(const char *config_dir);
extern int mail_conf_unsafe(void);
extern void mail_conf_check_env_dir(void);

#endif

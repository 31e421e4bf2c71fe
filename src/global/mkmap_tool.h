#ifndef MKMAP_TOOL_H
#define MKMAP_TOOL_H
/* mkmap_tool - start-up and settings shared by postmap(1) and postalias(1) */

extern void mkmap_tool_init(int argc, char **argv, const char *name);
extern void mkmap_tool_config_dir(const char *dir);
extern void mkmap_tool_read_config(void);
extern void mkmap_tool_split_spec(const char *spec, char **type, char **name);

/* Settings from main.cf, valid after mkmap_tool_read_config(). */
extern int mkmap_tool_smtputf8;      /* smtputf8_enable */
extern int mkmap_tool_db_read_buf;   /* berkeley_db_read_buffer_size */
extern int mkmap_tool_db_create_buf; /* berkeley_db_create_buffer_size */
extern char *mkmap_tool_db_type;     /* default_database_type */
extern char *mkmap_tool_alias_db;    /* alias_database */
extern char *mkmap_tool_myhostname;  /* myhostname */
#endif

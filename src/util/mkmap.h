#ifndef MKMAP_H
#define MKMAP_H
/* mkmap - the writer side of tables: build or update a table file safely */
#include "dict.h"

typedef struct MKMAP MKMAP;

extern MKMAP *mkmap_open(const char *type, const char *path, int open_flags, int dict_flags);
extern int mkmap_append(MKMAP *mkmap, const char *key, const char *value);
extern void mkmap_close(MKMAP *mkmap);
extern DICT *mkmap_dict(MKMAP *mkmap);
extern int mkmap_supported(const char *type);
extern void mkmap_open_register(const char *type, DICT_OPEN_FN open_fn);
#endif

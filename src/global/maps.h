#ifndef MAPS_H
#define MAPS_H

/*
 * maps - an ordered list of lookup tables, searched as one.
 *
 * A parameter such as virtual_alias_maps names tables as "type:name"
 * separated by commas and/or white space ("{...}" stays one element, so
 * "inline:{a=b, c=d}" works). maps_find() asks them in order and returns the
 * first hit. After a miss, maps->error tells "not found" (DICT_ERR_NONE)
 * from a failed table (DICT_ERR_RETRY: defer; DICT_ERR_CONFIG); a failed
 * table stops the search, so a later table never answers in its place.
 */

#include "argv.h"
#include "dict.h"

typedef struct MAPS {
    char *title;                /* parameter name, for messages */
    ARGV *argv;                 /* registered names of the tables */
    int error;                  /* DICT_ERR_* of the last maps_find() */
} MAPS;

extern MAPS *maps_create(const char *title, const char *map_names, int dict_flags);

/*
 * flags: 0 asks every table; DICT_FLAG_FIXED asks only fixed-string tables
 * (used for keys derived from the original, like "user@domain" after
 * "user+ext@domain"), which skips regexp:, pcre: and cidr:.
 */
extern const char *maps_find(MAPS *maps, const char *key, int flags);
extern MAPS *maps_free(MAPS *maps);     /* returns null */

#endif

/*
 * dict_load - load "name = value" files (main.cf layout) into a named table.
 *
 * Exports dict_load_fp() and dict_load_file_xt(). Each logical line (see
 * readlline) must be "name = value"; the pair is stored with dict_update()
 * in the named table, which is created in memory when it does not exist
 * yet. A later line for the same name overrides an earlier one with a
 * warning. A line without '=' is fatal: a configuration file that cannot be
 * read as intended must not be half-used. dict_load_file_xt() returns 0
 * when the file cannot be opened (errno set), so that the caller decides
 * whether a missing file matters.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "dict.h"
#include "msg.h"
#include "readlline.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

/* dict_load_fp - load name=value pairs from an open stream */
void dict_load_fp(const char *dict_name, VSTREAM *fp)
{
    VSTRING *line = vstring_alloc(100);
    int lineno = 0;
    int first = 0;
    const char *err;
    const char *old;
    char *name;
    char *value;

    while (readllines(line, fp, &lineno, &first) != 0) {
        if (ISSPACE((unsigned char)*vstring_str(line)))
            msg_fatal("%s, line %d: logical line must not start with whitespace: \"%.30s%s\"",
                      vstream_path(fp), first, vstring_str(line),
                      VSTRING_LEN(line) > 30 ? "..." : "");
        if ((err = split_nameval(vstring_str(line), &name, &value)) != 0)
            msg_fatal("%s, line %d: %s: \"%s\"", vstream_path(fp), first, err, vstring_str(line));
        if ((old = dict_lookup(dict_name, name)) != 0 && strcmp(old, value) != 0)
            msg_warn("%s, line %d: overriding earlier entry: %s=%s", vstream_path(fp), first, name,
                     old);
        if (dict_update(dict_name, name, value) == DICT_STAT_ERROR)
            msg_fatal("%s, line %d: unable to update %s:%s", vstream_path(fp), first, dict_name,
                      name);
    }
    if (vstream_ferror(fp))
        msg_fatal("read %s: %m", vstream_path(fp));
    vstring_free(line);
}

/* dict_load_file_xt - load a file; 0 if it cannot be opened */
int dict_load_file_xt(const char *dict_name, const char *path)
{
    VSTREAM *fp;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0)
        return (0);
    dict_load_fp(dict_name, fp);
    (void)vstream_fclose(fp);
    return (1);
}

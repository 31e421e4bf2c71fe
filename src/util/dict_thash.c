/*
 * dict_thash - texthash:/path, a table source file read straight into memory.
 *
 * Exports dict_texthash_open(). The file has the postmap(1) source format
 * (key whitespace value; comments; continuation lines; keys may be quoted to
 * contain blanks). It is read once at open: malformed lines and duplicate
 * keys are skipped with a warning naming the file and line, the first
 * occurrence of a key wins. A file that cannot be opened is reported
 * through dict_surrogate() as "open database PATH: reason", the reference's
 * words. Changes to the file take effect when the table is opened again.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "dict.h"
#include "msg.h"
#include "mymalloc.h"
#include "readlline.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

/* dict_thash_load - read every entry into the in-memory table */
static void dict_thash_load(DICT *dict, VSTREAM *fp, const char *path)
{
    VSTRING *line = vstring_alloc(100);
    int lineno = 0;
    int first = 0;
    char *key;
    char *value;
    int status;

    while (readllines(line, fp, &lineno, &first) != 0) {
        if (ISSPACE((unsigned char)*vstring_str(line))) {
            msg_warn("%s: logical line must not start with whitespace: \"%.30s%s\"", path,
                     vstring_str(line), VSTRING_LEN(line) > 30 ? "..." : "");
            continue;
        }
        status = dict_split_entry(vstring_str(line), &key, &value);
        if (status == DICT_SPLIT_QUOTE) {
            msg_warn("%s, line %d: unbalanced '\"' in '%s' -- ignoring this line", path, first,
                     vstring_str(line));
            continue;
        }
        if (status != DICT_SPLIT_OK) {
            msg_warn("%s, line %d: expected format: key whitespace value -- ignoring this line",
                     path, first);
            continue;
        }
        if (key[strlen(key) - 1] == ':')
            msg_warn("%s, line %d: record is in \"key: value\" format; is this an alias file?",
                     path, first);
        if (dict_get(dict, key) != 0) {
            msg_warn("%s, line %d: duplicate entry: \"%s\"", path, first, key);
            continue;
        }
        (void)dict_put(dict, key, value);
    }
    if (vstream_ferror(fp))
        msg_fatal("read %s: %m", path);
    vstring_free(line);
}

/* dict_texthash_open - load a source file as a table */
DICT *dict_texthash_open(const char *path, int open_flags, int dict_flags)
{
    VSTREAM *fp;
    DICT *dict;
    struct stat st;

    if ((open_flags & O_ACCMODE) != O_RDONLY) {
        errno = EPERM;
        return (dict_surrogate(DICT_TYPE_TEXTHASH, path, open_flags, dict_flags,
                               "%s:%s map requires O_RDONLY access mode", DICT_TYPE_TEXTHASH,
                               path));
    }
    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0)
        return (dict_surrogate(DICT_TYPE_TEXTHASH, path, open_flags, dict_flags,
                               "open database %s: %m", path));
    if (fstat(vstream_fileno(fp), &st) < 0)
        msg_fatal("fstat %s: %m", path);
    dict = dict_ht_open(path, open_flags, dict_flags & ~DICT_FLAG_DUP_MASK);
    dict_thash_load(dict, fp, path);
    (void)vstream_fclose(fp);
    myfree(dict->type);
    dict->type = mystrdup(DICT_TYPE_TEXTHASH);
    dict->flags |= DICT_FLAG_FIXED;
    dict_set_owner(dict, &st);
    dict->mtime = st.st_mtime;
    return (dict);
}

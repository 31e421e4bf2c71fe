/*
 * readlline - logical lines of configuration files.
 *
 * main.cf, master.cf and table source files share one layout: a line whose
 * first non-blank byte is '#' is a comment, an empty or all-blank line is
 * ignored, and a line that starts with white space continues the logical line
 * before it. readllines() returns the next logical line, its physical lines
 * concatenated as they are (the continuation's leading blanks separate the
 * parts) without newlines or trailing blanks, or null at end of file. *lineno is the number of the last physical line read; *first_line,
 * if not null, the number of the line where the logical line started, which
 * is what error messages should name.
 *
 * Text that begins with white space where no logical line is open (the first
 * line of a file, or after a comment-only line at the top) is returned as a
 * line of its own, so that callers can report it as an error.
 */

#include <string.h>

#include "readlline.h"
#include "stringops.h"

/* is_comment_or_blank - nothing but white space, or a comment */
static int is_comment_or_blank(const char *line)
{
    const char *cp = skipblanks(line);

    return (*cp == 0 || *cp == '#');
}

/* readllines - read one logical line */
VSTRING *readllines(VSTRING *buf, VSTREAM *fp, int *lineno, int *first_line)
{
    static VSTRING *line;
    int ch;
    int have = 0;
    int dummy = 0;

    if (line == 0)
        line = vstring_alloc(100);
    if (lineno == 0)
        lineno = &dummy;
    VSTRING_RESET(buf);
    for (;;) {
        /* Look ahead: a line that does not start with blank ends this one. */
        if (have) {
            ch = vstream_getc(fp);
            if (ch == VSTREAM_EOF)
                break;
            vstream_ungetc(fp, ch);
            if (ch != ' ' && ch != '\t' && ch != '#' && ch != '\n' && ch != '\r')
                break;
        }
        if (vstring_get_nonl(line, fp) == VSTREAM_EOF)
            break;
        *lineno += 1;
        if (VSTRING_LEN(line) && vstring_end(line)[-1] == '\r')
            vstring_truncate(line, VSTRING_LEN(line) - 1);
        if (is_comment_or_blank(vstring_str(line)))
            continue;
        if (have == 0) {
            if (first_line)
                *first_line = *lineno;
            have = 1;
        }
        vstring_strcat(buf, vstring_str(line));
    }
    if (!have)
        return (0);
    *trimblanks(vstring_str(buf), VSTRING_LEN(buf)) = 0;
    buf->len = strlen(buf->data);
    return (buf);
}

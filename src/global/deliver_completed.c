/*
 * deliver_completed - mark a recipient done in its queue file.
 *
 * Exports deliver_completed(). The R record's type byte at the recipient's
 * offset is overwritten with D (after checking that the byte there is
 * really R, so that a wrong offset cannot damage the file), then the
 * stream is flushed and the file's data synced (fdatasync: the byte lies in
 * a block the file already has, so no metadata is needed to read it back),
 * so that the mark survives a crash before the agent reports success. A
 * write error is logged and returned as -1: the recipient is then simply
 * delivered again later, which is the safe way to fail.
 */

#include <stdio.h>
#include <unistd.h>

#include "deliver_completed.h"
#include "msg.h"
#include "rec_type.h"
#include "record.h"

/* deliver_completed - flip R to D at offset, and make it stick */
int deliver_completed(VSTREAM *fp, long offset)
{
    int type;

    if (offset <= 0)
        msg_panic("deliver_completed: bad offset %ld", offset);
    if (vstream_fseek(fp, (off_t)offset, SEEK_SET) < 0 ||
        (type = vstream_getc(fp)) == VSTREAM_EOF) {
        if (vstream_ferror(fp) || !vstream_feof(fp))
            msg_warn("read queue file %s at offset %ld: %m", vstream_path(fp), offset);
        else
            msg_warn("queue file %s: offset %ld is past the end", vstream_path(fp), offset);
        return (-1);
    }
    if (type == REC_TYPE_DONE)
        return (0);
    if (type != REC_TYPE_RCPT) {
        msg_warn("queue file %s: no recipient record at offset %ld", vstream_path(fp), offset);
        return (-1);
    }
    if (rec_put_type(fp, REC_TYPE_DONE, (off_t)offset) < 0 || vstream_fflush(fp) != 0) {
        msg_warn("update queue file %s: %m", vstream_path(fp));
        return (-1);
    }
    if (fdatasync(vstream_fileno(fp)) < 0) {
        msg_warn("fdatasync queue file %s: %m", vstream_path(fp));
        return (-1);
    }
    return (0);
}

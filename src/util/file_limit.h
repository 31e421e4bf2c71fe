#ifndef FILE_LIMIT_H
#define FILE_LIMIT_H

/* file_limit - the largest file this process may write */

#include <sys/types.h>

extern off_t get_file_limit(void);
extern void set_file_limit(off_t limit);

#endif

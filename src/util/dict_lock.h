#ifndef DICT_LOCK_H
#define DICT_LOCK_H
/* dict_lock - whole-file advisory locks for table files (fcntl style) */
extern int dict_lock_fd(int fd, int op);        /* DICT_LOCK_*; 0 or -1 with errno */
#endif

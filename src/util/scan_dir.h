#ifndef SCAN_DIR_H
#define SCAN_DIR_H

/*
 * scan_dir - walk a directory tree one level at a time: list the names in
 * a directory, step into a subdirectory and back out again.
 */

typedef struct SCAN_DIR SCAN_DIR;

/* scan_dir_open - start at path; null with errno set when it cannot be opened */
extern SCAN_DIR *scan_dir_open(const char *path);

/* scan_dir_next - the next name at the current level ("." and ".." skipped), or null */
extern char *scan_dir_next(SCAN_DIR *scan);

/* scan_dir_path - the current directory, as "start/sub/sub" */
extern const char *scan_dir_path(SCAN_DIR *scan);

/* scan_dir_push - descend into name; 0, or -1 with errno set (the level stays) */
extern int scan_dir_push(SCAN_DIR *scan, const char *name);

/* scan_dir_pop - back to the parent level; 0, or -1 at the starting level */
extern int scan_dir_pop(SCAN_DIR *scan);

/* scan_dir_close - release everything */
extern void scan_dir_close(SCAN_DIR *scan);

#endif

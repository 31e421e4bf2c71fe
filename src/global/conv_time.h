#ifndef CONV_TIME_H
#define CONV_TIME_H

/* conv_time - convert configuration text to times, numbers and booleans */

extern int conv_time(const char *text, int *seconds, int default_unit);
extern int conv_int(const char *text, int *value);
extern int conv_long(const char *text, long *value);
extern int conv_bool(const char *text, int *value);

#endif

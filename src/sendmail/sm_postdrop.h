#ifndef SM_POSTDROP_H
#define SM_POSTDROP_H

/* sm_postdrop - run postdrop and talk to it */

#include <sys/types.h>

#include "vstream.h"
#include "vstring.h"

typedef struct SM_POSTDROP {
    VSTREAM *stream;            /* records to postdrop, its answers back */
    pid_t pid;                  /* the postdrop process */
    char *command;              /* for messages */
    char *id;                   /* queue id of the maildrop file */
} SM_POSTDROP;

extern SM_POSTDROP *sm_postdrop_open(const char *command_dir, int verbose,
                                     const char *export_env);
extern int sm_postdrop_finish(SM_POSTDROP *pd, VSTRING *why);

#endif

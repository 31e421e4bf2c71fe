#ifndef DEBUG_PROCESS_H
#define DEBUG_PROCESS_H

/* debug_process - run debugger_command on this process */

extern void debug_process(void);

#endif

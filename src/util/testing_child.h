#ifndef TESTING_CHILD_H
#define TESTING_CHILD_H

/* testing_child - module tests: run code in a child, collect what it printed */

/*
 * Runs fn() in a child whose stdout and stderr go to a pipe; msg_fatal()
 * in the child exits through exit(). Returns what the child wrote (up to
 * 2000 bytes; valid until the next call) and stores its wait status.
 */
extern const char *testing_child_run(void (*fn)(void), int *status);

#endif

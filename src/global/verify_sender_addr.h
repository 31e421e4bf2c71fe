#ifndef VERIFY_SENDER_ADDR_H
#define VERIFY_SENDER_ADDR_H

/*
 * verify_sender_addr - the envelope sender of address verification probes:
 * $address_verify_sender ("" for the null sender), qualified with
 * @$myorigin, with a time-dependent number appended to the local part when
 * address_verify_sender_ttl is non-zero.
 */

/* The current probe sender; the result is overwritten by the next call. */
extern const char *make_verify_sender_addr(void);

/* addr when it is a current (or the previous) probe sender, else null. */
extern const char *valid_verify_sender_addr(const char *addr);

#endif

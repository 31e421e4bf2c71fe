#ifndef INPUT_TRANSP_H
#define INPUT_TRANSP_H

/* input_transp - receive_override_options: what a receiving program skips */

#define INPUT_TRANSP_UNKNOWN_RCPT (1 << 0)  /* no_unknown_recipient_checks */
#define INPUT_TRANSP_ADDRESS_MAPPING (1 << 1) /* no_address_mappings */
#define INPUT_TRANSP_HEADER_BODY (1 << 2)   /* no_header_body_checks */
#define INPUT_TRANSP_MILTER (1 << 3)        /* no_milters */

extern int input_transp_mask(const char *param_name, const char *pattern);
extern int input_transp_cleanup(int cleanup_flags, int transp_mask);

#endif

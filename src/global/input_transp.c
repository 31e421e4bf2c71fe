/*
 * input_transp - receive_override_options: a receiving program (pickup,
 * smtpd, qmqpd) that sits in front of or behind a content filter tells
 * cleanup what to leave out for the mail it hands over.
 *
 * Exports input_transp_mask(param_name, value): the INPUT_TRANSP_* bits for
 * a list of no_unknown_recipient_checks, no_address_mappings,
 * no_header_body_checks and no_milters (commas and/or white space); an
 * unknown name is fatal with the parameter's name, as a configuration error
 * is. input_transp_cleanup(flags, mask): the CLEANUP_FLAG_* request flags
 * with the overridden features turned off.
 */

#include "cleanup_user.h"
#include "input_transp.h"
#include "name_mask.h"

/* input_transp_mask - parse receive_override_options */
int input_transp_mask(const char *param_name, const char *pattern)
{
    static const NAME_MASK table[] = {
        {"no_unknown_recipient_checks", INPUT_TRANSP_UNKNOWN_RCPT},
        {"no_address_mappings", INPUT_TRANSP_ADDRESS_MAPPING},
        {"no_header_body_checks", INPUT_TRANSP_HEADER_BODY},
        {"no_milters", INPUT_TRANSP_MILTER},
        {0, 0},
    };

    return (name_mask_opt(param_name, table, pattern, NAME_MASK_FATAL | NAME_MASK_ANY_CASE));
}

/* input_transp_cleanup - cleanup request flags minus the overrides */
int input_transp_cleanup(int cleanup_flags, int transp_mask)
{
    if (transp_mask & INPUT_TRANSP_ADDRESS_MAPPING)
        cleanup_flags &= ~(CLEANUP_FLAG_BCC_OK | CLEANUP_FLAG_MAP_OK);
    if (transp_mask & INPUT_TRANSP_HEADER_BODY)
        cleanup_flags &= ~CLEANUP_FLAG_FILTER;
    if (transp_mask & INPUT_TRANSP_MILTER)
        cleanup_flags &= ~CLEANUP_FLAG_MILTER;
    return (cleanup_flags);
}

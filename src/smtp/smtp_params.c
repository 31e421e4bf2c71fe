/*
 * smtp_params - the per-protocol settings of the SMTP/LMTP client.
 *
 * Postfix has a twin lmtp_* parameter for almost every smtp_* parameter.
 * Rather than test "am I lmtp?" wherever a setting is used, one table maps
 * each field of SMTP_CFG to its two parameter names, and smtp_params_init()
 * copies the values of the chosen protocol from the loaded configuration
 * (mail_params_init() must have run). A name of 0 means the protocol has no
 * such parameter and the field gets the fixed value in the table.
 *
 * Exports smtp_cfg, smtp_params_init(), smtp_param_name(). A table entry
 * that names an unknown parameter is a build bug (panic).
 */

#include <stddef.h>
#include <string.h>

#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "smtp.h"
#include "stringops.h"

SMTP_CFG smtp_cfg;

typedef struct SMTP_PARAM {
    const char *smtp_name;
    const char *lmtp_name;
    size_t offset; /* of the field in SMTP_CFG */
    int is_str;    /* char * field, else int */
    int fixed;     /* int value when the protocol has no parameter */
} SMTP_PARAM;

#define INT_FIELD(s, l, f, v)                                                                      \
    {                                                                                              \
        s, l, offsetof(SMTP_CFG, f), 0, v                                                          \
    }
#define STR_FIELD(s, l, f)                                                                         \
    {                                                                                              \
        s, l, offsetof(SMTP_CFG, f), 1, 0                                                          \
    }

static const SMTP_PARAM smtp_param_table[] = {
    INT_FIELD("smtp_connect_timeout", "lmtp_connect_timeout", connect_timeout, 0),
    INT_FIELD("smtp_helo_timeout", "lmtp_lhlo_timeout", helo_timeout, 0),
    INT_FIELD("smtp_mail_timeout", "lmtp_mail_timeout", mail_timeout, 0),
    INT_FIELD("smtp_rcpt_timeout", "lmtp_rcpt_timeout", rcpt_timeout, 0),
    INT_FIELD("smtp_data_init_timeout", "lmtp_data_init_timeout", data_init_timeout, 0),
    INT_FIELD("smtp_data_xfer_timeout", "lmtp_data_xfer_timeout", data_xfer_timeout, 0),
    INT_FIELD("smtp_data_done_timeout", "lmtp_data_done_timeout", data_done_timeout, 0),
    INT_FIELD("smtp_quit_timeout", "lmtp_quit_timeout", quit_timeout, 0),
    INT_FIELD("smtp_rset_timeout", "lmtp_rset_timeout", rset_timeout, 0),
    INT_FIELD("smtp_skip_5xx_greeting", "lmtp_skip_5xx_greeting", skip_5xx_greeting, 0),
    INT_FIELD("smtp_line_length_limit", "lmtp_line_length_limit", line_length_limit, 0),
    INT_FIELD("smtp_mx_address_limit", "lmtp_mx_address_limit", mx_address_limit, 0),
    INT_FIELD("smtp_mx_session_limit", "lmtp_mx_session_limit", mx_session_limit, 0),
    INT_FIELD("smtp_connection_cache_on_demand", "lmtp_connection_cache_on_demand", cache_on_demand,
              0),
    INT_FIELD("smtp_connection_cache_time_limit", "lmtp_connection_cache_time_limit",
              cache_time_limit, 0),
    INT_FIELD("smtp_connection_reuse_count_limit", "lmtp_connection_reuse_count_limit",
              reuse_count_limit, 0),
    INT_FIELD("smtp_connection_reuse_time_limit", "lmtp_connection_reuse_time_limit",
              reuse_time_limit, 0),
    INT_FIELD("smtp_randomize_addresses", "lmtp_randomize_addresses", randomize_addresses, 0),
    INT_FIELD("smtp_skip_quit_response", "lmtp_skip_quit_response", skip_quit_response, 0),
    INT_FIELD("smtp_defer_if_no_mx_address_found", "lmtp_defer_if_no_mx_address_found",
              defer_if_no_mx_address, 0),
    INT_FIELD("smtp_never_send_ehlo", 0, never_send_ehlo, 0),
    INT_FIELD("smtp_always_send_ehlo", 0, always_send_ehlo, 1),
    INT_FIELD(0, "lmtp_assume_final", assume_final, 0),
    INT_FIELD("smtp_quote_rfc821_envelope", "lmtp_quote_rfc821_envelope", quote_rfc821_envelope, 0),
    INT_FIELD("smtp_per_request_deadline", "lmtp_per_request_deadline", per_request_deadline, 0),
    INT_FIELD("smtp_min_data_rate", "lmtp_min_data_rate", min_data_rate, 0),
    INT_FIELD("smtp_send_xforward_command", "lmtp_send_xforward_command", send_xforward, 0),
    INT_FIELD("smtp_xforward_timeout", "lmtp_xforward_timeout", xforward_timeout, 0),
    INT_FIELD("smtp_balance_inet_protocols", "lmtp_balance_inet_protocols", balance_inet_protocols,
              0),
    INT_FIELD("smtp_pix_workaround_delay_time", "lmtp_pix_workaround_delay_time", pix_delay_time,
              0),
    INT_FIELD("smtp_pix_workaround_threshold_time", "lmtp_pix_workaround_threshold_time",
              pix_threshold_time, 0),
    STR_FIELD("smtp_helo_name", "lmtp_lhlo_name", helo_name),
    STR_FIELD("smtp_tcp_port", "lmtp_tcp_port", tcp_port),
    STR_FIELD("smtp_bind_address", "lmtp_bind_address", bind_address),
    STR_FIELD("smtp_bind_address6", "lmtp_bind_address6", bind_address6),
    STR_FIELD("smtp_address_preference", "lmtp_address_preference", address_preference),
    STR_FIELD("smtp_fallback_relay", "lmtp_fallback_relay", fallback_relay),
    STR_FIELD("smtp_host_lookup", "lmtp_host_lookup", host_lookup),
    STR_FIELD("smtp_connection_cache_destinations", "lmtp_connection_cache_destinations",
              cache_destinations),
    STR_FIELD("smtp_discard_ehlo_keywords", "lmtp_discard_lhlo_keywords", discard_ehlo_keywords),
    STR_FIELD("smtp_dns_support_level", "lmtp_dns_support_level", dns_support_level),
    STR_FIELD("smtp_pix_workarounds", "lmtp_pix_workarounds", pix_workarounds),
    {0, 0, 0, 0, 0},
};

/* smtp_params_init - copy the chosen protocol's values into smtp_cfg */
void smtp_params_init(int lmtp)
{
    const SMTP_PARAM *p;
    const MAIL_PARAM_INFO *info;
    const char *name;
    char *field;

    memset(&smtp_cfg, 0, sizeof(smtp_cfg));
    smtp_cfg.lmtp = lmtp;
    smtp_cfg.prefix = lmtp ? "lmtp_" : "smtp_";
    for (p = smtp_param_table; p->smtp_name || p->lmtp_name; p++) {
        field = (char *)&smtp_cfg + p->offset;
        name = lmtp ? p->lmtp_name : p->smtp_name;
        if (name == 0) {
            if (p->is_str)
                *(char **)field = "";
            else
                *(int *)field = p->fixed;
            continue;
        }
        if ((info = mail_param_find(name)) == 0 || info->var == 0)
            msg_panic("smtp_params_init: unknown parameter %s", name);
        if (p->is_str)
            *(char **)field = *(char **)info->var;
        else
            *(int *)field = *(int *)info->var;
    }
}

/* smtp_param_name - the running protocol's name for an smtp_* parameter */
const char *smtp_param_name(const char *smtp_name)
{
    const SMTP_PARAM *p;

    for (p = smtp_param_table; p->smtp_name || p->lmtp_name; p++)
        if (p->smtp_name && strcmp(p->smtp_name, smtp_name) == 0)
            return (smtp_cfg.lmtp && p->lmtp_name ? p->lmtp_name : p->smtp_name);
    return (smtp_name);
}
